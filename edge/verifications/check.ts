/**
 * POST /v1/verifications/{id}/check: where a login (or any) code is checked. One batch reserves
 * the verification's attempt and one of its account's (or number's) guessing budget before the
 * code is compared (store.reserveAttempt); a refusal says why from the row (refusal.ts); a match
 * is approved by one guarded UPDATE (approve.ts), so of any number of correct checks exactly one
 * wins. The states and transitions are named in states.ts.
 */
import { audit } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { equalsAny } from '../crypto/keys.js'
import { rateLimited } from '../http/errors.js'
import { lockedFor, verificationSubject } from '../limits/guesses.js'
import { noticeLock } from '../factors/check.js'
import { findUser } from '../accounts/users.js'
import { approve, type CheckResult } from './approve.js'
import { acceptedCodeHashes, isAnonymous, testMark, wrongCode, type Caller } from './common.js'
import { refusal, refusalError } from './refusal.js'
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
  if (r.kind === 'refused') {
    const current = await store.getVerification(ctx.db, id)
    // A row that allows the check now changed in between (a concurrent check used it).
    throw (
      refusal(current, now, { op: 'check', caller: caller.auth }) ??
      refusalError('approved', current, now)
    )
  }
  const v = r.v
  const event = {
    actor: caller.auth ? `user:${caller.auth.userId}` : 'public',
    action: 'verification.check',
    userId: v.userId,
    phoneMasked: v.phoneMasked,
    address: caller.address,
    detail: { purpose: v.purpose, id, ...testMark(v) },
  }
  if (r.kind === 'locked') {
    await audit(ctx, { ...event, outcome: 'locked_refused' })
    // For register and login a locked account must look like a wrong code (its attempt is
    // spent all the same); a signed-in owner or one past a first factor is told to wait.
    if (isAnonymous(v.purpose)) throw wrongCode(v)
    throw rateLimited(
      await lockedFor(ctx.db, verificationSubject(v), now),
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
  return approve(ctx, v, caller, now, r.owner)
}
