/**
 * GET /v1/admin/limits: every limit with what it means, where its number comes from, the value in
 * force and, for the tunable ones, their setting, default and safe range (edge/limits/catalogue.ts).
 * The Policies tab draws its limits section from it; changes go through PATCH /v1/admin/settings.
 */
import { createRoute } from '@hono/zod-openapi'
import { LimitsView } from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import { adminAuth } from '../http/auth.js'
import { adminToken, errors, json, router, use } from '../http/openapi.js'
import { limitsView } from '../limits/catalogue.js'
import { getSettings } from '../settings/settings.js'

export function limitsRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/limits',
      operationId: 'listLimits',
      summary: 'Every limit, its meaning, source, value and safe range',
      security: adminToken,
      middleware: use(adminAuth(ctx, 'support')),
      responses: { 200: json(LimitsView, 'The limits'), ...errors(401, 403) },
    }),
    async (c) => c.json({ limits: limitsView(await getSettings(ctx.db)) }, 200),
  )
  return app
}
