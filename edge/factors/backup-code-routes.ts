/**
 * /v1/me/backup-codes: a new set (a sensitive change: it needs a fresh proof of a factor,
 * sessions/reauth.ts; audited and notified) and how many are left.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { audit } from '../audit/audit.js'
import { publicUser } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { jsonBody } from '../http/json-body.js'
import { requestLocale } from '../http/locale.js'
import { bearer, errors, json, router, use } from '../http/openapi.js'
import { notifyAccount } from '../messages/notice.js'
import { requireFresh } from '../sessions/reauth.js'
import { newSet } from './backup-codes.js'
import { signedIn } from './me.js'

export function backupCodeRoutes(ctx: Ctx) {
  const app = router()
  const me = signedIn(ctx)
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/me/backup-codes',
      operationId: 'createBackupCodes',
      summary: 'A new set of backup codes (shown once); needs a fresh proof',
      security: bearer,
      middleware: use(jsonBody, me),
      responses: {
        201: json(z.object({ codes: z.array(z.string()) }), 'The codes'),
        ...errors(401, 403),
      },
    }),
    async (c) => {
      const { auth, user } = c.var
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
      operationId: 'countBackupCodes',
      summary: 'How many backup codes are left',
      security: bearer,
      middleware: use(me),
      responses: { 200: json(z.object({ remaining: z.number() }), 'Remaining'), ...errors(401) },
    }),
    async (c) => {
      const { user } = c.var
      return c.json(
        { remaining: (await publicUser(ctx.db, user)).twoStep.backupCodesRemaining },
        200,
      )
    },
  )
  return app
}
