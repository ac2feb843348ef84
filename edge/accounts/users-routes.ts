/** POST /v1/users: register, with a registration ticket or with email and password. */
import { createRoute } from '@hono/zod-openapi'
import { CreateUserBody, UserSession } from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import type { AddressOf } from '../http/client.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { body, errors, json, router, use } from '../http/openapi.js'
import { refund as refundLimits, reportTo, takeOrThrow } from '../limits/limits.js'
import { limitOf, SIGN_UPS_PER_ADDRESS } from '../limits/policy.js'
import { getSettings } from '../settings/settings.js'
import { register } from './register.js'

export function userRoutes(ctx: Ctx, address: AddressOf) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/users',
      operationId: 'createUser',
      summary: 'Register (with a registration ticket, or with email and password)',
      middleware: use(jsonBody),
      request: body(CreateUserBody),
      responses: {
        201: json(UserSession, 'Account created and signed in'),
        ...errors(400, 401, 403, 409, 413, 429),
      },
    }),
    async (c) => {
      const input = c.req.valid('json')
      const now = ctx.clock()
      // Per address, so `email_taken` cannot list accounts at scale.
      const signUps = [limitOf(SIGN_UPS_PER_ADDRESS(await getSettings(ctx.db)), address(c))]
      await takeOrThrow(
        ctx.db,
        signUps,
        now,
        'Too many new accounts from here. Try again later.',
        reportTo(ctx.log),
      )
      try {
        return c.json(await register(ctx, input, now), 201)
      } catch (err) {
        // Only an account made or an email found costs a slot: a refusal changes nothing.
        if (!(err instanceof ApiError && err.code === 'email_taken'))
          await refundLimits(ctx.db, signUps, now)
        throw err
      }
    },
  )
  return app
}
