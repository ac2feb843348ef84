/**
 * The verification state machine, named once. A verification's state is not a column: it is read
 * from the columns the guards test, in JavaScript by `stateOf` and in SQL by the guard fragments
 * below (states.test.ts holds the two to the same answer on every kind of row).
 *
 *             ┌─ attempt, resend, undoResend ─┐
 *   start ──▶ pending ──────────────────────────── approve ──▶ approved
 *             │   └─ attempt (the last one) ──▶ locked
 *             ├─ time (expires_at) ───────────▶ expired ◀── time ── locked
 *             └─ forget (first send failed) ──▶ (no row)
 *
 * Every transition is one guarded statement in store.ts; refusal.ts says, from the row, why one
 * was refused. approved and expired are final; "locked" is out of attempts (the account's own
 * guessing budget and its lock are limits/guesses.ts, not a state of one verification).
 */
import type { z } from 'zod'
import type { Purpose as PurposeEnum } from '../../shared/schemas.js'

export type Purpose = z.infer<typeof PurposeEnum>

export const STATES = ['pending', 'approved', 'locked', 'expired'] as const
export type State = (typeof STATES)[number]

export interface Transition {
  /** The states it may leave from (none: it creates the row). */
  from: readonly State[]
  /** The states it leads to (none: it deletes the row). */
  to: readonly State[]
  /** The statement that makes it (store.ts), or how it happens without one. */
  by: string
}

export const TRANSITIONS = {
  start: { from: [], to: ['pending'], by: 'store.insertStatement, only if every limit was taken' },
  attempt: {
    from: ['pending'],
    to: ['pending', 'locked'],
    by: 'store.reserveAttempt, before the code is compared; the last attempt leaves it locked',
  },
  resend: { from: ['pending'], to: ['pending'], by: 'store.countResend' },
  // Guarded only by "no other send counted since": the state is as it became meanwhile.
  undoResend: {
    from: STATES,
    to: STATES,
    by: 'store.undoResend: no provider took the resend, its count is given back',
  },
  // The caller holds an attempt it reserved while pending; its row may read locked since (that
  // was the last attempt) or expired, so the guard is only "not approved yet": exactly one wins.
  approve: {
    from: ['pending', 'locked', 'expired'],
    to: ['approved'],
    by: 'store.approveStatement, after a reserved attempt matched',
  },
  expire: {
    from: ['pending', 'locked'],
    to: ['expired'],
    by: 'time: expires_at passes; maintenance drops its code (store.dropSealedStatement), the row a day later',
  },
  forget: { from: ['pending'], to: [], by: 'store.deleteVerification: the first send failed' },
} as const satisfies Record<string, Transition>

export type TransitionName = keyof typeof TRANSITIONS

/** The columns a state is read from. */
export interface StateColumns {
  approvedAt: number | null
  expiresAt: number
  attempts: number
  maxAttempts: number
}

/** The state of a row at `now`; the first that holds of approved, expired, locked, else pending. */
export function stateOf(v: StateColumns, now: number): State {
  if (v.approvedAt !== null) return 'approved'
  if (v.expiresAt <= now) return 'expired'
  if (v.attempts >= v.maxAttempts) return 'locked'
  return 'pending'
}

/** SQL, with `:now` bound: the row is pending (stateOf says 'pending'). */
export const PENDING_SQL = 'approved_at IS NULL AND attempts < max_attempts AND expires_at > :now'
/** SQL: the row is not approved (what approve requires). */
export const NOT_APPROVED_SQL = 'approved_at IS NULL'

/** Purposes of a signed-in caller: the verification belongs to the session that started it. */
export const SESSION_PURPOSES: readonly Purpose[] = ['enroll', 'change_phone', 'reauth']

/**
 * SQL, with `:session` and `:caller` bound (the caller's session and account, or null): the caller
 * may check this row. A session purpose's row is its account's, and its session's when it has one
 * (an enroll an admin started has none); other rows carry no session.
 */
export const OWNER_SQL = `(session_id IS NULL OR session_id = :session)
  AND (purpose NOT IN (${SESSION_PURPOSES.map((p) => `'${p}'`).join(', ')}) OR user_id = :caller)`

/** What OWNER_SQL tests, read from the row, or null when the caller may check it. */
export function notOwner(
  v: { purpose: Purpose; userId: string | null; sessionId: string | null },
  caller: { userId: string; sessionId: string } | undefined,
): 'sign_in_first' | 'other_account' | 'other_session' | null {
  const session = SESSION_PURPOSES.includes(v.purpose)
  if (session && !caller) return 'sign_in_first'
  if (session && caller!.userId !== v.userId) return 'other_account'
  if (v.sessionId !== null && v.sessionId !== caller?.sessionId) return 'other_session'
  return null
}
