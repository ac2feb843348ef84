/**
 * The profile's second factors: backup codes and TOTP. Creating codes or setting up, replacing or
 * turning off an authenticator app is a sensitive change: it needs a fresh proof of a factor
 * (sessions/reauth.ts) or, to turn TOTP off, a current code; each change is audited and notified.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { text, TotpSetup, User } from '../../shared/schemas.js'
import { audit } from '../admin/audit.js'
import { getSettings } from '../admin/settings.js'
import { publicUser } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { ApiError, rateLimited } from '../http/errors.js'
import { bearer, body, errors, json, router } from '../http/openapi.js'
import { requestLocale } from '../http/locale.js'
import { clear, reserve } from '../limits/guesses.js'
import { notifyAccount } from '../messages/notice.js'
import { requireFresh } from '../sessions/reauth.js'
import { newSet } from './backup-codes.js'
import { failed, verifyFactor } from './check.js'
import { freshUser, me } from './me.js'
import { loadSecret, matchStep, newSecret, otpauthUrl, sealSecret } from './totp.js'

const Code = z.object({ code: text(64).min(1) }).strict()

export function factorRoutes(ctx: Ctx) {
  const app = router()
  const userJson = json(z.object({ user: User }), 'The user')

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/backup-codes',
      summary: 'A new set of backup codes (shown once); needs a fresh proof',
      security: bearer,
      responses: {
        201: json(z.object({ codes: z.array(z.string()) }), 'The codes'),
        ...errors(401, 403),
      },
    }),
    async (c) => {
      const { auth, user } = await me(ctx, c)
      requireFresh(auth, user, ctx.clock())
      const codes = await newSet(ctx.db, ctx.keys, user.id, ctx.clock())
      await audit(ctx, {
        actor: `user:${user.id}`,
        action: 'factor.backup_codes.new',
        outcome: 'ok',
        userId: user.id,
      })
      await notifyAccount(ctx, user, 'backup_codes_new', requestLocale(c))
      return c.json({ codes }, 201)
    },
  )
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/backup-codes',
      summary: 'How many backup codes are left',
      security: bearer,
      responses: { 200: json(z.object({ remaining: z.number() }), 'Remaining'), ...errors(401) },
    }),
    async (c) => {
      const { user } = await me(ctx, c)
      return c.json(
        { remaining: (await publicUser(ctx.db, user)).twoStep.backupCodesRemaining },
        200,
      )
    },
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/totp',
      summary: 'Start TOTP set-up (a new secret, not yet on); needs a fresh proof',
      description:
        'Replacing an authenticator app that is on needs a fresh proof by that app (a current ' +
        'code through POST /v1/me/reauth), so a stolen session cannot swap it.',
      security: bearer,
      responses: {
        200: json(TotpSetup, 'The secret'),
        ...errors(401, 403),
      },
    }),
    async (c) => {
      const { auth, user } = await me(ctx, c)
      requireFresh(auth, user, ctx.clock(), user.totpEnabled ? 'totp' : undefined)
      const secret = newSecret()
      await ctx.db.execute({
        sql: 'UPDATE users SET totp_pending_sealed = ? WHERE id = ?',
        args: [await sealSecret(ctx.keys, secret), user.id],
      })
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
      summary: 'Turn TOTP on with a current code of the new secret',
      security: bearer,
      request: body(Code),
      responses: { 200: userJson, ...errors(400, 401, 409, 429) },
    }),
    async (c) => {
      const { user } = await me(ctx, c)
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
      await ctx.db.execute({
        sql: `UPDATE users SET totp_secret_sealed = totp_pending_sealed, totp_pending_sealed = NULL,
                totp_enabled = 1, totp_last_step = ? WHERE id = ?`,
        args: [step, user.id],
      })
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
      summary: 'Turn TOTP off (needs a current code)',
      security: bearer,
      request: body(Code),
      responses: { 200: userJson, ...errors(400, 401, 429) },
    }),
    async (c) => {
      const { user } = await me(ctx, c)
      if (!user.totpEnabled) throw new ApiError('invalid_request', 'TOTP is not on.')
      const { code } = c.req.valid('json')
      await verifyFactor(ctx, user, 'totp', code, 'factor.totp.disable', requestLocale(c))
      await ctx.db.execute({
        sql: 'UPDATE users SET totp_enabled = 0, totp_secret_sealed = NULL WHERE id = ?',
        args: [user.id],
      })
      await notifyAccount(ctx, user, 'totp_disabled', requestLocale(c))
      return c.json({ user: await freshUser(ctx, user.id) }, 200)
    },
  )
  return app
}
