/** POST /v1/users, POST /v1/sessions, refresh, logout, GET /v1/me */
import { createRoute, z } from '@hono/zod-openapi'
import {
  CreateUserBody,
  MfaChallenge,
  RefreshBody,
  Session,
  SignInBody,
  User,
  UserSession,
} from '../../shared/schemas.js'
import { audit } from '../admin/audit.js'
import { getSettings } from '../admin/settings.js'
import { issuer, type Ctx } from '../context.js'
import { requireUser } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { bearer, body, errors, json, router } from '../http/openapi.js'
import { requestLocale } from '../http/locale.js'
import { failed } from '../factors/check.js'
import type { AddressOf } from '../http/client.js'
import { refund, reserve } from '../limits/guesses.js'
import { refund as refundLimits, reportTo, takeOrThrow } from '../limits/limits.js'
import { SIGN_INS_PER_ADDRESS, SIGN_UPS_PER_ADDRESS } from '../limits/policy.js'
import { refreshSession, revokeSession } from '../sessions/sessions.js'
import { verifyDummy, verifyPassword } from './password.js'
import { register } from './register.js'
import { afterFirstFactor } from './sign-in.js'
import { findByEmail, findUser, publicUser } from './users.js'

export function accountRoutes(ctx: Ctx, address: AddressOf) {
  const app = router()

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/users',
      summary: 'Register (with a registration ticket, or with email and password)',
      request: body(CreateUserBody),
      responses: {
        201: json(UserSession, 'Account created and signed in'),
        ...errors(400, 401, 403, 409, 413, 429),
      },
    }),
    async (c) => {
      const input = c.req.valid('json')
      const now = ctx.clock()
      // Per address, so `email_taken` cannot list accounts at scale.
      const signUps = [{ key: `signup:addr:${address(c)}`, ...SIGN_UPS_PER_ADDRESS }]
      await takeOrThrow(
        ctx.db,
        signUps,
        now,
        'Too many new accounts from here. Try again later.',
        reportTo(ctx.log),
      )
      try {
        return c.json(await register(ctx, input, now), 201)
      } catch (err) {
        // Only an account made or an email found costs a slot: a refusal changes nothing.
        if (!(err instanceof ApiError && err.code === 'email_taken'))
          await refundLimits(ctx.db, signUps, now)
        throw err
      }
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sessions',
      summary: 'Sign in with email and password',
      request: body(SignInBody),
      responses: {
        200: json(z.union([UserSession, MfaChallenge]), 'Signed in, or a second factor is needed'),
        ...errors(400, 401, 403, 429),
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json')
      const now = ctx.clock()
      const settings = await getSettings(ctx.db)
      if (!settings.passwordLogin)
        throw new ApiError('forbidden', 'Sign-in with a password is turned off on this site.')
      await takeOrThrow(
        ctx.db,
        [{ key: `signin:addr:${address(c)}`, ...SIGN_INS_PER_ADDRESS }],
        now,
        'Too many sign-in attempts from here. Try again later.',
        reportTo(ctx.log),
      )
      const user = await findByEmail(ctx.db, email)
      // An unknown email and a locked account answer exactly like a wrong password, after the
      // same Argon2 work (docs/security.md, enumeration); the attempt is taken before comparing.
      const taken = user?.passwordHash ? await reserve(ctx.db, user.id, now) : null
      if (!user?.passwordHash || !taken?.ok) {
        await verifyDummy(password)
        throw new ApiError('invalid_credentials', 'Wrong email or password.')
      }
      if (!(await verifyPassword(password, user.passwordHash))) {
        await failed(ctx, user, 'signin.password', 'password', taken.lockedNow, requestLocale(c))
        throw new ApiError('invalid_credentials', 'Wrong email or password.')
      }
      // A right password is a first factor: its attempt is given back, failures stay.
      await refund(ctx.db, user.id)
      await audit(ctx, {
        actor: 'public',
        action: 'signin.password',
        outcome: 'ok',
        userId: user.id,
      })
      return c.json(await afterFirstFactor(ctx, user, 'password'), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sessions/refresh',
      summary: 'Rotate the refresh token',
      request: body(RefreshBody),
      responses: { 200: json(z.object({ session: Session }), 'New tokens'), ...errors(400, 401) },
    }),
    async (c) => {
      const { refreshToken } = c.req.valid('json')
      return c.json({ session: await refreshSession(issuer(ctx), refreshToken) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/sessions/current',
      summary: 'Sign out',
      security: bearer,
      responses: { 204: { description: 'Signed out' }, ...errors(401) },
    }),
    async (c) => {
      const auth = await requireUser(ctx, c)
      await revokeSession(ctx.db, auth.sessionId, ctx.clock(), 'logout')
      return c.body(null, 204)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me',
      summary: 'The signed-in user',
      security: bearer,
      responses: { 200: json(z.object({ user: User }), 'The user'), ...errors(401) },
    }),
    async (c) => {
      const auth = await requireUser(ctx, c)
      const user = await findUser(ctx.db, auth.userId)
      if (!user) throw new ApiError('unauthorized')
      return c.json({ user: await publicUser(ctx.db, user) }, 200)
    },
  )
  return app
}
