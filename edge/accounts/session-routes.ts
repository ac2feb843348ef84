/** /v1/sessions: sign in with email and password, rotate the refresh token, sign out. */
import { createRoute, z } from '@hono/zod-openapi'
import {
  MfaChallenge,
  RefreshBody,
  Session,
  SignInBody,
  UserSession,
} from '../../shared/schemas.js'
import { audit } from '../audit/audit.js'
import { getSettings } from '../settings/settings.js'
import { issuer, type Ctx } from '../context.js'
import { userAuth } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { bearer, body, errors, json, router, use } from '../http/openapi.js'
import { requestLocale } from '../http/locale.js'
import { failed } from '../factors/check.js'
import type { AddressOf } from '../http/client.js'
import { refund, reserve } from '../limits/guesses.js'
import { reportTo, takeOrThrow } from '../limits/limits.js'
import { limitOf, SIGN_INS_PER_ADDRESS } from '../limits/policy.js'
import { refreshSession } from '../sessions/refresh.js'
import { revokeSession } from '../sessions/sessions.js'
import { verifyDummy, verifyPassword } from './password.js'
import { afterFirstFactor } from './sign-in.js'
import { findByEmail } from './users.js'

export function sessionRoutes(ctx: Ctx, address: AddressOf) {
  const app = router()

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sessions',
      operationId: 'signIn',
      summary: 'Sign in with email and password',
      middleware: use(jsonBody),
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
        [limitOf(SIGN_INS_PER_ADDRESS(settings), address(c))],
        now,
        'Too many sign-in attempts from here. Try again later.',
        reportTo(ctx.log),
      )
      const found = await findByEmail(ctx.db, email)
      const user = found?.disabledAt === null ? found : null
      // An unknown email, a disabled and a locked account answer exactly like a wrong password,
      // after the same Argon2 work (docs/security.md, enumeration; SECURITY.md R-66); the attempt
      // is taken before comparing.
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
      operationId: 'refreshSession',
      summary: 'Rotate the refresh token',
      middleware: use(jsonBody),
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
      operationId: 'signOut',
      summary: 'Sign out',
      security: bearer,
      middleware: use(jsonBody, userAuth(ctx)),
      responses: { 204: { description: 'Signed out' }, ...errors(401) },
    }),
    async (c) => {
      await revokeSession(ctx, c.var.auth, ctx.clock(), 'logout')
      return c.body(null, 204)
    },
  )

  return app
}
