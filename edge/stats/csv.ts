/**
 * The stats report as CSV (RFC 4180: CRLF line ends, a field with a comma, quote or line break in
 * double quotes, quotes doubled). Written here: no CSV library is among the dependencies, and
 * this is the whole of it. A text field that a spreadsheet would run as a formula (`=`, `+`, `-`,
 * `@`, tab, CR first: OWASP "CSV Injection") is prefixed with `'`; the keys are our own names
 * (days, ISO countries, providers, channels, limits), so none should, but nothing relies on it.
 */
import type { StatsReport } from '../../shared/stats-schemas.js'

export function csvField(v: string | number | null): string {
  if (v === null) return ''
  if (typeof v === 'number') return String(v)
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One header line, then one line per row of the report (its totals are not repeated). */
export function statsCsv(report: StatsReport): string {
  const limits = [...new Set(report.rows.flatMap((r) => Object.keys(r.refused)))].sort()
  const header = [
    report.groupBy,
    'started',
    'sent',
    'delivered',
    'undelivered',
    'failed',
    'verified',
    'conversion',
    'spend_micro_usd',
    ...limits.map((l) => `refused_${l}`),
    'trips_prefix',
    'trips_country',
  ]
  const lines = report.rows.map((r) => [
    r.key,
    r.started,
    r.sent,
    r.delivered,
    r.undelivered,
    r.failed,
    r.verified,
    r.conversion,
    r.spend,
    ...limits.map((l) => r.refused[l] ?? 0),
    r.trips.prefix,
    r.trips.country,
  ])
  return [header, ...lines].map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n'
}
