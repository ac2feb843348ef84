/**
 * Checking a second factor (TOTP or backup code) for an account: the account lock first, every
 * failure counted towards it, every outcome audited, a backup-code use notified to the phone.
 */
import { audit } from '../admin/audit.js'
import type { UserRow } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { ApiError, rateLimited } from '../http/errors.js'
import { lockedFor, recordFailure } from '../limits/account.js'
import { sendNotice } from '../messages/notice.js'
import { spend } from './backup-codes.js'
import { claimStep, loadSecret, matchStep } from './totp.js'

export type FactorKind = 'totp' | 'backup_code'

export async function verifyFactor(
  ctx: Ctx,
  user: UserRow,
  kind: FactorKind,
  code: string,
  action: string,
): Promise<void> {
  const now = ctx.clock()
  const locked = await lockedFor(ctx.db, user.id, now)
  if (locked)
    throw rateLimited(locked, 'Too many failed attempts on this account. Try again later.')
  let ok = false
  if (kind === 'totp') {
    const secret = user.totpEnabled
      ? await loadSecret(ctx.db, ctx.keys.aes, user.id, 'totp_secret_sealed')
      : null
    const step = secret ? matchStep(secret, code, now) : null
    ok = step !== null && (await claimStep(ctx.db, user.id, step))
  } else {
    ok = await spend(ctx.db, ctx.keys.lookupHmac, user.id, code, now)
  }
  if (!ok) {
    const lock = await recordFailure(ctx.db, user.id, now)
    await audit(ctx, {
      actor: `user:${user.id}`,
      action,
      outcome: lock ? 'locked' : 'invalid_credentials',
      userId: user.id,
      detail: { factor: kind },
    })
    throw new ApiError(
      'invalid_credentials',
      kind === 'totp'
        ? 'That authenticator code is not right.'
        : 'That backup code is not right or was already used.',
    )
  }
  await audit(ctx, {
    actor: `user:${user.id}`,
    action,
    outcome: 'ok',
    userId: user.id,
    detail: { factor: kind },
  })
  if (kind === 'backup_code' && user.phoneVerified && user.phone) {
    await sendNotice(ctx, user.phone, 'backup_code_used')
  }
}
