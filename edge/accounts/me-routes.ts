/** GET /v1/me: the signed-in user. */
import { createRoute, z } from '@hono/zod-openapi'
import { User } from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import { signedIn } from '../factors/me.js'
import { bearer, errors, json, router, use } from '../http/openapi.js'
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
  return app
}
