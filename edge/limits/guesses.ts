/**
 * Guessing budgets: consecutive failures per account (any factor, any verification) and per number
 * without an account (register and login to unknown numbers), so resends and new verifications
 * never reset them. Their numbers (failures per lock, cool-downs, the lock for good) and sources
 * are GUESS_BUDGET in policy.ts; the failures per lock are the site setting `lockAfterFailures`.
 *
 * An attempt is counted as a failure *before* its secret is compared, in the same guarded
 * statement that refuses it when the subject is locked, so N parallel guesses can never evaluate
 * more than the budget allows; a success then clears the row. Every cycle of consecutive failures
 * locks the subject for a cool-down that grows; lock periods do not reset the total, and after the
 * last cycle the subject stays locked until a success elsewhere clears it or an admin unlocks it.
 */
import type { Client, InStatement } from '@libsql/client'
import { GUESS_BUDGET, LIMIT_DEFAULTS } from './policy.js'

/** A lock that only a success or an admin ends (the largest time a Date can hold). */
export const LOCKED_FOR_GOOD = 8_640_000_000_000_000

/** The budget of a number that has no account (its HMAC, as verifications store it). */
export const phoneSubject = (phoneHash: string) => GUESS_BUDGET.subject(null, phoneHash)

/** The budget a verification's checks draw on: its account's, else its number's. */
export const verificationSubject = (v: { userId: string | null; phoneHash: string }) =>
  GUESS_BUDGET.subject(v.userId, v.phoneHash)

// The failures per lock, as the settings row holds them, read by the statement itself: a check stays
// one write batch (no settings read before it), and a change applies on every instance at once.
const CYCLE = `COALESCE((SELECT json_extract(data, '$.${GUESS_BUDGET.setting}') FROM settings
  WHERE id = 1), :cycleDefault)`

// A cycle's last failure sets the lock and starts the next cycle at 0 (so failed = 0 on an existing
// row means "the latest reservation started a lock": refundStatement relies on it). The lock for
// good is a whole number of cycles (the setting divides it: shared/limits.ts), so it falls on a cycle's end too.
const UPSERT_SET = `
  failed = CASE WHEN failed + 1 >= (${CYCLE}) THEN 0 ELSE failed + 1 END,
  total = total + 1,
  lockouts = CASE WHEN failed + 1 >= (${CYCLE}) OR total + 1 >= :max THEN lockouts + 1 ELSE lockouts END,
  locked_until = CASE
    WHEN total + 1 >= :max THEN :forever
    WHEN failed + 1 >= (${CYCLE}) THEN :now + (CASE WHEN lockouts = 0 THEN :c0 ELSE :c1 END)
    ELSE locked_until END,
  updated_at = :now
WHERE guess_budgets.locked_until <= :now AND guess_budgets.total < :max
RETURNING locked_until`

const args = (now: number) => ({
  now,
  cycleDefault: LIMIT_DEFAULTS.lockAfterFailures,
  max: GUESS_BUDGET.lockForGoodAfter,
  forever: LOCKED_FOR_GOOD,
  c0: GUESS_BUDGET.cooldownsMs[0],
  c1: GUESS_BUDGET.cooldownsMs[1],
})

/**
 * Takes one attempt from `subject`'s budget. The statement returns a row exactly when the attempt
 * may be evaluated; its `locked_until` is later than `now` when this attempt started a lock.
 */
export function reserveStatement(subject: string, now: number): InStatement {
  return {
    sql: `INSERT INTO guess_budgets (subject, failed, total, lockouts, locked_until, updated_at)
          VALUES (:subject, 1, 1, 0, 0, :now)
          ON CONFLICT (subject) DO UPDATE SET ${UPSERT_SET}`,
    args: { subject, ...args(now) },
  }
}

/**
 * The same reservation for the subject of a verification (its account, or its number), to run in
 * a batch right after the statement that reserved the verification's own attempt: it runs only
 * if that statement changed a row.
 */
export function reserveForVerificationStatement(id: string, now: number): InStatement {
  return {
    sql: `INSERT INTO guess_budgets (subject, failed, total, lockouts, locked_until, updated_at)
          SELECT COALESCE(user_id, :numberSubject || phone_hash), 1, 1, 0, 0, :now
          FROM verifications WHERE id = :id AND changes() = 1
          ON CONFLICT (subject) DO UPDATE SET ${UPSERT_SET}`,
    // The subject as verificationSubject() makes it: the prefix of a number's budget, then its HMAC.
    args: { id, numberSubject: phoneSubject(''), ...args(now) },
  }
}

export type Reserved = { ok: true; lockedNow: boolean } | { ok: false; lockedForMs: number }

/** Reserves an attempt; when refused, says for how long the subject stays locked. */
export async function reserve(db: Client, subject: string, now: number): Promise<Reserved> {
  const r = await db.execute(reserveStatement(subject, now))
  const row = r.rows[0]
  if (row) return { ok: true, lockedNow: Number(row.locked_until) > now }
  return { ok: false, lockedForMs: await lockedFor(db, subject, now) }
}

/** Remaining lock of `subject` in ms (0 when it is not locked). */
export async function lockedFor(db: Client, subject: string, now: number): Promise<number> {
  const r = await db.execute({
    sql: 'SELECT locked_until FROM guess_budgets WHERE subject = ?',
    args: [subject],
  })
  return Math.max(0, Number(r.rows[0]?.locked_until ?? 0) - now)
}

/**
 * A success: previous failures are disregarded (NIST SP 800-63B-4 §3.2.2). With `onlyIf`, a SQL
 * condition and its named arguments (e.g. "this caller's approval landed").
 */
export function clearStatement(
  subject: string,
  onlyIf?: { sql: string; args: Record<string, string | number | null> },
): InStatement {
  return {
    sql: `DELETE FROM guess_budgets WHERE subject = :subject${onlyIf ? ` AND ${onlyIf.sql}` : ''}`,
    args: { ...onlyIf?.args, subject },
  }
}

/**
 * Gives back one reserved attempt that proved a *first* factor only (a right password or SMS code
 * while a second factor is still to come): it was no failure, but it must not wipe the failures of
 * the factor still to come either, or knowing the password would buy unlimited TOTP guesses. A lock
 * that this very attempt started is lifted again: a run's end (failed = 0), or the lock for good
 * (total at its maximum: it ends a run unless `lockAfterFailures` changed during one).
 */
export function refundStatement(
  subject: string,
  onlyIf?: { sql: string; args: Record<string, string | number | null> },
): InStatement {
  return {
    sql: `UPDATE guess_budgets SET
            failed = CASE WHEN failed > 0 THEN failed - 1 ELSE (${CYCLE}) - 1 END,
            total = total - 1,
            lockouts = CASE WHEN failed = 0 OR total >= :max THEN max(lockouts - 1, 0)
              ELSE lockouts END,
            locked_until = CASE WHEN failed = 0 OR total >= :max THEN 0 ELSE locked_until END
          WHERE subject = :subject AND total > 0${onlyIf ? ` AND ${onlyIf.sql}` : ''}`,
    args: {
      ...onlyIf?.args,
      subject,
      cycleDefault: LIMIT_DEFAULTS.lockAfterFailures,
      max: GUESS_BUDGET.lockForGoodAfter,
    },
  }
}

export async function refund(db: Client, subject: string): Promise<void> {
  await db.execute(refundStatement(subject))
}

export async function clear(db: Client, subject: string): Promise<void> {
  await db.execute(clearStatement(subject))
}
