/** /v1/admin/settings: the site settings; support admins read them, owners change them. */
import { createRoute } from '@hono/zod-openapi'
import { Settings, SettingsPatch } from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import { adminActor, adminAuth } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { adminToken, body, errors, json, router, use } from '../http/openapi.js'
import { audit } from '../audit/audit.js'
import { getSettings, patchSettings } from '../settings/settings.js'
import { isSupportedCountry } from 'libphonenumber-js/max'
import { assertChallengeReady } from '../challenge/routes.js'

export function settingsRoutes(ctx: Ctx) {
  const app = router()
  const admin = adminAuth(ctx)
  const reader = adminAuth(ctx, 'support')
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/settings',
      operationId: 'getSettings',
      summary: 'Site settings',
      security: adminToken,
      middleware: use(reader),
      responses: { 200: json(Settings, 'The settings'), ...errors(401, 403) },
    }),
    async (c) => {
      return c.json(await getSettings(ctx.db), 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/admin/settings',
      operationId: 'updateSettings',
      summary: 'Change site settings',
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: body(SettingsPatch),
      responses: { 200: json(Settings, 'The new settings'), ...errors(400, 401, 403, 413) },
    }),
    async (c) => {
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
      await assertChallengeReady(ctx, { ...(await getSettings(ctx.db)), ...patch })
      const settings = await patchSettings(ctx.db, patch, ctx.clock())
      await audit(ctx, {
        actor: adminActor(c),
        action: 'admin.settings',
        outcome: 'ok',
        detail: { fields: Object.keys(patch).join(',') },
      })
      return c.json(settings, 200)
    },
  )
  return app
}
