/**
 * Money, declared once: integer micro-dollars (1 USD = 1 000 000 micros; $0.0083 = 8300). Never a
 * float: sums in SQL and caps compare exactly, to the micro-unit. One currency: USD, the currency
 * of the providers' public price lists.
 */
import { z } from 'zod'

/** An amount in micro-dollars: a whole number, never negative. */
export type Micros = number

export const MICROS_PER_USD = 1_000_000

/** The largest amount a price or a cap may hold: $1 000 000 (well inside 2^53). */
export const MAX_MICROS = 1_000_000 * MICROS_PER_USD

/** A price or a cap in micro-dollars, in a safe range. */
export const MicrosSchema = z.number().int().min(0).max(MAX_MICROS)

/** `$12.3456` for the admin page and logs: micros to dollars, at least 2 decimals, no float. */
export function formatUsd(m: Micros): string {
  const frac = String(m % MICROS_PER_USD)
    .padStart(6, '0')
    .replace(/0+$/, '')
    .padEnd(2, '0')
  return `$${Math.floor(m / MICROS_PER_USD)}.${frac}`
}
