/** The spend API's shapes (docs/api.md "Spend"): the price table and the figures against the caps. */
import { z } from 'zod'
import { MicrosSchema } from './money.js'

/** One row of the price table: micro-dollars per SMS (one segment) and per voice call. */
export const Price = z.object({
  /** ISO 3166-1 alpha-2, or `*` for the fallback of countries not listed. */
  country: z.string(),
  sms: MicrosSchema,
  voice: MicrosSchema,
  /** `default`: the shipped table (edge/spend/default-prices.ts); `override`: set by an admin. */
  origin: z.enum(['default', 'override']),
  /** Where a default came from and when (an override: null). */
  source: z.string().nullable(),
  asOf: z.string().nullable(),
})
export type Price = z.infer<typeof Price>

export const PriceList = z.object({ prices: z.array(Price) })

export const PricePut = z.object({ sms: MicrosSchema, voice: MicrosSchema }).strict()

const Period = z.object({
  /** `2026-12-02` (a UTC day) or `2026-12` (a UTC month). */
  period: z.string(),
  spent: MicrosSchema,
  cap: MicrosSchema.nullable(),
  /** When this period ends (ISO 8601, UTC): the cap's Retry-After. */
  resetsAt: z.string(),
})

/** GET /v1/admin/spend: what the UTC day and month cost so far, and whether a cap is reached. */
export const SpendStatus = z.object({ day: Period, month: Period, reached: z.boolean() })
export type SpendStatus = z.infer<typeof SpendStatus>
