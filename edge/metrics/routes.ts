/** GET /metrics: this instance's Prometheus metrics, for the admin token or SMS_AUTH_METRICS_TOKEN. */
import { createRoute, z } from '@hono/zod-openapi'
import { createMiddleware } from 'hono/factory'
import type { Ctx } from '../context.js'
import { constantTimeEqual, sha256Hex } from '../crypto/keys.js'
import { bearerToken, requireAdmin } from '../http/auth.js'
import { errors, metricsOrAdminToken, router, use } from '../http/openapi.js'
import type { Metrics } from './metrics.js'

/** A scraper may hold its own token, so it never holds the admin's; the admin token works too. */
const scraperAuth = (ctx: Ctx) =>
  createMiddleware(async (c, next) => {
    const token = ctx.config.metricsToken
    const given = bearerToken(c)
    if (!(token && given && constantTimeEqual(sha256Hex(given), sha256Hex(token))))
      await requireAdmin(ctx, c)
    await next()
  })

export function metricsRoutes(ctx: Ctx, metrics: Metrics) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'getMetrics',
      summary: 'Prometheus metrics of this instance (admin or metrics token)',
      security: metricsOrAdminToken,
      middleware: use(scraperAuth(ctx)),
      responses: {
        200: {
          description: 'Text exposition format 0.0.4',
          content: { 'text/plain': { schema: z.string() } },
        },
        ...errors(401),
      },
    }),
    async (c) => {
      c.header('cache-control', 'no-store')
      return c.text(metrics.render(), 200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      })
    },
  )
  return app
}
