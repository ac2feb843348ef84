/** The mfa finishing routes: a sign-in's second step with a TOTP code or a backup code. */
import { createRoute, z } from '@hono/zod-openapi'
import { text, UserSession } from '../../shared/schemas.js'
import { completeSignIn, type FirstFactor } from '../accounts/sign-in.js'
import { peekTicket, spendTicket } from '../accounts/tickets.js'
import { findUser } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { ApiError } from '../http/errors.js'
import { body, errors, json, router } from '../http/openapi.js'
import { verifyFactor } from './check.js'

const MfaBody = z.object({ mfaTicket: text(200).min(1), code: text(64).min(1) }).strict()

export function mfaRoutes(ctx: Ctx) {
  const app = router()
  for (const [path, kind] of [
    ['/v1/mfa/totp', 'totp'],
    ['/v1/mfa/backup-code', 'backup_code'],
  ] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path,
        summary: `Finish a sign-in with ${kind === 'totp' ? 'a TOTP code' : 'a backup code'}`,
        request: body(MfaBody),
        responses: { 200: json(UserSession, 'Signed in'), ...errors(400, 401, 429) },
      }),
      async (c) => {
        const { mfaTicket, code } = c.req.valid('json')
        const now = ctx.clock()
        const t = await peekTicket(ctx, mfaTicket, 'mfa', now)
        const user = t?.userId ? await findUser(ctx.db, t.userId) : null
        if (!t || !user)
          throw new ApiError('unauthorized', 'The sign-in step has expired. Start again.')
        await verifyFactor(ctx, user, kind, code, 'signin.mfa')
        if (!(await spendTicket(ctx, mfaTicket, 'mfa', now)))
          throw new ApiError('unauthorized', 'The sign-in step was already used.')
        const first = (t.firstFactor ?? 'password') as FirstFactor
        // The account as it is now: a backup code was just spent (backupCodesRemaining).
        const current = (await findUser(ctx.db, user.id)) ?? user
        return c.json(await completeSignIn(ctx, current, [first, kind]), 200)
      },
    )
  }
  return app
}
