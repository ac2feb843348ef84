/** /v1/admin/users/{id}/*: an owner setting a user's phone, any admin unlocking the account. */
import { createRoute, z } from '@hono/zod-openapi'
import { CountryCode, text, User, Verification } from '../../shared/schemas.js'
import { audit } from '../audit/audit.js'
import { findByVerifiedPhone, findUser, setPhoneByAdmin } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { freshUser } from '../factors/me.js'
import { adminActor, adminAuth } from '../http/auth.js'
import type { AddressOf } from '../http/client.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { adminToken, body, errors, json, router, use } from '../http/openapi.js'
import { clear } from '../limits/guesses.js'
import { resolvePhone } from '../test-numbers/resolve.js'
import { siteConfig } from '../settings/settings.js'
import { startVerification } from '../verifications/start.js'
import { eventStatement } from '../events/outbox.js'

const AdminPhone = z
  .object({ phone: text(64).min(1), country: CountryCode.optional(), verify: z.boolean() })
  .strict()
const UserId = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
})

export function adminUserRoutes(ctx: Ctx, address: AddressOf) {
  const app = router()
  const admin = adminAuth(ctx)
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/users/{id}/phone',
      operationId: 'setUserPhone',
      summary: "Set a user's phone (verify: true sends an enroll code)",
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: { params: UserId, ...body(AdminPhone) },
      responses: {
        200: json(z.object({ user: User, verification: Verification.optional() }), 'Done'),
        ...errors(400, 401, 403, 404, 409, 429, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const input = c.req.valid('json')
      const user = await findUser(ctx.db, id)
      if (!user) throw new ApiError('not_found', 'No such user.')
      const { settings, listed } = await siteConfig(ctx)
      const { n } = await resolvePhone(
        listed,
        input.phone,
        input.country ?? settings.defaultCountry,
      )
      const owner = await findByVerifiedPhone(ctx.db, n.e164)
      if (owner && owner.id !== id) throw new ApiError('phone_taken')
      await setPhoneByAdmin(ctx.db, id, n.e164, owner?.id === id, [
        await eventStatement(
          ctx.keys,
          'phone.changed',
          { userId: id, phone: n.e164 },
          ctx.clock(),
          true,
        ),
      ])
      await audit(ctx, {
        actor: adminActor(c),
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
          { address: address(c), admin: { userId: id, actor: adminActor(c) } },
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
      operationId: 'unlockUser',
      summary: "Clear a user's failed attempts and lock (after 100 failures it stays until then)",
      security: adminToken,
      middleware: use(jsonBody, adminAuth(ctx, 'support')),
      request: { params: UserId },
      responses: { 200: json(z.object({ user: User }), 'The user'), ...errors(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      if (!(await findUser(ctx.db, id))) throw new ApiError('not_found', 'No such user.')
      await clear(ctx.db, id)
      await audit(ctx, {
        actor: adminActor(c),
        action: 'admin.user.unlock',
        outcome: 'ok',
        userId: id,
      })
      return c.json({ user: await freshUser(ctx, id) }, 200)
    },
  )
  return app
}
