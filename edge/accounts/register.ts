/** Creating an account: from a registration ticket (a proven phone) or with email and password. */
import type { z } from '@hono/zod-openapi'
import type { CreateUserBody } from '../../shared/schemas.js'
import { auditStatement } from '../audit/audit.js'
import { getSettings } from '../settings/settings.js'
import { issuer, type Ctx } from '../context.js'
import { newId } from '../crypto/random.js'
import { eventStatement } from '../events/outbox.js'
import { ApiError } from '../http/errors.js'
import { maskE164 } from '../phone.js'
import { assertStrongPassword, hashPassword } from './password.js'
import { prepareSession, type ProofMethod } from '../sessions/sessions.js'
import { peekTicket, ticketHash } from './tickets.js'
import {
  findByEmail,
  findUser,
  insertUserStatement,
  isUniqueViolation,
  normaliseEmail,
  publicUser,
} from './users.js'

export async function register(ctx: Ctx, input: z.infer<typeof CreateUserBody>, now: number) {
  const emailNorm = normaliseEmail(input.email)
  if (await findByEmail(ctx.db, emailNorm))
    throw new ApiError('email_taken', 'An account with this email exists. Sign in instead.')
  const id = newId('usr')
  let phone: string | null = null
  let passwordHash: string | null = null
  if (input.registrationTicket) {
    const t = await peekTicket(ctx, input.registrationTicket, 'registration', now)
    if (!t?.phone)
      throw new ApiError(
        'unauthorized',
        'The registration step has expired. Verify the phone again.',
      )
    phone = t.phone
  } else {
    const settings = await getSettings(ctx.db)
    if (!settings.passwordLogin)
      throw new ApiError('forbidden', 'Registration with a password is turned off on this site.')
    await assertStrongPassword(input.password!, [input.name, input.email])
    passwordHash = await hashPassword(input.password!)
  }
  // One write: the ticket spent (exactly one caller can), the user, the audit row and the first
  // session, all or nothing, whatever moment the process dies at.
  const amr: ProofMethod[] = [phone ? 'sms' : 'password']
  const session = await prepareSession(
    issuer(ctx),
    { id, phoneVerified: phone !== null },
    amr,
    true,
  )
  const spend = input.registrationTicket
    ? [
        {
          sql: `UPDATE tickets SET used_at = ? WHERE hash = ? AND kind = 'registration'
                AND used_at IS NULL AND expires_at > ?`,
          args: [now, ticketHash(input.registrationTicket), now],
        },
      ]
    : []
  const insertUser = insertUserStatement(
    {
      id,
      name: input.name,
      email: input.email.trim(),
      emailNorm,
      passwordHash,
      phone,
      createdAt: now,
    },
    spend.length > 0,
  )
  const event = {
    actor: `user:${id}`,
    action: 'account.register',
    outcome: 'ok',
    userId: id,
    phoneMasked: phone ? maskE164(phone) : null,
    detail: { method: phone ? 'phone' : 'password' },
  }
  let results
  try {
    results = await ctx.db.batch(
      [
        ...spend,
        insertUser,
        auditStatement(ctx, event, true),
        await eventStatement(
          ctx.keys,
          'user.created',
          { userId: id, phone, email: input.email.trim(), methods: [phone ? 'sms' : 'password'] },
          now,
          true,
        ),
        ...session.statements,
      ],
      'write',
    )
  } catch (err) {
    if (isUniqueViolation(err, 'email')) throw new ApiError('email_taken')
    if (isUniqueViolation(err))
      throw new ApiError('phone_taken', 'This phone already has an account. Sign in instead.')
    throw err
  }
  if (results[spend.length]!.rowsAffected !== 1)
    throw new ApiError('unauthorized', 'The registration step was already used. Verify again.')
  const user = await findUser(ctx.db, id)
  if (!user) throw new Error('user vanished after insert')
  return { user: await publicUser(ctx.db, user), session: await session.sign() }
}
