/** GET /v1/config, /healthz, /.well-known/jwks.json, and the development outbox. */
import { createRoute, z } from '@hono/zod-openapi'
import { PublicConfig } from '../shared/schemas.js'
import { getSettings } from './settings/settings.js'
import type { Ctx } from './context.js'
import { answerWithin } from './db/deadline.js'
import { errors, json, router } from './http/openapi.js'
import { allowedCountries, normalisePhone } from './phone.js'

/** A load balancer's probe gives up after a few seconds: answer well before. */
const HEALTH_TIMEOUT_MS = 1_000

const OutboxMessage = z.object({
  to: z.string(),
  channel: z.string(),
  body: z.string(),
  code: z.string().nullable(),
  at: z.string(),
})

export function publicRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/config',
      summary: 'Widget configuration',
      responses: { 200: json(PublicConfig, 'Configuration') },
    }),
    async (c) => {
      const s = await getSettings(ctx.db)
      c.header('cache-control', 'no-cache')
      return c.json(
        {
          siteName: s.siteName,
          defaultCountry: s.defaultCountry,
          allowedCountries: allowedCountries(s, ctx.config.mode),
          codeLength: s.codeLength,
          channels: ['sms', 'voice'] as ('sms' | 'voice')[],
          resendCooldownSeconds: s.resendCooldownSeconds,
          phoneLogin: s.phoneLogin,
          phoneRegistration: s.phoneRegistration,
          passwordLogin: s.passwordLogin,
        },
        200,
      )
    },
  )
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
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
  app.openapi(
    createRoute({
      method: 'get',
      path: '/.well-known/jwks.json',
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
  if (ctx.config.mode === 'development') {
    app.openapi(
      createRoute({
        method: 'get',
        path: '/v1/dev/outbox',
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
  }
  return app
}
