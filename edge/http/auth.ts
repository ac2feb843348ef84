/**
 * Bearer authentication of users (access JWT) and of admins (the admin token or a named admin's
 * session, edge/admins/admin-caller.ts), as route middleware: declared in a route's `middleware`,
 * it reads the token once and either sets `c.var.auth` / `c.var.admin` or answers 401 (403 for a
 * role or an account that may not) before the request is validated or handled. Hono's bearerAuth
 * is not used: its refusals are its own (text bodies, WWW-Authenticate), where docs/api.md wants
 * problem+json `unauthorized`, and a user's token is a JWT checked against its session, not a
 * fixed string.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { AdminRole } from '../../shared/admin-schemas.js'
import {
  adminCaller,
  assertRole,
  isAdminToken,
  TOKEN_ACTOR,
  type AdminCaller,
} from '../admins/admin-caller.js'
import type { Ctx } from '../context.js'
import { authenticate, type Authenticated } from '../sessions/sessions.js'
import { ApiError } from './errors.js'

export function bearerToken(c: Context): string | undefined {
  const h = c.req.header('authorization')
  const m = h?.match(/^Bearer\s+(\S{1,4096})$/i)
  return m?.[1]
}

export async function requireUser(ctx: Ctx, c: Context): Promise<Authenticated> {
  const token = bearerToken(c)
  if (!token)
    throw new ApiError('unauthorized', 'Sign in first (Authorization: Bearer <access token>).')
  return authenticate(ctx.db, ctx.signingKey, ctx.config.publicUrl, token, ctx.clock())
}

export async function optionalUser(ctx: Ctx, c: Context): Promise<Authenticated | undefined> {
  return bearerToken(c) ? requireUser(ctx, c) : undefined
}

/** The bootstrap admin token only (GET /metrics, introspection: no database, no named admins). */
export async function requireAdmin(ctx: Ctx, c: Context): Promise<void> {
  if (!(await isAdminToken(ctx, bearerToken(c) ?? '')))
    throw new ApiError('unauthorized', 'A valid admin token is required.')
}

export interface UserEnv {
  Variables: { auth: Authenticated }
}

/** A signed-in user's routes: `c.var.auth` is the caller's session. */
export function userAuth(ctx: Ctx): MiddlewareHandler<UserEnv> {
  return createMiddleware<UserEnv>(async (c, next) => {
    c.set('auth', await requireUser(ctx, c))
    await next()
  })
}

export interface AdminEnv {
  Variables: { admin: AdminCaller }
}

/**
 * An admin route (/v1/admin/*): the admin token or a named admin's session, with at least the role
 * `need`. Every route declares its own: `owner` (the default, so a route that says nothing is
 * closed to support) or `support` (what support staff may use too).
 */
export function adminAuth(ctx: Ctx, need: AdminRole = 'owner'): MiddlewareHandler<AdminEnv> {
  return createMiddleware<AdminEnv>(async (c, next) => {
    const caller = await adminCaller(ctx, bearerToken(c))
    assertRole(caller, need)
    c.set('admin', caller)
    await next()
  })
}

/**
 * A server-to-server admin route (POST /v1/sessions/introspect): the admin token only, never a
 * named admin's browser session; anything else is 401, as before named admins existed.
 */
export function adminTokenAuth(ctx: Ctx): MiddlewareHandler<AdminEnv> {
  return createMiddleware<AdminEnv>(async (c, next) => {
    await requireAdmin(ctx, c)
    c.set('admin', { actor: TOKEN_ACTOR, role: 'owner' })
    await next()
  })
}

/** The audit actor of the admin calling (`admin:token`, `admin:<userId>`), set by adminAuth. */
export function adminActor(c: Context): string {
  const caller = (c as Context<AdminEnv>).var.admin
  if (!caller) throw new Error('adminActor outside an adminAuth route')
  return caller.actor
}
