/**
 * When the re-seal of reseal.ts runs, while SMS_AUTH_SECRET_PREVIOUS is set: the small tables at
 * start, before the instance serves (the signing key and the provider credentials are needed at
 * once); then everything in one pass off the request path, and again at most every 10 minutes
 * while requests come in, which picks up what instances still on the previous secret wrote during
 * a rolling restart. No timer: nothing keeps a stopping process alive, and a pass cut short by
 * shutdown leaves every value either old or new, never lost.
 */
import type { Client } from '@libsql/client'
import type { Keys } from '../crypto/keys.js'
import type { Deps } from '../deps.js'
import { AT_START, EVERYWHERE, reseal, totals, type ResealReport } from './reseal.js'

export const REPEAT_MS = 10 * 60_000

type Log = Deps['log']

export class Rotation {
  readonly #keys: Keys
  readonly #clock: () => number
  readonly #log: Log
  #db: Client | null = null
  #running: Promise<ResealReport | null> | null = null
  #last: Promise<ResealReport | null> = Promise.resolve(null)
  #endedAt = -Infinity

  constructor(keys: Keys, clock: () => number, log: Log) {
    this.#keys = keys
    this.#clock = clock
    this.#log = log
  }

  get #fields() {
    return { key: this.#keys.id, previous: this.#keys.previous?.id }
  }

  /** The signing key and the integrations, on the raw client before serving; throws if it fails. */
  async atStart(db: Client): Promise<void> {
    const started = this.#clock()
    const report = await reseal(db, this.#keys, started, AT_START)
    this.#report('rotation.start', report, started)
  }

  /** Starts a pass on `db` (the guarded client) unless one runs or one ended within REPEAT_MS. */
  poke(db: Client): void {
    this.#db = db
    if (this.#running || this.#clock() - this.#endedAt < REPEAT_MS) return
    const started = this.#clock()
    const pass = reseal(db, this.#keys, started, EVERYWHERE).then(
      (report) => {
        const sum = this.#report('rotation.pass', report, started)
        // Nothing left under the previous secret when this pass began.
        if (sum.resealed + sum.byOthers === 0) this.#log('rotation.done', this.#fields)
        return report
      },
      (err: unknown) => {
        // Shutdown closed the database under the pass, or the database refused: the next pass
        // (the next start, or a request REPEAT_MS from now) takes it from the beginning.
        if (!this.#db?.closed)
          this.#log('rotation.failed', {
            ...this.#fields,
            name: err instanceof Error ? err.name : 'unknown',
          })
        return null
      },
    )
    this.#running = pass
    this.#last = pass
    void pass.finally(() => {
      this.#running = null
      this.#endedAt = this.#clock()
    })
  }

  /** Settles when the pass under way, if any, has ended: its report, or null if it failed. */
  settled(): Promise<ResealReport | null> {
    return this.#last
  }

  #report(event: string, report: ResealReport, started: number) {
    const sum = totals(report)
    this.#log(event, { ...this.#fields, ...sum, ms: this.#clock() - started })
    for (const [column, c] of Object.entries(report)) {
      // Never the value or its row: which column, and how many.
      if (c.unreadable) this.#log('sealed.unreadable', { what: column, count: c.unreadable })
    }
    return sum
  }
}
