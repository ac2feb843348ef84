/**
 * /v1/admin/users: the site owner's user management: the list and search, a user's page, editing
 * name, email and the disabled state, ending a user's sessions, and deleting the account. Each
 * action is audited with the admin who did it (`admin:token`, `admin:<userId>`); support admins
 * may do all of it but delete. Disabling ends every session of the user at once (their
 * refresh tokens are refused, introspection says inactive) and refuses every sign-in
 * (accounts/sign-in.ts assertEnabled) and refresh (sessions/refresh.ts) until enabled again.
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  AdminUserDetail,
  AdminUserPage,
  AdminUserPatch,
  AdminUserQuery,
  RevokedCount,
} from '../../shared/account-schemas.js'
import { deleteAccount } from '../accounts/delete-account.js'
import {
  findByEmail,
  findUser,
  isUniqueViolation,
  setDisabledStatement,
  updateProfileStatement,
  type UserRow,
} from '../accounts/users.js'
import { auditStatement } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { assertMayManage } from '../admins/admin-caller.js'
import { adminActor, adminAuth } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { adminToken, body, errors, json, router, use } from '../http/openapi.js'
import { revokeAllStatements, revokedCount } from '../sessions/revoke-all.js'
import { eventStatement } from '../events/outbox.js'
import { listUsers } from '../accounts/user-search.js'
import { userDetail } from '../accounts/user-detail.js'

const UserId = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
})

async function userOr404(ctx: Ctx, id: string): Promise<UserRow> {
  const user = await findUser(ctx.db, id)
  if (!user) throw new ApiError('not_found', 'No such user.')
  return user
}

export function manageUserRoutes(ctx: Ctx) {
  const app = router()
  const admin = adminAuth(ctx)
  const support = adminAuth(ctx, 'support')
  const detail = async (u: UserRow) => userDetail(ctx, u)
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/users',
      operationId: 'listUsers',
      summary: 'Users, newest first: search by name, email or the phone’s last digits',
      security: adminToken,
      middleware: use(support),
      request: { query: AdminUserQuery },
      responses: { 200: json(AdminUserPage, 'A page of users'), ...errors(400, 401) },
    }),
    async (c) => c.json(await listUsers(ctx.db, c.req.valid('query')), 200),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/users/{id}',
      operationId: 'getUser',
      summary: "A user's page: factors, sessions, last sign-in, lock and disabled state",
      security: adminToken,
      middleware: use(support),
      request: { params: UserId },
      responses: {
        200: json(z.object({ user: AdminUserDetail }), 'The user'),
        ...errors(401, 403, 404),
      },
    }),
    async (c) => c.json({ user: await detail(await userOr404(ctx, c.req.valid('param').id)) }, 200),
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/admin/users/{id}',
      operationId: 'updateUser',
      summary: "Change a user's name or email, or disable or enable the account",
      security: adminToken,
      middleware: use(jsonBody, support),
      request: { params: UserId, ...body(AdminUserPatch) },
      responses: {
        200: json(z.object({ user: AdminUserDetail }), 'The user'),
        ...errors(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const patch = c.req.valid('json')
      const user = await userOr404(ctx, id)
      await assertMayManage(ctx, c.var.admin, id)
      const now = ctx.clock()
      if (patch.email !== undefined) {
        const owner = await findByEmail(ctx.db, patch.email)
        if (owner && owner.id !== id) throw new ApiError('email_taken')
      }
      const disable = patch.disabled === true && user.disabledAt === null
      const fields = (['name', 'email', 'disabled'] as const).filter((f) => patch[f] !== undefined)
      const statements = [
        updateProfileStatement(id, patch),
        ...(fields.length
          ? [await eventStatement(ctx.keys, 'user.updated', { userId: id, fields }, now)]
          : []),
        ...(patch.disabled === undefined
          ? []
          : [setDisabledStatement(id, patch.disabled ? (user.disabledAt ?? now) : null)]),
        ...(disable ? await revokeAllStatements(ctx, id, null, now, 'disabled') : []),
        auditStatement(ctx, {
          actor: adminActor(c),
          action: 'admin.user.update',
          outcome: 'ok',
          userId: id,
          detail: {
            name: patch.name !== undefined,
            email: patch.email !== undefined,
            ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }),
          },
        }),
      ]
      try {
        await ctx.db.batch(statements, 'write')
      } catch (err) {
        if (isUniqueViolation(err, 'email')) throw new ApiError('email_taken')
        throw err
      }
      return c.json({ user: await detail(await userOr404(ctx, id)) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/users/{id}/sessions/revoke',
      operationId: 'revokeUserSessions',
      summary: 'End every session of a user (they sign in again; the account stays enabled)',
      security: adminToken,
      middleware: use(jsonBody, support),
      request: { params: UserId },
      responses: { 200: json(RevokedCount, 'How many sessions ended'), ...errors(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await userOr404(ctx, id)
      await assertMayManage(ctx, c.var.admin, id)
      const revoke = await revokeAllStatements(ctx, id, null, ctx.clock(), 'admin')
      const results = await ctx.db.batch(
        [
          ...revoke,
          auditStatement(ctx, {
            actor: adminActor(c),
            action: 'admin.user.sessions_revoke',
            outcome: 'ok',
            userId: id,
          }),
        ],
        'write',
      )
      return c.json({ revoked: revokedCount(results.slice(0, revoke.length)) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/users/{id}',
      operationId: 'deleteUser',
      summary: 'Delete a user: the same deletion as DELETE /v1/me',
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: { params: UserId },
      responses: { 204: { description: 'Deleted' }, ...errors(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      if (!(await deleteAccount(ctx, id, adminActor(c))))
        throw new ApiError('not_found', 'No such user.')
      return c.body(null, 204)
    },
  )
  return app
}
