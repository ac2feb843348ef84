/** Removing the phone with another factor; an admin setting a user's phone or unlocking it. */
import { createRoute, z } from '@hono/zod-openapi'
import { CountryCode, RemovePhoneBody, text, User, Verification } from '../../shared/schemas.js'
import { audit } from '../admin/audit.js'
import { getSettings } from '../admin/settings.js'
import { findByVerifiedPhone, findUser } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { requireAdmin } from '../http/auth.js'
import type { AddressOf } from '../http/client.js'
import { ApiError } from '../http/errors.js'
import { bearer, body, errors, json, router } from '../http/openapi.js'
import { requestLocale } from '../http/locale.js'
import { clear } from '../limits/guesses.js'
import { sendNotice } from '../messages/notice.js'
import { maskE164, normalisePhone } from '../phone.js'
import { revokeOtherSessions } from '../sessions/sessions.js'
import { startVerification } from '../verifications/start.js'
import { verifyFactor } from './check.js'
import { freshUser, me } from './me.js'

const AdminPhone = z
  .object({ phone: text(64).min(1), country: CountryCode.optional(), verify: z.boolean() })
  .strict()
const UserId = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
})

export function phoneRoutes(ctx: Ctx, address: AddressOf) {
  const app = router()
  const userJson = json(z.object({ user: User }), 'The user')

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/phone/remove',
      summary: 'Remove the phone with a TOTP or backup code',
      security: bearer,
      request: body(RemovePhoneBody),
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
        requestLocale(c),
      )
      const now = ctx.clock()
      await ctx.db.execute({
        sql: 'UPDATE users SET phone = NULL, phone_verified = 0, phone_change_until = 0 WHERE id = ?',
        args: [user.id],
      })
      await revokeOtherSessions(ctx.db, user.id, auth.sessionId, now)
      if (user.phoneVerified) await sendNotice(ctx, user.phone, 'phone_removed', requestLocale(c))
      await audit(ctx, {
        actor: `user:${user.id}`,
        action: 'factor.phone.remove',
        outcome: 'ok',
        userId: user.id,
        phoneMasked: maskE164(user.phone),
      })
      return c.json({ user: await freshUser(ctx, user.id) }, 200)
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
          { address: address(c), admin: { userId: id } },
        )
      }
      return c.json(
        { user: await freshUser(ctx, id), ...(verification ? { verification } : {}) },
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/users/{id}/unlock',
      summary: "Clear a user's failed attempts and lock (after 100 failures it stays until then)",
      security: bearer,
      request: { params: UserId },
      responses: { 200: userJson, ...errors(401, 404) },
    }),
    async (c) => {
      await requireAdmin(ctx, c)
      const { id } = c.req.valid('param')
      if (!(await findUser(ctx.db, id))) throw new ApiError('not_found', 'No such user.')
      await clear(ctx.db, id)
      await audit(ctx, { actor: 'admin', action: 'admin.user.unlock', outcome: 'ok', userId: id })
      return c.json({ user: await freshUser(ctx, id) }, 200)
    },
  )
  return app
}
