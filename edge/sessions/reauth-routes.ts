/**
 * POST /v1/me/reauth: a fresh proof by password, TOTP or backup code for this session (by SMS or
 * voice it is a `reauth` verification). Each attempt takes one from the account's guessing budget.
 */
import { createRoute } from '@hono/zod-openapi'
import { ReauthBody, ReauthResult } from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { bearer, body, errors, json, router, use } from '../http/openapi.js'
import { requestLocale } from '../http/locale.js'
import { verifyFactor, type FactorKind } from '../factors/check.js'
import { signedIn } from '../factors/me.js'
import { freshUntil, stampStatement } from './reauth.js'

export function reauthRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/reauth',
      operationId: 'reauthenticate',
      summary: 'Prove a factor again for this session (step-up before a sensitive change)',
      security: bearer,
      middleware: use(jsonBody, signedIn(ctx)),
      request: body(ReauthBody),
      responses: { 200: json(ReauthResult, 'Proven'), ...errors(400, 401, 429) },
    }),
    async (c) => {
      const { auth, user } = c.var
      const input = c.req.valid('json')
      const [kind, secret]: [FactorKind, string] = input.password
        ? ['password', input.password]
        : input.totpCode
          ? ['totp', input.totpCode]
          : ['backup_code', input.backupCode!]
      if (kind === 'password' && !user.passwordHash)
        throw new ApiError('invalid_request', 'This account has no password.')
      if (kind === 'totp' && !user.totpEnabled)
        throw new ApiError('invalid_request', 'This account has no authenticator app.')
      await verifyFactor(ctx, user, kind, secret, 'reauth', requestLocale(c))
      const now = ctx.clock()
      await ctx.db.execute(stampStatement(auth.sessionId, kind, now))
      return c.json({ method: kind, expiresAt: freshUntil(now) }, 200)
    },
  )
  return app
}
