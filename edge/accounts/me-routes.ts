/** GET /v1/me: the signed-in user; DELETE /v1/me: the account, after a step-up. */
import { createRoute, z } from '@hono/zod-openapi'
import { User } from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import { signedIn } from '../factors/me.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { bearer, errors, json, router, use } from '../http/openapi.js'
import { requireFresh } from '../sessions/reauth.js'
import { deleteAccount } from './delete-account.js'
import { publicUser } from './users.js'

export function meRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me',
      operationId: 'getMe',
      summary: 'The signed-in user',
      security: bearer,
      middleware: use(signedIn(ctx)),
      responses: { 200: json(z.object({ user: User }), 'The user'), ...errors(401) },
    }),
    async (c) => {
      return c.json({ user: await publicUser(ctx.db, c.var.user) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/me',
      operationId: 'deleteMe',
      summary: 'Delete the account (needs a recent proof of a factor)',
      security: bearer,
      middleware: use(jsonBody, signedIn(ctx)),
      responses: { 204: { description: 'Deleted' }, ...errors(401, 403) },
    }),
    async (c) => {
      requireFresh(c.var.auth, c.var.user, ctx.clock())
      if (!(await deleteAccount(ctx, c.var.user.id, 'user'))) throw new ApiError('unauthorized')
      return c.body(null, 204)
    },
  )
  return app
}
