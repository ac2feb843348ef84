/**
 * GET and PUT /v1/admin/challenge (owner only): the bot challenge's secret key, write-only (a read
 * says whether it is set), and its optional `baseUrl`. Provider, mode and site key are settings
 * (PATCH /v1/admin/settings); turning the mode on needs the site key and this secret first.
 */
import { createRoute } from '@hono/zod-openapi'
import { ChallengeSecretPut, ChallengeSecretView } from '../../shared/challenge-schemas.js'
import type { PublicConfig, Settings } from '../../shared/schemas.js'
import { audit } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { adminActor, adminAuth } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { adminToken, body, errors, json, router, use } from '../http/openapi.js'
import { baseUrlProblem, parseBaseUrl } from '../integrations/base-url.js'
import { getSettings } from '../settings/settings.js'
import { scriptUrl } from './providers.js'
import { readChallenge, writeChallenge, type StoredChallenge } from './store.js'

const view = (s: StoredChallenge) => ({
  secretKeySet: s.sealed !== null,
  baseUrl: s.baseUrl,
  updatedAt: s.updatedAt === null ? null : new Date(s.updatedAt).toISOString(),
})

/** `/v1/config`'s `challenge`: what the widget renders, or null when off. */
export async function publicChallenge(ctx: Ctx, s: Settings): Promise<PublicConfig['challenge']> {
  if (s.challengeMode === 'off' || !s.challengeSiteKey) return null
  const { baseUrl } = await readChallenge(ctx.db)
  return {
    provider: s.challengeProvider,
    siteKey: s.challengeSiteKey,
    mode: s.challengeMode,
    scriptUrl: scriptUrl(s.challengeProvider, s.challengeSiteKey, baseUrl),
  }
}

/**
 * A settings change that would turn the challenge on without its keys: `invalid_request` (the
 * start would otherwise fail closed for every caller the challenge is asked of).
 */
export async function assertChallengeReady(ctx: Ctx, next: Settings): Promise<void> {
  if (next.challengeMode === 'off') return
  const missing: { path: string; message: string }[] = []
  if (!next.challengeSiteKey)
    missing.push({ path: 'challengeSiteKey', message: 'set the site key to turn the challenge on' })
  if (!(await readChallenge(ctx.db)).sealed)
    missing.push({
      path: 'challengeMode',
      message: 'set the secret key first (PUT /v1/admin/challenge)',
    })
  if (missing.length)
    throw new ApiError('invalid_request', 'The bot challenge needs its keys.', { errors: missing })
}

export function challengeRoutes(ctx: Ctx) {
  const app = router()
  const owner = adminAuth(ctx)
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/challenge',
      operationId: 'getChallengeSecret',
      summary: "The bot challenge's secret key (whether it is set) and base URL",
      security: adminToken,
      middleware: use(owner),
      responses: { 200: json(ChallengeSecretView, 'The challenge keys'), ...errors(401, 403) },
    }),
    async (c) => c.json(view(await readChallenge(ctx.db)), 200),
  )
  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/admin/challenge',
      operationId: 'setChallengeSecret',
      summary: "Set the bot challenge's secret key (write-only) and base URL",
      security: adminToken,
      middleware: use(jsonBody, owner),
      request: body(ChallengeSecretPut),
      responses: {
        200: json(ChallengeSecretView, 'The challenge keys as they now read'),
        ...errors(400, 401, 403, 413, 415),
      },
    }),
    async (c) => {
      const put = c.req.valid('json')
      const baseUrl = put.baseUrl ? parseBaseUrl(put.baseUrl) : put.baseUrl
      const problem = baseUrlProblem(ctx.config, baseUrl)
      if (problem)
        throw new ApiError('invalid_request', 'baseUrl is not allowed.', { errors: [problem] })
      if (put.secretKey === null && (await getSettings(ctx.db)).challengeMode !== 'off')
        throw new ApiError('invalid_request', 'Turn the challenge off before removing its key.', {
          errors: [{ path: 'secretKey', message: 'challengeMode is on' }],
        })
      await writeChallenge(ctx.db, ctx.keys, { secretKey: put.secretKey, baseUrl }, ctx.clock())
      await audit(ctx, {
        actor: adminActor(c),
        action: 'admin.challenge',
        outcome: 'ok',
        detail: {
          secretKey: put.secretKey === undefined ? 'kept' : put.secretKey ? 'set' : 'removed',
          baseUrl: baseUrl ?? null,
        },
      })
      return c.json(view(await readChallenge(ctx.db)), 200)
    },
  )
  return app
}
