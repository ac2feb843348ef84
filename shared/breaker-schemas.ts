/**
 * The pumping breaker's admin view (docs/api.md "The pumping breaker"): the prefixes and countries
 * that tripped or were marked safe, with the figures of their last trip.
 */
import { z } from 'zod'

/** What the breaker judges and blocks: a destination prefix, or a whole country. */
export const BreakerKind = z.enum(['prefix', 'country'])
export type BreakerKind = z.infer<typeof BreakerKind>

export const BreakerEntry = z.object({
  kind: BreakerKind,
  /** A prefix (`+4479460`: the number less its last 4 digits) or a country (`GB`). */
  scope: z.string(),
  country: z.string(),
  /** Blocked now: starts to it answer 429 `rate_limited` until `until`. */
  blocked: z.boolean(),
  /** Marked safe by the owner: it never trips (a safe prefix passes its country's block too). */
  safe: z.boolean(),
  /** The last trip's time, and its block's end (null: never tripped). */
  since: z.string().nullable(),
  until: z.string().nullable(),
  /** Trips within the last day (each doubles the cool-down). */
  trips: z.number().int(),
  /** The figures of the last trip: first codes sent and verified in the window, and their ratio. */
  sent: z.number().int(),
  verified: z.number().int(),
  conversion: z.number(),
})
export type BreakerEntry = z.infer<typeof BreakerEntry>

export const BreakerList = z.object({ entries: z.array(BreakerEntry) })
