/**
 * The shipped price table: an estimate, in micro-dollars (shared/money.ts), of one outbound SMS
 * segment and one outbound voice call (about a minute: a code read twice) per destination country,
 * transcribed from Twilio's public price pages (the URL of each row) on the date of `asOf`. Prices
 * change and differ per carrier: these figures are for the spend cap's estimate only, and an admin
 * overrides any row (PUT /v1/admin/prices/{country}). A country not listed costs FALLBACK, set high
 * on purpose so that an unknown destination uses up the cap sooner rather than later.
 */
import type { Micros } from '../../shared/money.js'

export interface DefaultPrice {
  sms: Micros
  voice: Micros
  source: string
  asOf: string
}

/** The date this table was written (README, "Spend cap"). */
export const PRICES_AS_OF = '2026-12-02'

const twilio = (cc: string, sms: Micros, voice: Micros): DefaultPrice => ({
  sms,
  voice,
  source: `https://www.twilio.com/en-us/sms/pricing/${cc.toLowerCase()} and https://www.twilio.com/en-us/voice/pricing/${cc.toLowerCase()}`,
  asOf: PRICES_AS_OF,
})

export const DEFAULT_PRICES: Readonly<Record<string, DefaultPrice>> = {
  US: twilio('US', 8_300, 14_000),
  CA: twilio('CA', 8_300, 14_000),
  GB: twilio('GB', 46_300, 23_000),
  DE: twilio('DE', 107_000, 35_000),
  FR: twilio('FR', 80_000, 30_000),
  ES: twilio('ES', 80_000, 30_000),
  IT: twilio('IT', 90_000, 35_000),
  NL: twilio('NL', 110_000, 35_000),
  IN: twilio('IN', 83_300, 40_000),
  BR: twilio('BR', 55_000, 40_000),
  MX: twilio('MX', 60_000, 40_000),
  AU: twilio('AU', 51_500, 40_000),
}

/** The price of a destination the table does not list (country `*`). */
export const FALLBACK: DefaultPrice = {
  sms: 150_000,
  voice: 150_000,
  source: 'sms-auth: a conservative ceiling for countries not listed',
  asOf: PRICES_AS_OF,
}
