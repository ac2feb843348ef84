/**
 * /v1/admin/me and /v1/admin/admins (docs/api.md "Admin accounts and roles"): who the admin page
 * is talking to, and the owners' management of named admins. Changing admin accounts is the most
 * sensitive thing an admin does: a named owner needs a proof from the last 5 minutes (the step-up
 * rule; a fresh sign-in is one) and cannot change or remove their own account (another owner or
 * the admin token can), so nobody locks themselves out by a slip; the admin token is always an
 * owner. Each change is audited with the admin who made it.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import {
  AdminCreate,
  AdminList,
  AdminMe,
  AdminPatch,
  AdminAccount,
} from '../../shared/admin-schemas.js'
import { findByEmail, findUser, type UserRow } from '../accounts/users.js'
import { auditStatement } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { adminAuth, type AdminEnv } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { adminToken, body, errors, json, router, use } from '../http/openapi.js'
import { requireFresh } from '../sessions/reauth.js'
import {
  findAdmin,
  insertAdminStatement,
  listAdmins,
  removeAdminStatement,
  setRoleStatement,
} from './admins.js'

const AdminId = z.object({
  userId: z
    .string()
    .max(64)
    .openapi({ param: { name: 'userId', in: 'path' } }),
})

export function adminsRoutes(ctx: Ctx) {
  const app = router()
  const owner = adminAuth(ctx, 'owner')

  /** The step-up rule for a named owner (the admin token has no session to prove anything in). */
  async function stepUp(c: Context<AdminEnv>): Promise<void> {
    const { auth } = c.var.admin
    if (!auth) return
    const me = await findUser(ctx.db, auth.userId)
    if (me) requireFresh(auth, me, ctx.clock())
  }
  function notSelf(c: Context<AdminEnv>, userId: string): void {
    if (c.var.admin.userId === userId)
      throw new ApiError(
        'forbidden',
        'You cannot change or remove your own admin account: another owner (or the admin token) can.',
      )
  }
  async function adminOr404(userId: string): Promise<AdminAccount> {
    const found = await findAdmin(ctx.db, userId)
    if (!found) throw new ApiError('not_found', 'That account is not an admin.')
    return found
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/me',
      operationId: 'getAdminMe',
      summary: 'The admin calling: the admin token or a named admin, and the role (any admin)',
      security: adminToken,
      middleware: use(adminAuth(ctx, 'support')),
      responses: { 200: json(AdminMe, 'The caller'), ...errors(401, 403) },
    }),
    async (c) => {
      const { actor, role, userId, name } = c.var.admin
      return c.json({ actor, role, ...(userId ? { userId, name } : {}) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/admins',
      operationId: 'listAdmins',
      summary: 'Named admin accounts and their roles (owners only)',
      security: adminToken,
      middleware: use(owner),
      responses: { 200: json(AdminList, 'The admins'), ...errors(401, 403) },
    }),
    async (c) => c.json({ admins: await listAdmins(ctx.db) }, 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/admins',
      operationId: 'createAdmin',
      summary: 'Make an existing account an admin, by its id or email (owners only)',
      security: adminToken,
      middleware: use(jsonBody, owner),
      request: body(AdminCreate),
      responses: {
        201: json(z.object({ admin: AdminAccount }), 'The new admin'),
        ...errors(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const input = c.req.valid('json')
      await stepUp(c)
      const user = input.userId
        ? await findUser(ctx.db, input.userId)
        : await findByEmail(ctx.db, input.email!)
      if (!user) throw new ApiError('not_found', 'No such user.')
      assertCanSignIn(user)
      const [inserted] = await ctx.db.batch(
        [
          insertAdminStatement(user.id, input.role, ctx.clock(), c.var.admin.actor),
          auditStatement(
            ctx,
            {
              actor: c.var.admin.actor,
              action: 'admin.admin.create',
              outcome: 'ok',
              userId: user.id,
              detail: { role: input.role },
            },
            true,
          ),
        ],
        'write',
      )
      if (inserted!.rowsAffected !== 1) {
        if (await findAdmin(ctx.db, user.id)) throw new ApiError('admin_exists')
        throw new ApiError('not_found', 'No such user.')
      }
      return c.json({ admin: await adminOr404(user.id) }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/admin/admins/{userId}',
      operationId: 'updateAdmin',
      summary: "Change an admin's role (owners only; not your own)",
      security: adminToken,
      middleware: use(jsonBody, owner),
      request: { params: AdminId, ...body(AdminPatch) },
      responses: {
        200: json(z.object({ admin: AdminAccount }), 'The admin'),
        ...errors(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { userId } = c.req.valid('param')
      const { role } = c.req.valid('json')
      notSelf(c, userId)
      await stepUp(c)
      const [changed] = await ctx.db.batch(
        [
          setRoleStatement(userId, role),
          auditStatement(
            ctx,
            {
              actor: c.var.admin.actor,
              action: 'admin.admin.update',
              outcome: 'ok',
              userId,
              detail: { role },
            },
            true,
          ),
        ],
        'write',
      )
      if (changed!.rowsAffected !== 1)
        throw new ApiError('not_found', 'That account is not an admin.')
      return c.json({ admin: await adminOr404(userId) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/admins/{userId}',
      operationId: 'deleteAdmin',
      summary: "Remove an account's admin access (owners only; not your own): the account stays",
      security: adminToken,
      middleware: use(jsonBody, owner),
      request: { params: AdminId },
      responses: { 204: { description: 'Removed' }, ...errors(401, 403, 404) },
    }),
    async (c) => {
      const { userId } = c.req.valid('param')
      notSelf(c, userId)
      await stepUp(c)
      const [removed] = await ctx.db.batch(
        [
          removeAdminStatement(userId),
          auditStatement(
            ctx,
            { actor: c.var.admin.actor, action: 'admin.admin.delete', outcome: 'ok', userId },
            true,
          ),
        ],
        'write',
      )
      if (removed!.rowsAffected !== 1)
        throw new ApiError('not_found', 'That account is not an admin.')
      return c.body(null, 204)
    },
  )
  return app
}

/**
 * An admin signs in with the phone and a second factor (admin-caller.ts). Only a password or an
 * authenticator app makes a sign-in with the phone ask for a second step (accounts/sign-in.ts:
 * backup codes complete a step, they never add one), so an account with neither, or without a
 * verified phone, could never reach the admin page; a disabled one cannot sign in at all.
 */
function assertCanSignIn(user: UserRow): void {
  if (user.disabledAt !== null)
    throw new ApiError('policy_violation', 'This account is disabled: enable it first.')
  if (!(user.phoneVerified && user.phone) || !(user.passwordHash || user.totpEnabled))
    throw new ApiError(
      'policy_violation',
      'An admin signs in with a verified phone and a second factor: this account needs ' +
        (user.phoneVerified && user.phone ? '' : 'a verified phone and ') +
        'a password or an authenticator app first.',
    )
}
