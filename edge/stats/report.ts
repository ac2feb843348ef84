/**
 * GET /v1/admin/stats: the daily aggregates (migration 0014) of a range of UTC days, summed per
 * day, country, provider or channel. Two queries in one read batch, each on its table's primary
 * key, whose first column is the day: they read the range's rows only (one per day, country,
 * channel and provider that had traffic), however many verifications made them.
 */
import type { Client } from '@libsql/client'
import type { Settings } from '../../shared/schemas.js'
import type { StatsFigures, StatsGroup, StatsReport, StatsRow } from '../../shared/stats-schemas.js'

/** The figures stats_daily keeps a column of (migration 0014), beside the refusals. */
const COLUMNS = [
  'started',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'verified',
  'spend',
  'trips_prefix',
  'trips_country',
] as const
type Column = (typeof COLUMNS)[number]

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

/** Adds one row of sums (columns as stats_daily names them) to `f`. */
function addSums(f: StatsFigures, row: Record<Column, unknown>): void {
  f.started += Number(row.started)
  f.sent += Number(row.sent)
  f.delivered += Number(row.delivered)
  f.undelivered += Number(row.undelivered)
  f.failed += Number(row.failed)
  f.verified += Number(row.verified)
  f.spend += Number(row.spend)
  f.trips.prefix += Number(row.trips_prefix)
  f.trips.country += Number(row.trips_country)
}

const addRefused = (f: StatsFigures, limit: string, n: number) => {
  f.refused[limit] = (f.refused[limit] ?? 0) + n
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

const SUMS = COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ')

export async function statsReport(
  db: Client,
  q: { from: string; to: string; groupBy: StatsGroup },
  settings: Settings,
): Promise<StatsReport> {
  const col = COLUMN[q.groupBy]
  const [figures, refusals] = await db.batch(
    [
      {
        sql: `SELECT ${col} AS key, ${SUMS} FROM stats_daily
              WHERE day >= ? AND day <= ? GROUP BY ${col}`,
        args: [q.from, q.to],
      },
      {
        // Refusals have a day and a limit, nothing else: grouped otherwise, they are one row.
        sql: `SELECT ${q.groupBy === 'day' ? 'day' : "''"} AS key, limit_name, sum(n) AS n
              FROM stats_refusals WHERE day >= ? AND day <= ? GROUP BY 1, limit_name`,
        args: [q.from, q.to],
      },
    ],
    'read',
  )
  const rows = new Map<string | null, StatsRow>()
  if (q.groupBy === 'day')
    for (const d of daysOf(q.from, q.to)) rows.set(d, { key: d, ...emptyFigures() })
  const totals = emptyFigures()
  // '' is "none": figures that have no such dimension (spend has no provider).
  const rowOf = (k: unknown) => {
    const key = String(k) || null
    let into = rows.get(key)
    if (!into) rows.set(key, (into = { key, ...emptyFigures() }))
    return into
  }
  for (const row of figures!.rows) {
    const sums = row as unknown as Record<Column, unknown>
    addSums(rowOf(row.key), sums)
    addSums(totals, sums)
  }
  for (const row of refusals!.rows) {
    addRefused(rowOf(row.key), String(row.limit_name), Number(row.n))
    addRefused(totals, String(row.limit_name), Number(row.n))
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
