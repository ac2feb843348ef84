/**
 * The adaptive mode's signals (policy.ts CHALLENGE_ADAPTIVE), read in one statement of indexed
 * look-ups: refusals of the address, distinct numbers it started to, the prefix's breaker figures
 * half way to a trip, the account's (or number's) consecutive failed guesses. None of them says
 * whether a number has an account: each counts what callers did, not what the database holds.
 */
import type { Settings } from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import { breakerWindowMs, CHALLENGE_ADAPTIVE as A } from '../limits/policy.js'

export interface RiskScope {
  address: string
  /** The destination prefix's HMAC (breaker.ts prefixKeyOf). */
  prefixKey: string
  /** The guessing budget's subject (policy.ts GUESS_BUDGET.subject). */
  subject: string
}

export type Signal = 'refusals' | 'numbers_per_address' | 'breaker_near' | 'failures'

/** The first signal that asks for the challenge, or null. */
export async function riskOf(
  ctx: Ctx,
  s: Settings,
  scope: RiskScope,
  now: number,
): Promise<Signal | null> {
  const since = now - A.windowMs
  const r = await ctx.db.execute({
    sql: `SELECT
            (SELECT count(*) FROM rate_events WHERE key = :refused AND at > :since) AS refusals,
            (SELECT count(DISTINCT phone_hash) FROM verifications
              WHERE client_address = :address AND created_at > :since) AS numbers,
            (SELECT count(*) FROM breaker_sends WHERE prefix_key = :prefix AND at >= :bsince) AS sent,
            (SELECT coalesce(sum(verified), 0) FROM breaker_sends
              WHERE prefix_key = :prefix AND at >= :bsince) AS verified,
            (SELECT total FROM guess_budgets WHERE subject = :subject) AS failures`,
    args: {
      refused: A.refusalKey(scope.address),
      since,
      address: scope.address,
      prefix: scope.prefixKey,
      bsince: now - breakerWindowMs(s),
      subject: scope.subject,
    },
  })
  const row = r.rows[0]!
  if (Number(row.refusals) >= A.refusals) return 'refusals'
  if (Number(row.numbers) >= A.numbersPerAddress) return 'numbers_per_address'
  const sent = Number(row.sent)
  const verified = Number(row.verified)
  const near = (s.breakerMinSends * A.breakerNearPercent) / 100
  if (s.breakerEnabled && sent >= near && verified * 100 < s.breakerThresholdPercent * sent)
    return 'breaker_near'
  if (Number(row.failures ?? 0) >= A.failures) return 'failures'
  return null
}

/** A refused start, noted for the `refusals` signal (only while the adaptive mode is on). */
export async function noteRefusal(ctx: Ctx, address: string, now: number): Promise<void> {
  await ctx.db.execute({
    sql: 'INSERT INTO rate_events (key, at, sub) VALUES (?, ?, NULL)',
    args: [A.refusalKey(address), now],
  })
}
