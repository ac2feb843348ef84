/** The Activity API's shapes (docs/api.md "Activity"): GET /v1/admin/stats, in JSON or CSV. */
import { z } from 'zod'
import { MicrosSchema } from './money.js'

/** The longest range one request may ask for, in days (both ends counted). */
export const STATS_MAX_DAYS = 366
/** The range when none is given: the last 30 UTC days, today included. */
export const STATS_DEFAULT_DAYS = 30

export const STATS_GROUPS = ['day', 'country', 'provider', 'channel'] as const
export type StatsGroup = (typeof STATS_GROUPS)[number]

/** A UTC day, `2026-12-03`, that exists on the calendar. */
export const StatsDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A UTC day as YYYY-MM-DD')
  .refine((d) => {
    const ms = Date.parse(`${d}T00:00:00Z`)
    return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === d
  }, 'Not a day of the calendar')

export const StatsQuery = z.object({
  from: StatsDay.optional().describe('First UTC day, included (default: 29 days before `to`)'),
  to: StatsDay.optional().describe('Last UTC day, included (default: today)'),
  groupBy: z
    .enum(STATS_GROUPS)
    .default('day')
    .describe('One row per day (every day of the range), country, provider or channel'),
})
export type StatsQuery = z.infer<typeof StatsQuery>

const Count = z.number().int()

/** The figures of one row (or of the whole range). */
export const StatsFigures = z.object({
  /** Verifications whose first code was handed to a provider (or failed to be). */
  started: Count,
  /** Code messages a provider took (resends included), or whose answer never came. */
  sent: Count,
  /** Code messages a receipt said were delivered (the console provider's at once). */
  delivered: Count,
  /** Code messages a receipt said were not delivered. */
  undelivered: Count,
  /** Code messages no provider took. */
  failed: Count,
  /** Verifications approved, counted on the day they started. */
  verified: Count,
  /** verified / started, 0 to 1 (3 decimals); null when nothing started. */
  conversion: z.number().min(0).nullable(),
  /** What the sends are estimated to have cost (micro-USD), as the spend cap counts it. */
  spend: z.number().int(),
  /** Starts and resends refused, by the limit that refused them (`breaker`, `spend_cap`, …). */
  refused: z.record(z.string(), Count),
  /** Breaker trips, of prefixes and of whole countries. */
  trips: z.object({ prefix: Count, country: Count }),
})
export type StatsFigures = z.infer<typeof StatsFigures>

export const StatsRow = StatsFigures.extend({
  /** The day, country (ISO 3166-1 alpha-2, `ZZ` unknown), provider or channel; null: figures
   * that have none (refusals, and spend when grouped by provider). */
  key: z.string().nullable(),
})
export type StatsRow = z.infer<typeof StatsRow>

export const StatsReport = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(STATS_GROUPS),
  /** The spend caps in force now (micro-USD; null: none), for the chart's line. */
  caps: z.object({ daily: MicrosSchema.nullable(), monthly: MicrosSchema.nullable() }),
  rows: z.array(StatsRow),
  totals: StatsFigures,
})
export type StatsReport = z.infer<typeof StatsReport>
