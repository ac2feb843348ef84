/** /v1/me/sessions: the signed-in user's devices, signing one out, "sign out everywhere else". */
import { createRoute, z } from '@hono/zod-openapi'
import { DeviceSessions, RevokedCount } from '../../shared/account-schemas.js'
import { audit } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { userAuth } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { bearer, errors, json, router, use } from '../http/openapi.js'
import { revokeAllStatements, revokedCount } from './revoke-all.js'
import { listSessions, revokeOwnSession } from './user-sessions.js'

const SessionId = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
})

export function mySessionRoutes(ctx: Ctx) {
  const app = router()
  const auth = userAuth(ctx)
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/sessions',
      operationId: 'listMySessions',
      summary: "The signed-in user's live sessions (devices)",
      security: bearer,
      middleware: use(auth),
      responses: { 200: json(DeviceSessions, 'The sessions'), ...errors(401) },
    }),
    async (c) => {
      const { userId, sessionId } = c.var.auth
      return c.json({ sessions: await listSessions(ctx.db, userId, ctx.clock(), sessionId) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/me/sessions/{id}',
      operationId: 'revokeMySession',
      summary: 'Sign one of your sessions out (another user’s id is not found)',
      security: bearer,
      middleware: use(jsonBody, auth),
      request: { params: SessionId },
      responses: { 204: { description: 'Signed out' }, ...errors(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { userId } = c.var.auth
      if (!(await revokeOwnSession(ctx, userId, id, ctx.clock(), 'user')))
        throw new ApiError('not_found', 'No such session.')
      await audit(ctx, { actor: 'user', action: 'session.revoke', outcome: 'ok', userId })
      return c.body(null, 204)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/sessions/revoke-others',
      operationId: 'revokeMyOtherSessions',
      summary: 'Sign out everywhere else',
      security: bearer,
      middleware: use(jsonBody, auth),
      responses: { 200: json(RevokedCount, 'How many sessions ended'), ...errors(401) },
    }),
    async (c) => {
      const { userId, sessionId } = c.var.auth
      const now = ctx.clock()
      const statements = await revokeAllStatements(ctx, userId, sessionId, now, 'user')
      const revoked = revokedCount(await ctx.db.batch(statements, 'write'))
      await audit(ctx, {
        actor: 'user',
        action: 'session.revoke_others',
        outcome: 'ok',
        userId,
        detail: { revoked },
      })
      return c.json({ revoked }, 200)
    },
  )
  return app
}
