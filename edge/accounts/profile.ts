/**
 * The account owner's own changes (docs/api.md, Account recovery and profile): the password (set
 * on a phone-only account after a fresh step-up; changed with the current password or a fresh
 * step-up) and the name and email (an email change after a fresh step-up). Each is one write with
 * its audit row and `user.updated` event; a password ends every other session (with their
 * `session.revoked` events); a password or email change is notified to the phone.
 */
import type { InStatement } from '@libsql/client'
import type { User } from '../../shared/schemas.js'
import { auditStatement } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { eventStatement } from '../events/outbox.js'
import { verifyFactor } from '../factors/check.js'
import { ApiError } from '../http/errors.js'
import { notifyAccount } from '../messages/notice.js'
import { requireFresh } from '../sessions/reauth.js'
import { revokeAllStatements } from '../sessions/revoke-all.js'
import type { Authenticated } from '../sessions/sessions.js'
import { assertStrongPassword, hashPassword } from './password.js'
import {
  findByEmail,
  findUser,
  isUniqueViolation,
  normaliseEmail,
  publicUser,
  setPasswordStatement,
  updateProfileStatement,
  type UserRow,
} from './users.js'

async function fresh(ctx: Ctx, id: string): Promise<User> {
  const user = await findUser(ctx.db, id)
  if (!user) throw new ApiError('unauthorized')
  return publicUser(ctx.db, user)
}

/** PUT /v1/me/password */
export async function setPassword(
  ctx: Ctx,
  auth: Authenticated,
  user: UserRow,
  input: { password: string; currentPassword?: string },
  locale: string,
): Promise<User> {
  const now = ctx.clock()
  if (input.currentPassword !== undefined && !user.passwordHash)
    throw new ApiError('invalid_request', 'This account has no password yet.', {
      errors: [{ path: 'currentPassword', message: 'This account has no password yet.' }],
    })
  // The policy first: a refused password costs no guess of the current one.
  await assertStrongPassword(input.password, [user.name, user.email ?? ''])
  if (input.currentPassword !== undefined)
    await verifyFactor(ctx, user, 'password', input.currentPassword, 'password.change', locale)
  else requireFresh(auth, user, now)
  const passwordHash = await hashPassword(input.password)
  const set = !user.passwordHash
  await ctx.db.batch(
    [
      setPasswordStatement(user.id, passwordHash),
      auditStatement(ctx, {
        actor: `user:${user.id}`,
        action: set ? 'password.set' : 'password.change',
        outcome: 'ok',
        userId: user.id,
        detail: { proof: input.currentPassword !== undefined ? 'password' : 'step_up' },
      }),
      await eventStatement(
        ctx.keys,
        'user.updated',
        { userId: user.id, fields: ['password'] },
        now,
      ),
      ...(await revokeAllStatements(ctx, user.id, auth.sessionId, now, 'password_change')),
    ],
    'write',
  )
  await notifyAccount(ctx, user, 'password_changed', locale)
  return fresh(ctx, user.id)
}

/** PATCH /v1/me */
export async function updateProfile(
  ctx: Ctx,
  auth: Authenticated,
  user: UserRow,
  patch: { name?: string; email?: string },
  locale: string,
): Promise<User> {
  const now = ctx.clock()
  const emailChange = patch.email !== undefined && patch.email !== user.email
  const nameChange = patch.name !== undefined && patch.name !== user.name
  if (emailChange) {
    requireFresh(auth, user, now)
    const owner = await findByEmail(ctx.db, patch.email!)
    if (owner && owner.id !== user.id) throw new ApiError('email_taken')
  }
  const fields = [...(nameChange ? ['name'] : []), ...(emailChange ? ['email'] : [])]
  if (!fields.length) return fresh(ctx, user.id)
  const statements: InStatement[] = [
    updateProfileStatement(user.id, {
      name: nameChange ? patch.name : undefined,
      email: emailChange ? patch.email : undefined,
    }),
    auditStatement(ctx, {
      actor: `user:${user.id}`,
      action: 'user.update',
      outcome: 'ok',
      userId: user.id,
      // The addresses are personal data: the audit keeps that it changed, and whether only the
      // case did (the same normalised address), never either address.
      detail: {
        fields: fields.join(','),
        ...(emailChange && user.email
          ? { sameAddress: normaliseEmail(user.email) === normaliseEmail(patch.email!) }
          : {}),
      },
    }),
    await eventStatement(
      ctx.keys,
      'user.updated',
      { userId: user.id, fields, ...(emailChange ? { email: patch.email } : {}) },
      now,
    ),
  ]
  try {
    await ctx.db.batch(statements, 'write')
  } catch (err) {
    if (isUniqueViolation(err, 'email')) throw new ApiError('email_taken')
    throw err
  }
  if (emailChange) await notifyAccount(ctx, user, 'email_changed', locale)
  return fresh(ctx, user.id)
}
