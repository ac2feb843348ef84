/** POST /v1/me/phone/remove: removing the phone with another factor. */
import { createRoute, z } from '@hono/zod-openapi'
import { RemovePhoneBody, text, User } from '../../shared/schemas.js'
import { audit } from '../audit/audit.js'
import { removePhone } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { bearer, body, errors, json, router, use } from '../http/openapi.js'
import { requestLocale } from '../http/locale.js'
import { sendNotice } from '../messages/notice.js'
import { maskE164 } from '../phone.js'
import { revokeAllStatements } from '../sessions/revoke-all.js'
import { verifyFactor } from './check.js'
import { freshUser, signedIn } from './me.js'
import { eventStatement } from '../events/outbox.js'

export function phoneRoutes(ctx: Ctx) {
  const app = router()

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/phone/remove',
      operationId: 'removePhone',
      summary: 'Remove the phone with a TOTP or backup code',
      security: bearer,
      request: body(RemovePhoneBody),
      middleware: use(jsonBody, signedIn(ctx)),
      responses: { 200: json(z.object({ user: User }), 'The user'), ...errors(400, 401, 409, 429) },
    }),
    async (c) => {
      const { auth, user } = c.var
      const input = c.req.valid('json')
      if (!user.phone) throw new ApiError('invalid_request', 'There is no phone to remove.')
      // docs/api.md Policies: the last way in cannot be removed.
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
      await removePhone(ctx.db, user.id, [
        await eventStatement(
          ctx.keys,
          'phone.changed',
          { userId: user.id, phone: null },
          now,
          true,
        ),
      ])
      await ctx.db.batch(
        await revokeAllStatements(ctx, user.id, auth.sessionId, now, 'factor_change'),
        'write',
      )
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

  return app
}
