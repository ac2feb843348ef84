/**
 * Why a verification refuses a check or a resend, derived in one place from its row (states.ts
 * names the states): check and resend ask before their guarded statement, and again from the row
 * read after it when the statement changed nothing. Limits that are not the row's (the number's
 * message window, the account's guessing budget) answer for themselves.
 */
import { ApiError, rateLimited } from '../http/errors.js'
import { MIN_RETRY_AFTER_MS, SENDS_PER_VERIFICATION } from '../limits/policy.js'
import { notOwner, stateOf } from './states.js'
import type { VerificationRow } from './store.js'

export type Reason =
  | 'not_found'
  /** The code was used: approved, by this caller or another. */
  | 'approved'
  /** Past its life, or its sealed code is gone or unreadable (the same to the caller). */
  | 'expired'
  /** Out of attempts. */
  | 'locked'
  | 'sign_in_first'
  | 'other_account'
  | 'other_session'
  /** Resends: every send of its life made. */
  | 'send_cap'
  /** Resends: the cooldown since the last send has not passed. */
  | 'cooldown'

/** What is asked of the row: a check (by this caller, signed in or not) or a resend. */
export type Ask = { op: 'check'; caller?: { userId: string; sessionId: string } } | { op: 'resend' }

/** The one derivation, in the order a caller should learn it; null when the row allows `ask`. */
export function reasonFor(v: VerificationRow | null, now: number, ask: Ask): Reason | null {
  if (!v) return 'not_found'
  const state = stateOf(v, now)
  if (state !== 'pending') return state
  if (ask.op === 'check') return notOwner(v, ask.caller)
  if (v.sends >= SENDS_PER_VERIFICATION) return 'send_cap'
  if (v.resendAt > now) return 'cooldown'
  return null
}

/** The answer to a reason (with the waits the row tells for those that pass with time). */
export function refusalError(
  reason: Reason,
  v: Pick<VerificationRow, 'expiresAt' | 'resendAt'> | null,
  now: number,
): ApiError {
  switch (reason) {
    case 'not_found':
      return new ApiError('verification_not_found')
    case 'approved':
      return new ApiError('verification_used')
    case 'expired':
      return new ApiError('verification_expired', 'Ask for a new code.')
    case 'locked':
      return rateLimited(
        Math.max(MIN_RETRY_AFTER_MS, (v?.expiresAt ?? now) - now),
        'Too many wrong codes. Ask for a new code.',
        'too_many_attempts',
      )
    case 'sign_in_first':
      return new ApiError('unauthorized', 'Sign in first (Authorization: Bearer <access token>).')
    case 'other_account':
      return new ApiError('forbidden', 'This verification belongs to another account.')
    case 'other_session':
      return new ApiError('forbidden', 'This verification was started in another session.')
    case 'send_cap':
      return rateLimited(
        (v?.expiresAt ?? now) - now,
        'No more codes for this verification. Start again later.',
      )
    case 'cooldown':
      return rateLimited((v?.resendAt ?? now) - now, 'Wait a little before asking again.')
  }
}

/** The refusal of `ask` by the row, or null when the row allows it. */
export function refusal(v: VerificationRow | null, now: number, ask: Ask): ApiError | null {
  const reason = reasonFor(v, now, ask)
  return reason && refusalError(reason, v, now)
}
