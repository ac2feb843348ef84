/**
 * POST /v1/verifications/{id}/check. One batch reserves the verification's attempt and one of its
 * account's (or number's) guessing budget before the code is compared; the approval is one guarded
 * UPDATE, so of any number of correct checks exactly one wins.
 */
import { audit } from '../admin/audit.js'
import type { Ctx } from '../context.js'
import { equalsAny } from '../crypto/keys.js'
import { ApiError, rateLimited } from '../http/errors.js'
import { lockedFor, phoneSubject } from '../limits/guesses.js'
import { noticeLock } from '../factors/check.js'
import { findUser } from '../accounts/users.js'
import { approve, type CheckResult } from './approve.js'
import { acceptedCodeHashes, closedError, isAnonymous, wrongCode, type Caller } from './common.js'
import * as store from './store.js'

export type { CheckResult } from './approve.js'

export async function checkVerification(
  ctx: Ctx,
  id: string,
  code: string,
  caller: Caller,
): Promise<CheckResult> {
  const now = ctx.clock()
  const r = await store.reserveAttempt(ctx.db, id, now, caller.auth)
  if (r.kind === 'refused') throw await refusal(ctx, id, caller, now)
  const v = r.v
  const event = {
    actor: caller.auth ? `user:${caller.auth.userId}` : 'public',
    action: 'verification.check',
    userId: v.userId,
    phoneMasked: v.phoneMasked,
    address: caller.address,
    detail: { purpose: v.purpose, id },
  }
  if (r.kind === 'locked') {
    await audit(ctx, { ...event, outcome: 'locked_refused' })
    // For register and login a locked account must look like a wrong code (its attempt is
    // spent all the same); a signed-in owner or one past a first factor is told to wait.
    if (isAnonymous(v.purpose)) throw wrongCode(v)
    const subject = v.userId ?? phoneSubject(v.phoneHash)
    throw rateLimited(
      await lockedFor(ctx.db, subject, now),
      'Too many failed attempts on this account. Try again later.',
    )
  }
  // Only an exact string of ASCII digits of the right length can match; anything else is a
  // wrong code that still costs its attempt. The digests compare in constant time.
  const wellFormed = code.length === v.codeLength && /^[0-9]+$/.test(code)
  const given = wellFormed ? code : `malformed:${code.length}`
  if (!equalsAny(v.codeHash, acceptedCodeHashes(ctx, id, v.purpose, given))) {
    await audit(ctx, { ...event, outcome: r.budget.lockedNow ? 'locked' : 'invalid_code' })
    if (r.budget.lockedNow && v.userId) {
      const user = await findUser(ctx.db, v.userId)
      if (user) noticeLock(ctx, user, v.locale)
    }
    throw wrongCode(v)
  }
  return approve(ctx, v, caller, now)
}

/** Why a check could not reserve an attempt, in the order a caller should learn it. */
async function refusal(ctx: Ctx, id: string, caller: Caller, now: number): Promise<ApiError> {
  const current = await store.getVerification(ctx.db, id)
  if (!current) return new ApiError('verification_not_found')
  const closed = closedError(current, now)
  if (closed) return closed
  // enroll, change_phone and reauth belong to a signed-in session: others spend no attempt.
  if (store.SESSION_PURPOSES.includes(current.purpose)) {
    if (!caller.auth)
      return new ApiError('unauthorized', 'Sign in first (Authorization: Bearer <access token>).')
    if (caller.auth.userId !== current.userId)
      return new ApiError('forbidden', 'This verification belongs to another account.')
    return new ApiError('forbidden', 'This verification was started in another session.')
  }
  return new ApiError('verification_used')
}
