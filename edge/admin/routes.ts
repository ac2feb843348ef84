/** /v1/admin/settings and /v1/admin/audit, behind the admin token. */
import { createRoute, z } from '@hono/zod-openapi'
import { Settings, SettingsPatch } from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import { requireAdmin } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { bearer, body, errors, json, router } from '../http/openapi.js'
import { audit, listAudit } from '../audit/audit.js'
import { getSettings, patchSettings } from '../settings/settings.js'
import { isSupportedCountry } from 'libphonenumber-js/max'

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

export function adminRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/settings',
      summary: 'Site settings',
      security: bearer,
      responses: { 200: json(Settings, 'The settings'), ...errors(401) },
    }),
    async (c) => {
      await requireAdmin(ctx, c)
      return c.json(await getSettings(ctx.db), 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/admin/settings',
      summary: 'Change site settings',
      security: bearer,
      request: body(SettingsPatch),
      responses: { 200: json(Settings, 'The new settings'), ...errors(400, 401, 413) },
    }),
    async (c) => {
      await requireAdmin(ctx, c)
      const patch = c.req.valid('json')
      const countries = [
        ...(patch.defaultCountry ? [patch.defaultCountry] : []),
        ...(patch.allowedCountries ?? []),
      ]
      const bad = countries.filter((cc) => !isSupportedCountry(cc))
      if (bad.length) {
        throw new ApiError('invalid_request', 'Unknown country code.', {
          errors: bad.map((cc) => ({
            path: 'allowedCountries',
            message: `${cc} is not a country with phone numbers`,
          })),
        })
      }
      const settings = await patchSettings(ctx.db, patch, ctx.clock())
      await audit(ctx, {
        actor: 'admin',
        action: 'admin.settings',
        outcome: 'ok',
        detail: { fields: Object.keys(patch).join(',') },
      })
      return c.json(settings, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/audit',
      summary: 'Security events, newest first, a page at a time',
      description:
        'Pass `nextBefore` of a page as `before` to get the next (older) one; it is null on the last page.',
      security: bearer,
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
        ...errors(400, 401),
      },
    }),
    async (c) => {
      await requireAdmin(ctx, c)
      return c.json(await listAudit(ctx, c.req.valid('query')), 200)
    },
  )
  return app
}
