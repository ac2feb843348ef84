/** Bearer authentication of users (access JWT) and of the site owner (admin token). */
import type { Context } from 'hono'
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
