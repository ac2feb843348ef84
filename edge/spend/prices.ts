/**
 * The price table: the shipped defaults (default-prices.ts) under the admin's overrides
 * (`spend_prices`), and the estimated cost of one send. A test number's sends cost nothing.
 */
import type { Client, InStatement } from '@libsql/client'
import type { Channel } from '../../shared/enums.js'
import type { Micros } from '../../shared/money.js'
import type { Price } from '../../shared/spend-schemas.js'
import { parseLoose } from '../phone.js'
import type { PriceRow } from '../settings/snapshot.js'
import { DEFAULT_PRICES, FALLBACK } from './default-prices.js'

/** The fallback row's country. */
export const ANY_COUNTRY = '*'

/** The country a number's price is looked up under (E.164 in), or `*` when unknown. */
export function countryOf(e164: string): string {
  return parseLoose(e164)?.country ?? ANY_COUNTRY
}

const defaultRow = (country: string): Price | null => {
  const d = country === ANY_COUNTRY ? FALLBACK : DEFAULT_PRICES[country]
  if (!d) return null
  return { country, sms: d.sms, voice: d.voice, origin: 'default', source: d.source, asOf: d.asOf }
}

/**
 * What one send to `country` on `channel` is estimated to cost, from the overrides as read with
 * the configuration's version (edge/settings/snapshot.ts).
 */
export function priceIn(
  overrides: ReadonlyMap<string, PriceRow>,
  country: string,
  channel: Channel,
): Micros {
  // An override of the country wins, then the country's default, then an overridden fallback.
  const d = defaultRow(country)
  const chosen =
    overrides.get(country) ??
    (d ? { sms: d.sms, voice: d.voice } : (overrides.get(ANY_COUNTRY) ?? FALLBACK))
  return Number(channel === 'voice' ? chosen.voice : chosen.sms)
}

/** Every row: the defaults (each replaced by its override if any), then overrides of other countries. */
export async function listPrices(db: Client): Promise<Price[]> {
  const r = await db.execute('SELECT country, sms, voice FROM spend_prices')
  const overrides = new Map(
    r.rows.map((row) => [
      String(row.country),
      {
        country: String(row.country),
        sms: Number(row.sms),
        voice: Number(row.voice),
        origin: 'override' as const,
        source: null,
        asOf: null,
      },
    ]),
  )
  const countries = new Set([ANY_COUNTRY, ...Object.keys(DEFAULT_PRICES), ...overrides.keys()])
  return [...countries]
    .sort((a, b) => (a === ANY_COUNTRY ? -1 : b === ANY_COUNTRY ? 1 : a.localeCompare(b)))
    .map((c) => overrides.get(c) ?? defaultRow(c)!)
}

export function putPriceStatement(
  country: string,
  p: { sms: Micros; voice: Micros },
  now: number,
  by: string,
): InStatement {
  return {
    sql: `INSERT INTO spend_prices (country, sms, voice, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (country) DO UPDATE SET sms = excluded.sms, voice = excluded.voice,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    args: [country, p.sms, p.voice, now, by],
  }
}

export function deletePriceStatement(country: string): InStatement {
  return { sql: 'DELETE FROM spend_prices WHERE country = ?', args: [country] }
}

/** The row as it reads after a change. */
export async function priceRow(db: Client, country: string): Promise<Price | null> {
  return (await listPrices(db)).find((p) => p.country === country) ?? null
}
