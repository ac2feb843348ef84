/**
 * Bearer authentication of users (access JWT) and of the site owner (admin token), as route
 * middleware: declared in a route's `middleware`, it reads the token once and either sets
 * `c.var.auth` or answers 401 before the request is validated or handled. Hono's bearerAuth is not
 * used: its refusals are its own (text bodies, WWW-Authenticate), where docs/api.md wants problem+json
 * `unauthorized`, and a user's token is a JWT checked against its session, not a fixed string.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { Ctx } from '../context.js'
import { constantTimeEqual, sha256Hex } from '../crypto/keys.js'
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

/** The admin token, compared as SHA-256 digests in constant time. */
export async function requireAdmin(ctx: Ctx, c: Context): Promise<void> {
  const token = bearerToken(c) ?? ''
  const [a, b] = await Promise.all([sha256Hex(token), sha256Hex(ctx.config.adminToken)])
  if (!token || !constantTimeEqual(a, b))
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

/** The site owner's routes (/v1/admin/*): the admin token or 401. */
export function adminAuth(ctx: Ctx): MiddlewareHandler {
  return createMiddleware(async (c, next) => {
    await requireAdmin(ctx, c)
    await next()
  })
}
