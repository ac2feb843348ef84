/** GET /.well-known/jwks.json: the public key that verifies access tokens. */
import { createRoute, z } from '@hono/zod-openapi'
import type { Ctx } from '../context.js'
import { json, router } from '../http/openapi.js'

export function jwksRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'getJwks',
      summary: 'Public keys for access tokens',
      responses: {
        200: json(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), 'JWKS'),
      },
    }),
    (c) => {
      c.header('cache-control', 'public, max-age=300')
      return c.json({ keys: [ctx.signingKey.publicJwk as Record<string, unknown>] }, 200)
    },
  )
  return app
}
