/**
 * POST /v1/sessions/introspect (RFC 7662), for site backends that would rather ask than verify the
 * JWT themselves: behind the admin token (a server-to-server call, never from a browser: it
 * answers no CORS preflight, http/origin.ts). A valid access token of a live session is `active`
 * with its claims; anything else (expired, signed by another key, its session ended, garbage) is
 * `{"active": false}` and nothing more, so the answer tells nothing about why.
 */
import { createRoute } from '@hono/zod-openapi'
import { IntrospectBody, Introspection } from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import { adminTokenAuth } from '../http/auth.js'
import { jsonBody } from '../http/json-body.js'
import { adminToken, body, errors, json, router, use } from '../http/openapi.js'
import { INTROSPECT_PATH } from '../http/origin.js'
import { amrClaim, verifyAccessToken } from './claims.js'
import { amrOf } from './sessions.js'

export async function introspect(ctx: Ctx, token: string): Promise<Introspection> {
  const now = ctx.clock()
  const claims = await verifyAccessToken(ctx.signingKey, ctx.config.publicUrl, token, now)
  if (!claims) return { active: false }
  const r = await ctx.db.execute({
    sql: `SELECT sessions.amr, users.phone_verified
          FROM sessions JOIN users ON users.id = sessions.user_id
          WHERE sessions.id = ? AND sessions.user_id = ? AND sessions.revoked_at IS NULL
            AND sessions.expires_at > ?`,
    args: [claims.sid, claims.sub, now],
  })
  const row = r.rows[0]
  if (!row) return { active: false }
  // The token's own claims; a token signed before they existed is told from its session row.
  const amr = claims.amr
  return {
    active: true,
    sub: claims.sub,
    sid: claims.sid,
    exp: Number(claims.exp),
    amr:
      Array.isArray(amr) && amr.every((v) => typeof v === 'string')
        ? amr
        : amrClaim(amrOf(row.amr)),
    auth_time: Number(claims.auth_time),
    phone_verified:
      typeof claims.phone_verified === 'boolean'
        ? claims.phone_verified
        : Number(row.phone_verified) === 1,
  }
}

export function introspectRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'post',
      path: INTROSPECT_PATH,
      operationId: 'introspectToken',
      summary: 'Introspect an access token (RFC 7662; admin token)',
      security: adminToken,
      middleware: use(jsonBody, adminTokenAuth(ctx)),
      request: body(IntrospectBody),
      responses: {
        200: json(Introspection, 'Whether the token is active, and its claims if so'),
        ...errors(400, 401, 403, 413, 415),
      },
    }),
    async (c) => {
      const { token } = c.req.valid('json')
      c.header('cache-control', 'no-store')
      return c.json(await introspect(ctx, token), 200)
    },
  )
  return app
}
