/**
 * GET /v1/admin/stats: the daily aggregates (migration 0014) of a range of UTC days, summed per
 * day, country, provider or channel. One query on the table's primary key, whose first column is
 * the day: it reads the range's rows only, a few thousand a day at most, however many
 * verifications made them.
 */
import type { Client } from '@libsql/client'
import type { Settings } from '../../shared/schemas.js'
import type { StatsFigures, StatsGroup, StatsReport, StatsRow } from '../../shared/stats-schemas.js'

const COUNTED = [
  'started',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'verified',
  'spend',
] as const
type Counted = (typeof COUNTED)[number]

export const emptyFigures = (): StatsFigures => ({
  started: 0,
  sent: 0,
  delivered: 0,
  undelivered: 0,
  failed: 0,
  verified: 0,
  conversion: null,
  spend: 0,
  refused: {},
  trips: { prefix: 0, country: 0 },
})

/** Adds one metric's sum (as stats_daily names it) to `f`; an unknown metric is left out. */
export function addMetric(f: StatsFigures, metric: string, n: number): void {
  if ((COUNTED as readonly string[]).includes(metric)) f[metric as Counted] += n
  else if (metric.startsWith('refused:')) {
    const limit = metric.slice('refused:'.length)
    f.refused[limit] = (f.refused[limit] ?? 0) + n
  } else if (metric === 'trip:prefix') f.trips.prefix += n
  else if (metric === 'trip:country') f.trips.country += n
}

const withConversion = <T extends StatsFigures>(f: T): T => ({
  ...f,
  conversion: f.started ? Math.round((f.verified / f.started) * 1000) / 1000 : null,
})

const DAY_MS = 86_400_000
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`)
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Every day from `from` to `to`, both included. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = []
  for (let t = dayMs(from); t <= dayMs(to); t += DAY_MS) out.push(dayOf(t))
  return out
}

/** The days `from` to `to` span, both counted (0 when `to` is before `from`). */
export const spanDays = (from: string, to: string) =>
  Math.max(0, Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1)

/** `to` defaulting to today (UTC), `from` to `days` days ending on `to`. */
export function rangeOf(q: { from?: string; to?: string }, now: number, days: number) {
  const to = q.to ?? dayOf(now)
  return { from: q.from ?? dayOf(dayMs(to) - (days - 1) * DAY_MS), to }
}

/** The column each grouping reads (fixed names: never the caller's text in the SQL). */
const COLUMN: Record<StatsGroup, string> = {
  day: 'day',
  country: 'country',
  provider: 'provider',
  channel: 'channel',
}

export async function statsReport(
  db: Client,
  q: { from: string; to: string; groupBy: StatsGroup },
  settings: Settings,
): Promise<StatsReport> {
  const col = COLUMN[q.groupBy]
  const r = await db.execute({
    sql: `SELECT ${col} AS key, metric, sum(n) AS n FROM stats_daily
          WHERE day >= ? AND day <= ? GROUP BY ${col}, metric`,
    args: [q.from, q.to],
  })
  const rows = new Map<string | null, StatsRow>()
  if (q.groupBy === 'day')
    for (const d of daysOf(q.from, q.to)) rows.set(d, { key: d, ...emptyFigures() })
  const totals = emptyFigures()
  for (const row of r.rows) {
    // '' is "none": figures that have no such dimension (a refusal has no provider).
    const key = String(row.key) || null
    let into = rows.get(key)
    if (!into) rows.set(key, (into = { key, ...emptyFigures() }))
    const n = Number(row.n)
    addMetric(into, String(row.metric), n)
    addMetric(totals, String(row.metric), n)
  }
  const list = [...rows.values()].map(withConversion)
  if (q.groupBy !== 'day')
    list.sort(
      (a, b) =>
        Number(a.key === null) - Number(b.key === null) ||
        b.started - a.started ||
        String(a.key).localeCompare(String(b.key)),
    )
  return {
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    caps: { daily: settings.spendCapDaily ?? null, monthly: settings.spendCapMonthly ?? null },
    rows: list,
    totals: withConversion(totals),
  }
}
