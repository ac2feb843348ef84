/**
 * Consecutive failures per account, across every factor and verification; resends never reset it.
 * NIST SP 800-63B §3.2.2 allows at most 100; we lock at 20 for a cool-down that grows (15 min, then
 * 1 h). A completed sign-in or approved code resets the count.
 */
import type { Client } from '@libsql/client'

export const ACCOUNT_FAILURE_LIMIT = 20
const COOLDOWNS_MS = [15 * 60_000, 60 * 60_000]

export function cooldownMs(lockouts: number): number {
  return COOLDOWNS_MS[Math.min(lockouts, COOLDOWNS_MS.length - 1)]!
}

/** Remaining lock in ms (0 when not locked). */
export async function lockedFor(db: Client, userId: string, now: number): Promise<number> {
  const r = await db.execute({ sql: 'SELECT locked_until FROM users WHERE id = ?', args: [userId] })
  const until = Number(r.rows[0]?.locked_until ?? 0)
  return until > now ? until - now : 0
}

/** Counts one failure in one statement; returns the lock in ms when this failure set one. */
export async function recordFailure(db: Client, userId: string, now: number): Promise<number> {
  const r = await db.execute({
    sql: `UPDATE users SET
            failed_count = CASE WHEN failed_count + 1 >= :limit THEN 0 ELSE failed_count + 1 END,
            locked_until = CASE WHEN failed_count + 1 >= :limit
              THEN :now + (CASE WHEN lockouts = 0 THEN :c0 ELSE :c1 END) ELSE locked_until END,
            lockouts = CASE WHEN failed_count + 1 >= :limit THEN lockouts + 1 ELSE lockouts END
          WHERE id = :id
          RETURNING locked_until`,
    args: {
      id: userId,
      now,
      limit: ACCOUNT_FAILURE_LIMIT,
      c0: COOLDOWNS_MS[0]!,
      c1: COOLDOWNS_MS[1]!,
    },
  })
  const until = Number(r.rows[0]?.locked_until ?? 0)
  return until > now ? until - now : 0
}

export async function recordSuccess(db: Client, userId: string): Promise<void> {
  await db.execute({
    sql: 'UPDATE users SET failed_count = 0, lockouts = 0 WHERE id = ? AND (failed_count > 0 OR lockouts > 0)',
    args: [userId],
  })
}
