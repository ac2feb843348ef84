/**
 * What a passed first factor leads to (API.md Policies): a session, or an mfa ticket when the
 * account needs a second, different factor.
 */
import { maskE164 } from '../phone.js'
import { issuer, type Ctx } from '../context.js'
import { clearStatement } from '../limits/guesses.js'
import { prepareSession, type ProofMethod } from '../sessions/sessions.js'
import { issueTicket } from './tickets.js'
import { publicUser, type UserRow } from './users.js'
import type { Session, User } from '../../shared/schemas.js'

export type FirstFactor = 'sms' | 'password'
export type MfaMethod = 'sms' | 'totp' | 'backup_code'

export type SignInResult =
  | { user: User; session: Session }
  | { mfaRequired: true; mfaTicket: string; methods: MfaMethod[]; phone?: string }

export async function afterFirstFactor(
  ctx: Ctx,
  u: UserRow,
  factor: FirstFactor,
): Promise<SignInResult> {
  const methods: MfaMethod[] = []
  if (factor === 'password' && u.phoneVerified && u.phone) methods.push('sms')
  if (u.totpEnabled) methods.push('totp')
  // Two-step is on when the account has a verified phone (after a password) or TOTP (after SMS).
  const needsSecond = factor === 'password' ? u.phoneVerified || u.totpEnabled : u.totpEnabled
  if (needsSecond) {
    if (u.backupRemaining > 0 || methods.length === 0) methods.push('backup_code')
    const mfaTicket = await issueTicket(
      ctx,
      { kind: 'mfa', userId: u.id, firstFactor: factor },
      ctx.clock(),
    )
    const challenge: SignInResult = { mfaRequired: true, mfaTicket, methods }
    if (methods.includes('sms') && u.phone) challenge.phone = maskE164(u.phone)
    return challenge
  }
  return completeSignIn(ctx, u, [factor])
}

/** A completed sign-in: the account's failures are disregarded and a session proven by `amr`. */
export async function completeSignIn(
  ctx: Ctx,
  u: UserRow,
  amr: ProofMethod[],
): Promise<{ user: User; session: Session }> {
  const p = prepareSession(issuer(ctx), u.id, amr)
  const [session] = await Promise.all([
    p.sign(),
    ctx.db.batch([clearStatement(u.id), ...p.statements], 'write'),
  ])
  return { user: await publicUser(ctx.db, u), session }
}
