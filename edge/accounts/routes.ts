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
import { newId } from '../crypto/random.js'
import { requireUser } from '../http/auth.js'
import { ApiError, rateLimited } from '../http/errors.js'
import { bearer, body, errors, json, router } from '../http/openapi.js'
import { lockedFor, recordFailure } from '../limits/account.js'
import { maskE164 } from '../phone.js'
import { refreshSession, revokeSession } from '../sessions/sessions.js'
import { hashPassword, isCommonPassword, verifyDummy, verifyPassword } from './password.js'
import { afterFirstFactor, completeSignIn } from './sign-in.js'
import { peekTicket, spendTicket } from './tickets.js'
import { findByEmail, findUser, isUniqueViolation, normaliseEmail, publicUser } from './users.js'

export function accountRoutes(ctx: Ctx) {
  const app = router()

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/users',
      summary: 'Register (with a registration ticket, or with email and password)',
      request: body(CreateUserBody),
      responses: {
        201: json(UserSession, 'Account created and signed in'),
        ...errors(400, 401, 403, 409, 413),
      },
    }),
    async (c) => {
      const input = c.req.valid('json')
      const now = ctx.clock()
      const emailNorm = normaliseEmail(input.email)
      if (await findByEmail(ctx.db, emailNorm))
        throw new ApiError('email_taken', 'An account with this email exists. Sign in instead.')
      const id = newId('usr')
      let phone: string | null = null
      let passwordHash: string | null = null
      if (input.registrationTicket) {
        const t = await peekTicket(ctx.db, input.registrationTicket, 'registration', now)
        if (!t?.phone)
          throw new ApiError(
            'unauthorized',
            'The registration step has expired. Verify the phone again.',
          )
        phone = t.phone
      } else {
        const settings = await getSettings(ctx.db)
        if (!settings.passwordLogin)
          throw new ApiError(
            'forbidden',
            'Registration with a password is turned off on this site.',
          )
        if (isCommonPassword(input.password!)) {
          throw new ApiError('invalid_request', 'Choose a less common password.', {
            errors: [{ path: 'password', message: 'This password is too common.' }],
          })
        }
        passwordHash = await hashPassword(input.password!)
      }
      try {
        await ctx.db.execute({
          sql: `INSERT INTO users (id, name, email, email_norm, password_hash, phone, phone_verified, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          args: [
            id,
            input.name,
            input.email.trim(),
            emailNorm,
            passwordHash,
            phone,
            phone ? 1 : 0,
            now,
          ],
        })
      } catch (err) {
        if (isUniqueViolation(err, 'email')) throw new ApiError('email_taken')
        if (isUniqueViolation(err))
          throw new ApiError('phone_taken', 'This phone already has an account. Sign in instead.')
        throw err
      }
      if (input.registrationTicket)
        await spendTicket(ctx.db, input.registrationTicket, 'registration', now)
      const user = await findUser(ctx.db, id)
      if (!user) throw new Error('user vanished after insert')
      await audit(ctx, {
        actor: `user:${id}`,
        action: 'account.register',
        outcome: 'ok',
        userId: id,
        phoneMasked: phone ? maskE164(phone) : null,
        detail: { method: phone ? 'phone' : 'password' },
      })
      return c.json(await completeSignIn(ctx, user), 201)
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
      const user = await findByEmail(ctx.db, email)
      if (!user?.passwordHash) {
        await verifyDummy(password)
        throw new ApiError('invalid_credentials', 'Wrong email or password.')
      }
      const locked = await lockedFor(ctx.db, user.id, now)
      if (locked)
        throw rateLimited(locked, 'Too many failed attempts on this account. Try again later.')
      if (!(await verifyPassword(password, user.passwordHash))) {
        await recordFailure(ctx.db, user.id, now)
        await audit(ctx, {
          actor: 'public',
          action: 'signin.password',
          outcome: 'invalid_credentials',
          userId: user.id,
        })
        throw new ApiError('invalid_credentials', 'Wrong email or password.')
      }
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
