/**
 * When a failed delivery is tried again: exponential backoff over more than 24 h, with up to 10 %
 * jitter added so that endpoints coming back at once are not hit by every instance together.
 */
import { randomInt } from '../crypto/random.js'

/** The wait after the 1st, 2nd, … failed attempt; after the last, the delivery is failed. */
export const RETRY_DELAYS_MS = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  5 * 3600_000,
  10 * 3600_000,
  10 * 3600_000,
] as const

/** Attempts in all: the first and one per delay (27 h 35 min from the first to the last). */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1

/** The largest share of a delay added as jitter. */
export const JITTER = 0.1

/** When to try again after `attempts` failed attempts, or null: no more tries. */
export function nextAttemptAt(attempts: number, now: number): number | null {
  const delay = RETRY_DELAYS_MS[attempts - 1]
  if (delay === undefined) return null
  return now + delay + randomInt(Math.floor(delay * JITTER) + 1)
}

/** An attempt's time limit (docs/api.md: 10 s); success is any 2xx answer within it. */
export const DELIVERY_TIMEOUT_MS = 10_000

/** How long one instance holds a claimed delivery: past it, another may try (at least once). */
export const LEASE_MS = 60_000
