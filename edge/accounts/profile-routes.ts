/**
 * PUT /v1/me/password and PATCH /v1/me (profile.ts), and POST /v1/password-resets, the last
 * step of a password reset by SMS (password-reset.ts).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { PasswordResetBody, ProfilePatch, SetPasswordBody } from '../../shared/profile-schemas.js'
import { User, UserSession } from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import { signedIn } from '../factors/me.js'
import type { AddressOf } from '../http/client.js'
import { jsonBody } from '../http/json-body.js'
import { requestLocale } from '../http/locale.js'
import { bearer, body, errors, json, router, use } from '../http/openapi.js'
import { finishReset } from './password-reset.js'
import { setPassword, updateProfile } from './profile.js'

const UserOnly = z.object({ user: User })

export function profileRoutes(ctx: Ctx, address: AddressOf) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/password-resets',
      operationId: 'resetPassword',
      summary: 'Set a new password with the reset ticket of an approved password_reset code',
      description:
        'Ends every session of the account and answers a new one. An account with TOTP also ' +
        'gives `totpCode` or `backupCode` (403 `reauthentication_required` without one). A refused ' +
        'password, a missing or wrong second factor leave the ticket usable; 401 `unauthorized` ' +
        'for a ticket unknown, expired or used.',
      middleware: use(jsonBody),
      request: body(PasswordResetBody),
      responses: {
        200: json(UserSession, 'Password set, signed in'),
        ...errors(400, 401, 403, 413, 429),
      },
    }),
    async (c) =>
      c.json(await finishReset(ctx, c.req.valid('json'), address(c), requestLocale(c)), 200),
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/me/password',
      operationId: 'setMyPassword',
      summary: 'Set (phone-only account) or change the password',
      description:
        'With `currentPassword` (a wrong one counts in the account’s guessing budget), or after a ' +
        'fresh step-up (403 `reauthentication_required` otherwise). Ends every other session.',
      security: bearer,
      middleware: use(jsonBody, signedIn(ctx)),
      request: body(SetPasswordBody),
      responses: { 200: json(UserOnly, 'Password set'), ...errors(400, 401, 403, 413, 429) },
    }),
    async (c) => {
      const { auth, user } = c.var
      const u = await setPassword(ctx, auth, user, c.req.valid('json'), requestLocale(c))
      return c.json({ user: u }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/me',
      operationId: 'updateMe',
      summary: 'Change the name or the email (an email change needs a fresh step-up)',
      security: bearer,
      middleware: use(jsonBody, signedIn(ctx)),
      request: body(ProfilePatch),
      responses: { 200: json(UserOnly, 'Updated'), ...errors(400, 401, 403, 409, 413) },
    }),
    async (c) => {
      const { auth, user } = c.var
      const u = await updateProfile(ctx, auth, user, c.req.valid('json'), requestLocale(c))
      return c.json({ user: u }, 200)
    },
  )
  return app
}
