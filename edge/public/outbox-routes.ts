/** GET /v1/dev/outbox: development only, what the console provider sent (app.ts mounts it then). */
import { createRoute, z } from '@hono/zod-openapi'
import type { Ctx } from '../context.js'
import { errors, json, router } from '../http/openapi.js'
import { normalisePhone } from '../phone.js'

const OutboxMessage = z.object({
  to: z.string(),
  channel: z.string(),
  body: z.string(),
  code: z.string().nullable(),
  at: z.string(),
})

export function outboxRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/dev/outbox',
      operationId: 'listDevOutbox',
      summary: 'Development only: what the console provider sent',
      request: {
        query: z.object({
          to: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: {
        200: json(z.object({ messages: z.array(OutboxMessage) }), 'Messages'),
        ...errors(400),
      },
    }),
    async (c) => {
      const { to, limit } = c.req.valid('query')
      // A '+' in a query string arrives as a space.
      const phone = to ? normalisePhone(to.trim().replace(/^(\d)/, '+$1')).e164 : null
      // Two forms, each a search from the newest id (`:to IS NULL OR …` would scan the table).
      const r = await ctx.db.execute({
        sql: `SELECT to_phone, channel, body, code, at FROM dev_outbox
              WHERE ${phone ? 'to_phone = :to AND ' : ''}id < :top ORDER BY id DESC LIMIT :limit`,
        args: { ...(phone ? { to: phone } : {}), top: Number.MAX_SAFE_INTEGER, limit },
      })
      return c.json(
        {
          messages: r.rows.map((m) => ({
            to: String(m.to_phone),
            channel: String(m.channel),
            body: String(m.body),
            code: m.code === null ? null : String(m.code),
            at: new Date(Number(m.at)).toISOString(),
          })),
        },
        200,
      )
    },
  )
  return app
}
