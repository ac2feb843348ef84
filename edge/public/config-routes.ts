/** GET /v1/config: what the widget needs to know of the site's settings. */
import { createRoute } from '@hono/zod-openapi'
import { ChannelSchema } from '../../shared/enums.js'
import { PublicConfig } from '../../shared/schemas.js'
import { getSettings } from '../settings/settings.js'
import type { Ctx } from '../context.js'
import { json, router } from '../http/openapi.js'
import { allowedCountries } from '../phone.js'
import { publicChallenge } from '../challenge/routes.js'

export function configRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/config',
      operationId: 'getConfig',
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
          channels: [...ChannelSchema.options],
          resendCooldownSeconds: s.resendCooldownSeconds,
          phoneLogin: s.phoneLogin,
          phoneRegistration: s.phoneRegistration,
          passwordLogin: s.passwordLogin,
          challenge: await publicChallenge(ctx, s),
        },
        200,
      )
    },
  )
  return app
}
