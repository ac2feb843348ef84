/**
 * Proving a factor other than an SMS code (TOTP, backup code, password) for an account: one attempt
 * is taken from the account's guessing budget before the secret is compared (limits/guesses.ts),
 * a success clears the budget, every outcome is audited, a lockout and a backup-code use are
 * notified to the phone.
 */
import { audit } from '../audit/audit.js'
import { verifyDummy, verifyPassword } from '../accounts/password.js'
import { claimTotpStep, type UserRow } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { ApiError, rateLimited } from '../http/errors.js'
import { clear, reserve } from '../limits/guesses.js'
import { sendNotice } from '../messages/notice.js'
import { spend } from './backup-codes.js'
import { loadSecret, matchStep } from './totp.js'

export type FactorKind = 'totp' | 'backup_code' | 'password'

const WRONG: Record<FactorKind, string> = {
  totp: 'That authenticator code is not right.',
  backup_code: 'That backup code is not right or was already used.',
  password: 'That password is not right.',
}

async function matches(ctx: Ctx, user: UserRow, kind: FactorKind, secret: string, now: number) {
  if (kind === 'password')
    return user.passwordHash ? verifyPassword(secret, user.passwordHash) : verifyDummy(secret)
  if (kind === 'backup_code') return spend(ctx.db, ctx.keys, user.id, secret, now)
  const seed = user.totpEnabled ? await loadSecret(ctx, user.id, 'totp_secret_sealed') : null
  const step = seed ? matchStep(seed, secret, now) : null
  return step !== null && (await claimTotpStep(ctx.db, user.id, step))
}

/**
 * Proves `kind` for `user` or throws: `rate_limited` while the account is locked (the caller has
 * passed a first factor or is signed in, so the lock is theirs to know), `invalid_credentials`
 * when wrong.
 */
export async function verifyFactor(
  ctx: Ctx,
  user: UserRow,
  kind: FactorKind,
  secret: string,
  action: string,
  /** The locale of the notices this may send (a lockout, a backup-code use): the request's. */
  locale: string,
): Promise<void> {
  const now = ctx.clock()
  const taken = await reserve(ctx.db, user.id, now)
  if (!taken.ok)
    throw rateLimited(
      taken.lockedForMs,
      'Too many failed attempts on this account. Try again later.',
    )
  if (!(await matches(ctx, user, kind, secret, now))) {
    await failed(ctx, user, action, kind, taken.lockedNow, locale)
    throw new ApiError('invalid_credentials', WRONG[kind])
  }
  await clear(ctx.db, user.id)
  await audit(ctx, {
    actor: `user:${user.id}`,
    action,
    outcome: 'ok',
    userId: user.id,
    detail: { factor: kind },
  })
  if (kind === 'backup_code' && user.phoneVerified && user.phone) {
    await sendNotice(ctx, user.phone, 'backup_code_used', locale)
  }
}

/** A failure already counted: audited, and a lockout it started is notified to the phone. */
export async function failed(
  ctx: Ctx,
  user: Pick<UserRow, 'id' | 'phone' | 'phoneVerified'>,
  action: string,
  factor: string,
  lockedNow: boolean,
  locale: string,
): Promise<void> {
  await audit(ctx, {
    actor: `user:${user.id}`,
    action,
    outcome: lockedNow ? 'locked' : 'invalid_credentials',
    userId: user.id,
    detail: { factor },
  })
  if (lockedNow) noticeLock(ctx, user, locale)
}

/** Tells the account's phone that it was locked (off the request path: the answer must not
 * depend on whether a notice was sent). */
export function noticeLock(
  ctx: Ctx,
  user: Pick<UserRow, 'phone' | 'phoneVerified'>,
  locale: string,
): void {
  if (user.phoneVerified && user.phone)
    ctx.defer(sendNotice(ctx, user.phone, 'account_locked', locale))
}
