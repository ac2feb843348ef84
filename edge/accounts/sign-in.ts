/**
 * What a passed first factor leads to (docs/api.md Policies): a session, or an mfa ticket when the
 * account needs a second, different factor.
 */
import { maskE164 } from '../phone.js'
import { issuer, type Ctx } from '../context.js'
import { clearStatement } from '../limits/guesses.js'
import { prepareSession, type ProofMethod } from '../sessions/sessions.js'
import { ApiError } from '../http/errors.js'
import { issueTicket } from './tickets.js'
import { publicUser, type UserRow } from './users.js'
import type { MfaMethod, Session, User } from '../../shared/schemas.js'

export type FirstFactor = 'sms' | 'password'
export type { MfaMethod }

export type SignInResult =
  | { user: User; session: Session }
  | { mfaRequired: true; mfaTicket: string; methods: MfaMethod[]; phone?: string }

type Factors = Pick<UserRow, 'phone' | 'phoneVerified' | 'passwordHash' | 'totpEnabled'>

/**
 * Whether a sign-in with `factor` needs a second, different factor. Two-step is on when the
 * account has a second factor to give: after a password, a verified phone or TOTP; after an SMS
 * code, TOTP or a password. A phone-only account signs in with the SMS code alone (passwordless).
 */
export function needsSecondFactor(u: Factors, factor: FirstFactor): boolean {
  return factor === 'password'
    ? u.phoneVerified || u.totpEnabled
    : u.totpEnabled || u.passwordHash !== null
}

/** The factors that can finish a sign-in begun with `factor`, never the same one twice. */
export function secondFactors(
  u: Factors & Pick<UserRow, 'backupRemaining'>,
  factor: FirstFactor,
): MfaMethod[] {
  const methods: MfaMethod[] = []
  if (factor === 'sms' && u.passwordHash !== null) methods.push('password')
  if (factor === 'password' && u.phoneVerified && u.phone) methods.push('sms')
  if (u.totpEnabled) methods.push('totp')
  if (u.backupRemaining > 0 || methods.length === 0) methods.push('backup_code')
  return methods
}

/** A disabled account (the site owner's PATCH) gets no session and no second step, by any factor. */
export function assertEnabled(u: Pick<UserRow, 'disabledAt'>): void {
  if (u.disabledAt !== null) throw new ApiError('forbidden', 'This account has been disabled.')
}

export async function afterFirstFactor(
  ctx: Ctx,
  u: UserRow,
  factor: FirstFactor,
): Promise<SignInResult> {
  assertEnabled(u)
  if (!needsSecondFactor(u, factor)) return completeSignIn(ctx, u, [factor])
  const methods = secondFactors(u, factor)
  const mfaTicket = await issueTicket(
    ctx,
    { kind: 'mfa', userId: u.id, firstFactor: factor },
    ctx.clock(),
  )
  const challenge: SignInResult = { mfaRequired: true, mfaTicket, methods }
  if (methods.includes('sms') && u.phone) challenge.phone = maskE164(u.phone)
  return challenge
}

/** A completed sign-in: the account's failures are disregarded and a session proven by `amr`. */
export async function completeSignIn(
  ctx: Ctx,
  u: UserRow,
  amr: ProofMethod[],
): Promise<{ user: User; session: Session }> {
  assertEnabled(u)
  const p = await prepareSession(issuer(ctx), u, amr)
  const [session] = await Promise.all([
    p.sign(),
    ctx.db.batch([clearStatement(u.id), ...p.statements], 'write'),
  ])
  return { user: await publicUser(ctx.db, u), session }
}
