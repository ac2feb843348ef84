/**
 * Password reset by SMS (docs/api.md, Account recovery; docs/security.md T32). An approved
 * `password_reset` code gives a single-use reset ticket (10 minutes) and the factors the reset
 * still needs: none, or TOTP / a backup code when the account has TOTP (a reset never drops a
 * second factor, and never asks SMS twice). The last step spends the ticket, sets the password,
 * ends every other session and opens a new one, in one write: of concurrent requests with one
 * ticket exactly one does it. A refused password or a missing or wrong second factor leaves the
 * ticket as it was.
 */
import type { z } from 'zod'
import type { MfaMethod, User, Session } from '../../shared/schemas.js'
import type { PasswordResetBody } from '../../shared/profile-schemas.js'
import { auditStatement } from '../audit/audit.js'
import { issuer, type Ctx } from '../context.js'
import { eventWhenStatement } from '../events/outbox.js'
import { verifyFactor, type FactorKind } from '../factors/check.js'
import { ApiError } from '../http/errors.js'
import { notifyAccount } from '../messages/notice.js'
import { revokeAllStatements } from '../sessions/revoke-all.js'
import { prepareSession, type ProofMethod } from '../sessions/sessions.js'
import { assertStrongPassword, hashPassword } from './password.js'
import { issueTicket, peekTicket, ticketHash } from './tickets.js'
import { findUser, publicUser, setPasswordStatement, type UserRow } from './users.js'

export interface ResetStart {
  resetTicket: string
  /** What the last step still needs besides the new password. */
  methods: MfaMethod[]
}

/** The second factors a reset of this account needs (never SMS: the code was SMS). */
export const resetMethods = (u: Pick<UserRow, 'totpEnabled'>): MfaMethod[] =>
  u.totpEnabled ? ['totp', 'backup_code'] : []

/** After an approved `password_reset` code (verifications/approve.ts). */
export async function startReset(ctx: Ctx, user: UserRow, now: number): Promise<ResetStart> {
  const resetTicket = await issueTicket(
    ctx,
    { kind: 'password_reset', userId: user.id, firstFactor: 'sms' },
    now,
  )
  return { resetTicket, methods: resetMethods(user) }
}

const EXPIRED = 'The reset step has expired or was already used. Start again.'

export async function finishReset(
  ctx: Ctx,
  input: z.infer<typeof PasswordResetBody>,
  address: string,
  locale: string,
): Promise<{ user: User; session: Session }> {
  const now = ctx.clock()
  const ticket = await peekTicket(ctx, input.resetTicket, 'password_reset', now)
  const user = ticket?.userId ? await findUser(ctx.db, ticket.userId) : null
  // A disabled account cannot finish (and is told nothing more than an expired ticket).
  if (!ticket || !user || user.disabledAt !== null) throw new ApiError('unauthorized', EXPIRED)
  await assertStrongPassword(input.password, [user.name, user.email ?? ''])
  const amr: ProofMethod[] = ['sms']
  if (user.totpEnabled) {
    const factor: [FactorKind, string] | null = input.totpCode
      ? ['totp', input.totpCode]
      : input.backupCode
        ? ['backup_code', input.backupCode]
        : null
    if (!factor)
      throw new ApiError(
        'reauthentication_required',
        'Enter a code from your authenticator app or a backup code.',
        { methods: resetMethods(user) },
      )
    // Counted in the account's guessing budget; locked after it as everywhere (factors/check.ts).
    await verifyFactor(ctx, user, factor[0], factor[1], 'password.reset', locale)
    amr.push(factor[0])
  }
  const passwordHash = await hashPassword(input.password)
  const session = await prepareSession(issuer(ctx), user, amr, true)
  // True only in the batch whose ticket spend won: its new session row exists.
  const won = { sql: 'EXISTS (SELECT 1 FROM sessions WHERE id = ?)', args: [session.id] }
  const write = ctx.db.batch(
    [
      {
        sql: `UPDATE tickets SET used_at = ? WHERE hash = ? AND kind = 'password_reset'
              AND used_at IS NULL AND expires_at > ?`,
        args: [now, ticketHash(input.resetTicket), now],
      },
      setPasswordStatement(user.id, passwordHash, true),
      auditStatement(
        ctx,
        {
          actor: `user:${user.id}`,
          action: 'password.reset',
          outcome: 'ok',
          userId: user.id,
          address,
          detail: { methods: amr.join(',') },
        },
        true,
      ),
      ...session.statements,
      await eventWhenStatement(ctx.keys, 'password.reset', { userId: user.id }, now, won),
      // The account's other open tickets (an mfa step begun with the old password) lapse.
      {
        sql: `UPDATE tickets SET used_at = ? WHERE user_id = ? AND used_at IS NULL AND ${won.sql}`,
        args: [now, user.id, ...won.args],
      },
      ...(await revokeAllStatements(ctx, user.id, session.id, now, 'password_reset', won)),
    ],
    'write',
  )
  const [results, signed] = await Promise.all([write, session.sign()])
  if (results[0]!.rowsAffected !== 1 || results[1]!.rowsAffected !== 1)
    throw new ApiError('unauthorized', EXPIRED)
  ctx.log('password.reset', { methods: amr.join(',') })
  await notifyAccount(ctx, user, 'password_reset', locale)
  const after = await findUser(ctx.db, user.id)
  if (!after) throw new ApiError('unauthorized', EXPIRED)
  return { user: await publicUser(ctx.db, after), session: signed }
}
