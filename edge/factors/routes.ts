/** Second factors: backup codes, TOTP, the mfa finishing routes, phone removal, admin phone. */
import { createRoute, z } from '@hono/zod-openapi'
import { text, User, UserSession } from '../../shared/schemas.js'
import { audit } from '../admin/audit.js'
import { getSettings } from '../admin/settings.js'
import { completeSignIn } from '../accounts/sign-in.js'
import { peekTicket, spendTicket } from '../accounts/tickets.js'
import { findByVerifiedPhone, findUser, publicUser } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { requireAdmin, requireUser } from '../http/auth.js'
import type { AddressOf } from '../http/client.js'
import { ApiError } from '../http/errors.js'
import { bearer, body, errors, json, router } from '../http/openapi.js'
import { sendNotice } from '../messages/notice.js'
import { maskE164, normalisePhone } from '../phone.js'
import { revokeOtherSessions } from '../sessions/sessions.js'
import { startVerification } from '../verifications/service.js'
import { Verification } from '../../shared/schemas.js'
import { newSet } from './backup-codes.js'
import { verifyFactor, type FactorKind } from './check.js'
import { loadSecret, matchStep, newSecret, otpauthUrl, sealSecret } from './totp.js'

const Code = z.object({ code: text(64).min(1) }).strict()
const MfaBody = z.object({ mfaTicket: text(200).min(1), code: text(64).min(1) }).strict()
const RemoveBody = z
  .object({ totpCode: text(64).min(1).optional(), backupCode: text(64).min(1).optional() })
  .strict()
  .refine((b) => !!b.totpCode !== !!b.backupCode, {
    message: 'give totpCode or backupCode',
    path: ['totpCode'],
  })
const AdminPhone = z
  .object({
    phone: text(64).min(1),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    verify: z.boolean(),
  })
  .strict()
const UserId = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
})

async function me(ctx: Ctx, c: Parameters<typeof requireUser>[1]) {
  const auth = await requireUser(ctx, c)
  const user = await findUser(ctx.db, auth.userId)
  if (!user) throw new ApiError('unauthorized')
  return { auth, user }
}

export function factorRoutes(ctx: Ctx, address: AddressOf) {
  const app = router()
  const userJson = json(z.object({ user: User }), 'The user')

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/backup-codes',
      summary: 'A new set of backup codes (shown once)',
      security: bearer,
      responses: {
        201: json(z.object({ codes: z.array(z.string()) }), 'The codes'),
        ...errors(401),
      },
    }),
    async (c) => {
      const { user } = await me(ctx, c)
      const codes = await newSet(ctx.db, ctx.keys.lookupHmac, user.id, ctx.clock())
      await audit(ctx, {
        actor: `user:${user.id}`,
        action: 'factor.backup_codes.new',
        outcome: 'ok',
        userId: user.id,
      })
      return c.json({ codes }, 201)
    },
  )
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/backup-codes',
      summary: 'How many backup codes are left',
      security: bearer,
      responses: { 200: json(z.object({ remaining: z.number() }), 'Remaining'), ...errors(401) },
    }),
    async (c) => {
      const { user } = await me(ctx, c)
      return c.json(
        { remaining: (await publicUser(ctx.db, user)).twoStep.backupCodesRemaining },
        200,
      )
    },
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/totp',
      summary: 'Start TOTP set-up: a new secret, not yet on',
      security: bearer,
      responses: {
        200: json(z.object({ secret: z.string(), otpauthUrl: z.string() }), 'The secret'),
        ...errors(401),
      },
    }),
    async (c) => {
      const { user } = await me(ctx, c)
      const secret = newSecret()
      await ctx.db.execute({
        sql: 'UPDATE users SET totp_pending_sealed = ? WHERE id = ?',
        args: [await sealSecret(ctx.keys.aes, secret), user.id],
      })
      const site = (await getSettings(ctx.db)).siteName
      return c.json(
        { secret, otpauthUrl: otpauthUrl(secret, site, user.email ?? user.phone ?? user.id) },
        200,
      )
    },
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/totp/verify',
      summary: 'Turn TOTP on with a current code',
      security: bearer,
      request: body(Code),
      responses: { 200: userJson, ...errors(400, 401, 409) },
    }),
    async (c) => {
      const { user } = await me(ctx, c)
      const { code } = c.req.valid('json')
      const pending = await loadSecret(ctx.db, ctx.keys.aes, user.id, 'totp_pending_sealed')
      if (!pending)
        throw new ApiError('invalid_request', 'Start TOTP set-up first (POST /v1/me/totp).')
      const step = matchStep(pending, code, ctx.clock())
      // The confirming code's step is claimed too, so it cannot double as a first sign-in code.
      if (step === null)
        throw new ApiError('invalid_credentials', 'That authenticator code is not right.')
      await ctx.db.execute({
        sql: `UPDATE users SET totp_secret_sealed = totp_pending_sealed, totp_pending_sealed = NULL,
                totp_enabled = 1, totp_last_step = ? WHERE id = ?`,
        args: [step, user.id],
      })
      await audit(ctx, {
        actor: `user:${user.id}`,
        action: 'factor.totp.enable',
        outcome: 'ok',
        userId: user.id,
      })
      return c.json({ user: await publicUser(ctx.db, (await findUser(ctx.db, user.id))!) }, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/me/totp',
      summary: 'Turn TOTP off (needs a current code)',
      security: bearer,
      request: body(Code),
      responses: { 200: userJson, ...errors(400, 401, 429) },
    }),
    async (c) => {
      const { user } = await me(ctx, c)
      if (!user.totpEnabled) throw new ApiError('invalid_request', 'TOTP is not on.')
      await verifyFactor(ctx, user, 'totp', c.req.valid('json').code, 'factor.totp.disable')
      await ctx.db.execute({
        sql: 'UPDATE users SET totp_enabled = 0, totp_secret_sealed = NULL WHERE id = ?',
        args: [user.id],
      })
      return c.json({ user: await publicUser(ctx.db, (await findUser(ctx.db, user.id))!) }, 200)
    },
  )

  for (const [path, kind] of [
    ['/v1/mfa/totp', 'totp'],
    ['/v1/mfa/backup-code', 'backup_code'],
  ] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path,
        summary: `Finish a sign-in with ${kind === 'totp' ? 'a TOTP code' : 'a backup code'}`,
        request: body(MfaBody),
        responses: { 200: json(UserSession, 'Signed in'), ...errors(400, 401, 429) },
      }),
      async (c) => {
        const { mfaTicket, code } = c.req.valid('json')
        const now = ctx.clock()
        const t = await peekTicket(ctx.db, mfaTicket, 'mfa', now)
        const user = t?.userId ? await findUser(ctx.db, t.userId) : null
        if (!t || !user)
          throw new ApiError('unauthorized', 'The sign-in step has expired. Start again.')
        await verifyFactor(ctx, user, kind as FactorKind, code, 'signin.mfa')
        if (!(await spendTicket(ctx.db, mfaTicket, 'mfa', now)))
          throw new ApiError('unauthorized', 'The sign-in step was already used.')
        return c.json(await completeSignIn(ctx, user), 200)
      },
    )
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/phone/remove',
      summary: 'Remove the phone with a TOTP or backup code',
      security: bearer,
      request: body(RemoveBody),
      responses: { 200: userJson, ...errors(400, 401, 409, 429) },
    }),
    async (c) => {
      const { auth, user } = await me(ctx, c)
      const input = c.req.valid('json')
      if (!user.phone) throw new ApiError('invalid_request', 'There is no phone to remove.')
      // API.md Policies: the last way in cannot be removed.
      if (!user.passwordHash)
        throw new ApiError(
          'policy_violation',
          'This phone is the only way to sign in to this account. Change it instead.',
        )
      await verifyFactor(
        ctx,
        user,
        input.totpCode ? 'totp' : 'backup_code',
        (input.totpCode ?? input.backupCode)!,
        'factor.phone.remove',
      )
      const now = ctx.clock()
      await ctx.db.execute({
        sql: 'UPDATE users SET phone = NULL, phone_verified = 0, phone_change_until = 0 WHERE id = ?',
        args: [user.id],
      })
      await revokeOtherSessions(ctx.db, user.id, auth.sessionId, now)
      if (user.phoneVerified) {
        await sendNotice(ctx, user.phone, 'phone_removed')
      }
      await audit(ctx, {
        actor: `user:${user.id}`,
        action: 'factor.phone.remove',
        outcome: 'ok',
        userId: user.id,
        phoneMasked: maskE164(user.phone),
      })
      return c.json({ user: await publicUser(ctx.db, (await findUser(ctx.db, user.id))!) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/users/{id}/phone',
      summary: "Set a user's phone (verify: true sends an enroll code)",
      security: bearer,
      request: { params: UserId, ...body(AdminPhone) },
      responses: {
        200: json(z.object({ user: User, verification: Verification.optional() }), 'Done'),
        ...errors(400, 401, 404, 409, 429, 503),
      },
    }),
    async (c) => {
      await requireAdmin(ctx, c)
      const { id } = c.req.valid('param')
      const input = c.req.valid('json')
      const user = await findUser(ctx.db, id)
      if (!user) throw new ApiError('not_found', 'No such user.')
      const settings = await getSettings(ctx.db)
      const n = normalisePhone(input.phone, input.country ?? settings.defaultCountry)
      const owner = await findByVerifiedPhone(ctx.db, n.e164)
      if (owner && owner.id !== id) throw new ApiError('phone_taken')
      await ctx.db.execute({
        sql: 'UPDATE users SET phone = ?, phone_verified = ? WHERE id = ?',
        args: [n.e164, owner?.id === id ? 1 : 0, id],
      })
      await audit(ctx, {
        actor: 'admin',
        action: 'admin.user.phone',
        outcome: 'ok',
        userId: id,
        phoneMasked: n.masked,
        detail: { verify: input.verify },
      })
      let verification
      if (input.verify && owner?.id !== id) {
        verification = await startVerification(
          ctx,
          { purpose: 'enroll', phone: n.e164, channel: 'sms' },
          { address: address(c), auth: { userId: id, sessionId: '' } },
        )
      }
      return c.json(
        {
          user: await publicUser(ctx.db, (await findUser(ctx.db, id))!),
          ...(verification ? { verification } : {}),
        },
        200,
      )
    },
  )
  return app
}
