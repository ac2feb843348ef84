/**
 * Every route that hands out a refresh token (sign-in, registration, an approved check, an mfa
 * step, a refresh) answers `{"session": {"refreshToken"}}`: after such an answer, the session that
 * token belongs to is stamped with the client's device label and masked address (device.ts) and
 * the time, which GET /v1/me/sessions lists as `lastUsedAt`. One place for every path, so a new way
 * of signing in cannot forget it; the token itself is only hashed, as refresh.ts stores it.
 *
 * A route may write the stamp into the new session's own row instead (clientOf: the check of a
 * code that signs in, through prepareSession): then no second write and no re-read of the answer.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { Ctx } from '../context.js'
import { sha256Hex } from '../crypto/keys.js'
import type { AddressOf } from '../http/client.js'
import { deviceLabel, maskAddress, type ClientStamp } from './device.js'

const ISSUING = /^\/v1\/(?:sessions(?:\/refresh)?|users|verifications\/[^/]+\/check|mfa\/[a-z-]+)$/

const stamps = new WeakMap<Request, ClientStamp>()

/** The stamp of a request that may hand out a session (undefined for any other request). */
export const clientOf = (c: Context): ClientStamp | undefined => stamps.get(c.req.raw)

export function rememberClient(ctx: Ctx, address: AddressOf): MiddlewareHandler {
  return createMiddleware(async (c, next) => {
    if (c.req.method !== 'POST' || !ISSUING.test(c.req.path)) return next()
    const stamp: ClientStamp = {
      device: deviceLabel(c.req.header('user-agent')),
      address: maskAddress(address(c)),
      inSession: false,
    }
    stamps.set(c.req.raw, stamp)
    await next()
    if (stamp.inSession || !c.res.ok) return
    if (!c.res.headers.get('content-type')?.startsWith('application/json')) return
    const body = (await c.res.clone().json()) as { session?: { refreshToken?: unknown } }
    const token = body.session?.refreshToken
    if (typeof token !== 'string') return
    await ctx.db.execute({
      sql: `UPDATE sessions SET device = ?, client_address = ?, last_used_at = ?
            WHERE id = (SELECT session_id FROM refresh_tokens WHERE hash = ?)`,
      args: [stamp.device, stamp.address, ctx.clock(), sha256Hex(token)],
    })
  })
}
