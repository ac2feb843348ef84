/**
 * /v1/me/totp: the authenticator app. Setting up, replacing or turning it off is a sensitive
 * change: it needs a fresh proof of a factor (sessions/reauth.ts) or, to turn it off, a current
 * code; each change is audited and notified.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { text, TotpSetup, User } from '../../shared/schemas.js'
import { audit } from '../audit/audit.js'
import { getSettings } from '../settings/settings.js'
import { disableTotp, enableTotp, setPendingTotp } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { ApiError, rateLimited } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { bearer, body, errors, json, router, use } from '../http/openapi.js'
import { requestLocale } from '../http/locale.js'
import { clear, reserve } from '../limits/guesses.js'
import { notifyAccount } from '../messages/notice.js'
import { requireFresh } from '../sessions/reauth.js'
import { failed, verifyFactor } from './check.js'
import { freshUser, signedIn } from './me.js'
import { loadSecret, matchStep, newSecret, otpauthUrl, sealSecret } from './totp.js'
import { eventStatement } from '../events/outbox.js'

const Code = z.object({ code: text(64).min(1) }).strict()

export function totpRoutes(ctx: Ctx) {
  const app = router()
  const me = signedIn(ctx)
  const userJson = json(z.object({ user: User }), 'The user')

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/totp',
      operationId: 'startTotpSetup',
      summary: 'Start TOTP set-up (a new secret, not yet on); needs a fresh proof',
      description:
        'Replacing an authenticator app that is on needs a fresh proof by that app (a current ' +
        'code through POST /v1/me/reauth), so a stolen session cannot swap it.',
      security: bearer,
      middleware: use(jsonBody, me),
      responses: {
        200: json(TotpSetup, 'The secret'),
        ...errors(401, 403),
      },
    }),
    async (c) => {
      const { auth, user } = c.var
      requireFresh(auth, user, ctx.clock(), user.totpEnabled ? 'totp' : undefined)
      const secret = newSecret()
      await setPendingTotp(ctx.db, user.id, await sealSecret(ctx.keys, secret))
      const site = (await getSettings(ctx.db)).siteName
      return c.json(
        { secret, otpauthUrl: otpauthUrl(secret, site, user.email ?? user.phone ?? user.id) },
        200,
      )
    },
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/totp/verify',
      operationId: 'verifyTotpSetup',
      summary: 'Turn TOTP on with a current code of the new secret',
      security: bearer,
      middleware: use(jsonBody, me),
      request: body(Code),
      responses: { 200: userJson, ...errors(400, 401, 409, 429) },
    }),
    async (c) => {
      const { user } = c.var
      const { code } = c.req.valid('json')
      const now = ctx.clock()
      const pending = await loadSecret(ctx, user.id, 'totp_pending_sealed')
      if (!pending)
        throw new ApiError('invalid_request', 'Start TOTP set-up first (POST /v1/me/totp).')
      // Guesses at the new secret count like any other (the account's guessing budget).
      const taken = await reserve(ctx.db, user.id, now)
      if (!taken.ok) throw rateLimited(taken.lockedForMs, 'Too many failed attempts. Try later.')
      const step = matchStep(pending, code, now)
      if (step === null) {
        await failed(ctx, user, 'factor.totp.enable', 'totp', taken.lockedNow, requestLocale(c))
        throw new ApiError('invalid_credentials', 'That authenticator code is not right.')
      }
      await clear(ctx.db, user.id)
      // The confirming code's step is claimed too, so it cannot double as a first sign-in code.
      await enableTotp(ctx.db, user.id, step, [
        await eventStatement(
          ctx.keys,
          'factor.enabled',
          { userId: user.id, factor: 'totp' },
          now,
          true,
        ),
      ])
      const replaced = user.totpEnabled
      await audit(ctx, {
        actor: `user:${user.id}`,
        action: replaced ? 'factor.totp.replace' : 'factor.totp.enable',
        outcome: 'ok',
        userId: user.id,
      })
      await notifyAccount(ctx, user, replaced ? 'totp_replaced' : 'totp_enabled', requestLocale(c))
      return c.json({ user: await freshUser(ctx, user.id) }, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/me/totp',
      operationId: 'removeTotp',
      summary: 'Turn TOTP off (needs a current code)',
      security: bearer,
      middleware: use(jsonBody, me),
      request: body(Code),
      responses: { 200: userJson, ...errors(400, 401, 429) },
    }),
    async (c) => {
      const { user } = c.var
      if (!user.totpEnabled) throw new ApiError('invalid_request', 'TOTP is not on.')
      await verifyFactor(
        ctx,
        user,
        'totp',
        c.req.valid('json').code,
        'factor.totp.disable',
        requestLocale(c),
      )
      await disableTotp(ctx.db, user.id, [
        await eventStatement(
          ctx.keys,
          'factor.disabled',
          { userId: user.id, factor: 'totp' },
          ctx.clock(),
          true,
        ),
      ])
      await notifyAccount(ctx, user, 'totp_disabled', requestLocale(c))
      return c.json({ user: await freshUser(ctx, user.id) }, 200)
    },
  )
  return app
}
