/** GET /healthz: able to write to the database, within a probe's patience. */
import { createRoute, z } from '@hono/zod-openapi'
import type { Ctx } from '../context.js'
import { answerWithin } from '../db/deadline.js'
import { errors, json, router } from '../http/openapi.js'

/** A load balancer's probe gives up after a few seconds: answer well before. */
const HEALTH_TIMEOUT_MS = 1_000

export function healthRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'getHealth',
      summary: 'Health',
      responses: {
        200: json(z.object({ ok: z.boolean() }), 'Healthy'),
        ...errors(503),
      },
    }),
    async (c) => {
      // Healthy means able to write: one tiny upsert, so a read-only, full or corrupt database
      // answers 503 too. A failure is a database_unavailable problem (503, Retry-After).
      await answerWithin(
        ctx.db.execute({
          sql: 'INSERT INTO health (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at',
          args: [ctx.clock()],
        }),
        HEALTH_TIMEOUT_MS,
      )
      return c.json({ ok: true }, 200)
    },
  )
  return app
}
