/**
 * Refusals by limit for the Activity figures (`stats_refusals`, migration 0014). A refusal
 * leaves no row of its own (that keeps it cheap under an attack), so the counts come from
 * the events the edge already logs (`limit.refused` with the limit's name; `spend.cap_reached`,
 * counted as `spend_cap`), as the metrics do. They are written after the answer, and coalesced:
 * at most one write per instance is in flight, and whatever came in meanwhile goes in the next
 * one, so a burst does not cost a write per refusal (on a libSQL server, 60 refused starts at once
 * took 3 writes: tests/edge/stats/refusals.test.ts). A count whose write fails (the database is
 * down) is dropped, never retried without bound.
 */
import type { Client } from '@libsql/client'
import { periodsOf } from '../spend/cap.js'

/** The limit a refusal event names, or null when the event is no refusal. */
export function refusedLimit(event: string, fields: Record<string, unknown> = {}): string | null {
  if (event === 'spend.cap_reached') return 'spend_cap'
  if (event !== 'limit.refused') return null
  return typeof fields.limit === 'string' && fields.limit ? fields.limit.slice(0, 64) : 'unknown'
}

export class RefusalTally {
  private pending = new Map<string, number>()
  private flushing = false

  constructor(
    private readonly deps: {
      db: Client
      clock: () => number
      defer(work: Promise<unknown>): void
    },
  ) {}

  observe(event: string, fields?: Record<string, unknown>): void {
    const limit = refusedLimit(event, fields)
    if (!limit) return
    const key = `${periodsOf(this.deps.clock()).day}\n${limit}`
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1)
    if (this.flushing) return
    this.flushing = true
    this.deps.defer(this.flush())
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.size) {
        const batch = [...this.pending]
        this.pending.clear()
        await this.deps.db.execute(upsertRefusals(batch))
      }
    } finally {
      this.pending.clear()
      this.flushing = false
    }
  }
}

function upsertRefusals(counts: [string, number][]) {
  const args: (string | number)[] = []
  const rows = counts.map(([key, n]) => {
    const [day, limit] = key.split('\n') as [string, string]
    args.push(day, limit, n)
    return '(?, ?, ?)'
  })
  return {
    sql: `INSERT INTO stats_refusals (day, limit_name, n) VALUES ${rows.join(', ')}
          ON CONFLICT (day, limit_name) DO UPDATE SET n = n + excluded.n`,
    args,
  }
}
