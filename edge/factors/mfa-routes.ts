/**
 * The mfa finishing routes: a sign-in's second step with a TOTP code, a backup code or (after an
 * SMS first factor) the account's password.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { text, UserSession } from '../../shared/schemas.js'
import { completeSignIn, type FirstFactor } from '../accounts/sign-in.js'
import { peekTicket, spendTicket } from '../accounts/tickets.js'
import { findUser } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { body, errors, json, router, use } from '../http/openapi.js'
import { requestLocale } from '../http/locale.js'
import { verifyFactor, type FactorKind } from './check.js'

const Ticket = text(200).min(1)
const CodeBody = z.object({ mfaTicket: Ticket, code: text(64).min(1) }).strict()
const PasswordBody = z.object({ mfaTicket: Ticket, password: text(128).min(1) }).strict()

/** Proves `kind` against the ticket's account, then spends the ticket for a session. */
async function finish(
  ctx: Ctx,
  mfaTicket: string,
  kind: FactorKind,
  secret: string,
  locale: string,
) {
  const now = ctx.clock()
  const t = await peekTicket(ctx, mfaTicket, 'mfa', now)
  const user = t?.userId ? await findUser(ctx.db, t.userId) : null
  if (!t || !user) throw new ApiError('unauthorized', 'The sign-in step has expired. Start again.')
  const first = (t.firstFactor ?? 'password') as FirstFactor
  // docs/api.md Policies: the second factor is a different one. Refused before any attempt is taken
  // from the budget or the password is compared.
  if (kind === 'password' && t.firstFactor !== 'sms')
    throw new ApiError('forbidden', 'This sign-in began with the password: finish it another way.')
  if (kind === 'password' && !user.passwordHash)
    throw new ApiError('forbidden', 'This account has no password.')
  await verifyFactor(ctx, user, kind, secret, 'signin.mfa', locale)
  if (!(await spendTicket(ctx, mfaTicket, 'mfa', now)))
    throw new ApiError('unauthorized', 'The sign-in step was already used.')
  // The account as it is now: a backup code was just spent (backupCodesRemaining).
  const current = (await findUser(ctx.db, user.id)) ?? user
  return completeSignIn(ctx, current, [first, kind])
}

export function mfaRoutes(ctx: Ctx) {
  const app = router()
  for (const [path, kind, operationId] of [
    ['/v1/mfa/totp', 'totp', 'completeMfaWithTotp'],
    ['/v1/mfa/backup-code', 'backup_code', 'completeMfaWithBackupCode'],
  ] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path,
        operationId,
        summary: `Finish a sign-in with ${kind === 'totp' ? 'a TOTP code' : 'a backup code'}`,
        middleware: use(jsonBody),
        request: body(CodeBody),
        responses: { 200: json(UserSession, 'Signed in'), ...errors(400, 401, 429) },
      }),
      async (c) => {
        const { mfaTicket, code } = c.req.valid('json')
        return c.json(await finish(ctx, mfaTicket, kind, code, requestLocale(c)), 200)
      },
    )
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/mfa/password',
      operationId: 'completeMfaWithPassword',
      summary: 'Finish an SMS sign-in with the account password',
      description:
        'For an mfa ticket from an SMS code (`methods` includes `password`); a ticket from a ' +
        'password sign-in is refused with `forbidden`. A wrong password counts towards the ' +
        "account's guessing budget like every factor.",
      middleware: use(jsonBody),
      request: body(PasswordBody),
      responses: { 200: json(UserSession, 'Signed in'), ...errors(400, 401, 403, 429) },
    }),
    async (c) => {
      const { mfaTicket, password } = c.req.valid('json')
      return c.json(await finish(ctx, mfaTicket, 'password', password, requestLocale(c)), 200)
    },
  )
  return app
}
