/**
 * What an approved code leads to, per purpose. The approval and what must happen with it land in
 * one write: the audit row (and, for a sign-in that needs nothing more, the session) only if this
 * caller won; a verified number stops counting towards its prefix; the guessing budget clears.
 */
import type { User } from '../../shared/schemas.js'
import { audit, auditStatement } from '../audit/audit.js'
import {
  afterFirstFactor,
  assertEnabled,
  completeSignIn,
  needsSecondFactor,
  type SignInResult,
} from '../accounts/sign-in.js'
import { issueTicket, spendTicketByHash } from '../accounts/tickets.js'
import {
  findByVerifiedPhone,
  findUser,
  isUniqueViolation,
  openPhoneChangeStatement,
  publicUser,
  storeVerifiedPhone,
  type UserRow,
} from '../accounts/users.js'
import { issuer, type Ctx } from '../context.js'
import { ApiError } from '../http/errors.js'
import { clearStatement, refundStatement, verificationSubject } from '../limits/guesses.js'
import { forgetStatement } from '../limits/limits.js'
import { verifiedStatement } from '../limits/breaker.js'
import { PHONE_CHANGE_WINDOW_MS } from '../limits/policy.js'
import { sendNotice } from '../messages/notice.js'
import { maskE164 } from '../phone.js'
import { stampStatement } from '../sessions/reauth.js'
import { prepareSession, type PreparedSession } from '../sessions/sessions.js'
import { revokeAllStatements } from '../sessions/revoke-all.js'
import type { FirstFactor } from '../accounts/sign-in.js'
import { prefixEntry, testMark, type Caller } from './common.js'
import { refusalError } from './refusal.js'
import { unseal } from './sealed.js'
import { approveStatement, WON, type VerificationRow } from './store.js'
import { eventStatement } from '../events/outbox.js'
import { startReset, type ResetStart } from '../accounts/password-reset.js'

export type CheckResult =
  | { status: 'approved'; registrationTicket: string; phone: string }
  | ({ status: 'approved' } & SignInResult)
  | { status: 'approved'; user: User }
  | ({ status: 'approved' } & ResetStart)

export async function approve(
  ctx: Ctx,
  v: VerificationRow,
  caller: Caller,
  now: number,
  /** The verification's account as read with its attempt (store.reserveAttempt), if any. */
  owner: UserRow | null = null,
): Promise<CheckResult> {
  const secret = await unseal(ctx, v.sealed)
  if (!secret) throw refusalError('expired', v, now)
  // A register or login of an account that needs no second factor (a phone-only account) ends
  // in a session: the account is read now, and the session joins the approval's write.
  let user: UserRow | null = null
  let direct: PreparedSession | null = null
  if (v.purpose === 'register' || v.purpose === 'login') {
    // The account whose verified number this is: the one read with the attempt when it still
    // has this number (a verified number belongs to one account), else read now.
    user = owner?.phone === secret.phone ? owner : await findByVerifiedPhone(ctx.db, secret.phone)
    if (user) assertEnabled(user)
    if (user && !needsSecondFactor(user, 'sms'))
      direct = await prepareSession({ ...issuer(ctx), client: caller.client }, user, ['sms'], true)
  }
  // A reset of an account with TOTP: this code is only the first of its two proofs.
  if (v.purpose === 'password_reset' && v.userId) {
    const owner = await findUser(ctx.db, v.userId)
    if (owner?.totpEnabled) user = owner
  }
  // The account has a second factor still to prove: this code is only its first.
  const firstOnly = user !== null && direct === null
  const won = { sql: WON, args: { id: v.id, now } }
  const reserved = verificationSubject(v)
  // An SMS code that is only a first factor (the account has a password or TOTP still to prove)
  // gives its attempt back; any other approval is a success that clears the budget it was
  // charged to (and the account's).
  const budget =
    firstOnly && reserved === user?.id
      ? [refundStatement(reserved, won)]
      : [...new Set([reserved, ...(user && !firstOnly ? [user.id] : [])])].map((s) =>
          clearStatement(s, won),
        )
  const write = ctx.db.batch(
    [
      approveStatement(v.id, now),
      auditStatement(
        ctx,
        {
          actor: caller.auth ? `user:${caller.auth.userId}` : 'public',
          action: 'verification.check',
          outcome: 'approved',
          userId: v.userId,
          phoneMasked: v.phoneMasked,
          address: caller.address,
          detail: { purpose: v.purpose, id: v.id, ...testMark(v) },
        },
        true,
      ),
      ...(direct?.statements ?? []),
      forgetStatement(prefixEntry(ctx, secret.phone, v.phoneHash), won),
      verifiedStatement(v.id, won),
      ...budget,
    ],
    'write',
  )
  // The access token is signed while the write runs; it is handed out only if this caller won.
  const [[approval], session] = await Promise.all([write, direct?.sign()])
  if (approval!.rowsAffected !== 1) throw refusalError('approved', v, now)
  ctx.log('verification.approved', { purpose: v.purpose })
  if (user && session) return { status: 'approved', user: await publicUser(ctx.db, user), session }
  return afterApproval(ctx, v, secret.phone, caller, now, user)
}

async function afterApproval(
  ctx: Ctx,
  v: VerificationRow,
  phone: string,
  caller: Caller,
  now: number,
  /** For register and login: the account behind the phone, as read before the approval. */
  known: UserRow | null,
): Promise<CheckResult> {
  switch (v.purpose) {
    case 'register':
    case 'login': {
      if (known) return { status: 'approved', ...(await afterFirstFactor(ctx, known, 'sms')) }
      if (v.purpose === 'login') throw new ApiError('verification_used')
      const registrationTicket = await issueTicket(ctx, { kind: 'registration', phone }, now)
      return { status: 'approved', registrationTicket, phone }
    }
    case 'mfa': {
      const t = v.ticket ? await spendTicketByHash(ctx, v.ticket, 'mfa', now) : null
      const user = t?.userId === v.userId && v.userId ? await findUser(ctx.db, v.userId) : null
      if (!user) throw new ApiError('unauthorized', 'The sign-in step has expired. Start again.')
      const first = (t?.firstFactor ?? 'password') as FirstFactor
      return { status: 'approved', ...(await completeSignIn(ctx, user, [first, 'sms'])) }
    }
    case 'enroll': {
      if (!v.userId || caller.auth?.userId !== v.userId) throw refusalError('other_account', v, now)
      const user = await enrollPhone(ctx, v.userId, phone, caller.auth.sessionId, now, v.locale)
      return { status: 'approved', user: await publicUser(ctx.db, user) }
    }
    case 'password_reset': {
      const user = v.userId ? await findUser(ctx.db, v.userId) : null
      if (!user) throw new ApiError('verification_used')
      return { status: 'approved', ...(await startReset(ctx, user, now)) }
    }
    case 'change_phone':
    case 'reauth': {
      if (!v.userId || caller.auth?.userId !== v.userId) throw refusalError('other_account', v, now)
      // Proving the current phone is a fresh proof for this session; a change_phone approval
      // also opens the window to enrol the new number.
      await ctx.db.batch(
        [
          stampStatement(caller.auth.sessionId, 'sms', now),
          ...(v.purpose === 'change_phone'
            ? [openPhoneChangeStatement(v.userId, now + PHONE_CHANGE_WINDOW_MS)]
            : []),
        ],
        'write',
      )
      const user = await findUser(ctx.db, v.userId)
      if (!user) throw new ApiError('unauthorized')
      return { status: 'approved', user: await publicUser(ctx.db, user) }
    }
  }
}

/** Stores a verified phone; replaces the old one (and ends other sessions) after a change_phone. */
async function enrollPhone(
  ctx: Ctx,
  userId: string,
  phone: string,
  sessionId: string,
  now: number,
  locale: string,
) {
  const before = await findUser(ctx.db, userId)
  if (!before) throw new ApiError('unauthorized')
  if (before.phoneVerified && before.phoneChangeUntil <= now)
    throw new ApiError('forbidden', 'Prove the current phone first (purpose change_phone).')
  try {
    await storeVerifiedPhone(ctx.db, userId, phone, [
      await eventStatement(ctx.keys, 'phone.changed', { userId, phone }, now, true),
    ])
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('phone_taken')
    throw err
  }
  const replaced = before.phoneVerified && before.phone && before.phone !== phone
  if (replaced) {
    await ctx.db.batch(
      await revokeAllStatements(ctx, userId, sessionId, now, 'factor_change'),
      'write',
    )
    await sendNotice(ctx, before.phone!, 'phone_changed', locale)
  }
  await audit(ctx, {
    actor: `user:${userId}`,
    action: replaced ? 'factor.phone.change' : 'factor.phone.enroll',
    outcome: 'ok',
    userId,
    phoneMasked: maskE164(phone),
  })
  const user = await findUser(ctx.db, userId)
  if (!user) throw new ApiError('unauthorized')
  return user
}
