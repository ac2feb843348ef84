/** /v1/admin/audit: the security events, a page at a time, for every admin role. */
import { createRoute, z } from '@hono/zod-openapi'
import type { Ctx } from '../context.js'
import { adminAuth } from '../http/auth.js'
import { adminToken, errors, json, router, use } from '../http/openapi.js'
import { listAudit } from '../audit/audit.js'

const AuditEvent = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  outcome: z.string(),
  userId: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
})

export function auditRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/audit',
      operationId: 'listAuditEvents',
      summary: 'Security events, newest first, a page at a time',
      description:
        'Pass `nextBefore` of a page as `before` to get the next (older) one; it is null on the last page.',
      security: adminToken,
      middleware: use(adminAuth(ctx, 'support')),
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          action: z.string().max(64).optional(),
          before: z.coerce
            .number()
            .int()
            .min(1)
            .max(Number.MAX_SAFE_INTEGER)
            .optional()
            .describe('Only events older than the event with this id (a page cursor)'),
        }),
      },
      responses: {
        200: json(
          z.object({ events: z.array(AuditEvent), nextBefore: z.number().nullable() }),
          'Events',
        ),
        ...errors(400, 401, 403),
      },
    }),
    async (c) => {
      return c.json(await listAudit(ctx, c.req.valid('query')), 200)
    },
  )
  return app
}
