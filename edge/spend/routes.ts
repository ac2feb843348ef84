/**
 * /v1/admin/prices and /v1/admin/spend (docs/api.md "Spend"): the price table the spend cap
 * estimates with, and what the UTC day and month cost so far. Owner only (the default role);
 * every price change is audited with its figures (prices are no secret).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { CountryCode } from '../../shared/schemas.js'
import { Price, PriceList, PricePut, SpendStatus } from '../../shared/spend-schemas.js'
import { auditStatement } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { adminActor, adminAuth } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { adminToken, body, errors, json, router, use } from '../http/openapi.js'
import { getSettings } from '../settings/settings.js'
import { spendStatus } from './cap.js'
import {
  ANY_COUNTRY,
  deletePriceStatement,
  listPrices,
  priceRow,
  putPriceStatement,
} from './prices.js'

const CountryParam = z.object({
  country: z.union([CountryCode, z.literal(ANY_COUNTRY)]).openapi({
    param: { name: 'country', in: 'path' },
    description: 'ISO 3166-1 alpha-2 (`IN`), or `*` (URL-encoded `%2A`): the fallback price',
  }),
})

export function spendRoutes(ctx: Ctx) {
  const app = router()
  const admin = adminAuth(ctx)

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/prices',
      operationId: 'listPrices',
      summary: 'The price table: the shipped defaults (with source and date) and the overrides',
      security: adminToken,
      middleware: use(admin),
      responses: {
        200: json(PriceList, 'Every priced country, the fallback `*` first'),
        ...errors(401),
      },
    }),
    async (c) => c.json({ prices: await listPrices(ctx.db) }, 200),
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/admin/prices/{country}',
      operationId: 'setPrice',
      summary: "Override a country's price (micro-USD per SMS and per voice call)",
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: { params: CountryParam, ...body(PricePut) },
      responses: {
        200: json(z.object({ price: Price }), 'The price as it now reads'),
        ...errors(400, 401, 415),
      },
    }),
    async (c) => {
      const { country } = c.req.valid('param')
      const p = c.req.valid('json')
      const now = ctx.clock()
      await ctx.db.batch(
        [
          putPriceStatement(country, p, now, adminActor(c)),
          auditStatement(ctx, {
            actor: adminActor(c),
            action: 'admin.price.set',
            outcome: 'ok',
            detail: { country, sms: p.sms, voice: p.voice },
          }),
        ],
        'write',
      )
      return c.json({ price: (await priceRow(ctx.db, country))! }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/prices/{country}',
      operationId: 'resetPrice',
      summary: "Drop a country's override: its shipped default (or the fallback) applies again",
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: { params: CountryParam },
      responses: { 204: { description: 'Back to the default' }, ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { country } = c.req.valid('param')
      const [removed] = await ctx.db.batch(
        [
          deletePriceStatement(country),
          auditStatement(
            ctx,
            {
              actor: adminActor(c),
              action: 'admin.price.reset',
              outcome: 'ok',
              detail: { country },
            },
            true,
          ),
        ],
        'write',
      )
      if (removed!.rowsAffected !== 1)
        throw new ApiError('not_found', 'That country has no override.')
      return c.body(null, 204)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/spend',
      operationId: 'getSpend',
      summary:
        'What the UTC day and month cost so far (micro-USD), the caps, and whether one is reached',
      security: adminToken,
      middleware: use(admin),
      responses: { 200: json(SpendStatus, 'The spend against the caps'), ...errors(401) },
    }),
    async (c) => c.json(await spendStatus(ctx.db, await getSettings(ctx.db), ctx.clock()), 200),
  )

  return app
}
