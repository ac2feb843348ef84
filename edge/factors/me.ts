/** The signed-in caller and their account, for the profile routes. */
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { findUser, publicUser, type UserRow } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { requireUser } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import type { Authenticated } from '../sessions/sessions.js'

export interface MeEnv {
  Variables: { auth: Authenticated; user: UserRow }
}

/**
 * The profile routes' authentication: the access token (http/auth.ts) and the account it is for,
 * as it is now; `c.var.auth` and `c.var.user`, or 401.
 */
export function signedIn(ctx: Ctx): MiddlewareHandler<MeEnv> {
  return createMiddleware<MeEnv>(async (c, next) => {
    const auth = await requireUser(ctx, c)
    const user = await findUser(ctx.db, auth.userId)
    if (!user) throw new ApiError('unauthorized')
    c.set('auth', auth)
    c.set('user', user)
    await next()
  })
}

/** The account as it is now, as docs/api.md's `user`. */
export async function freshUser(ctx: Ctx, id: string) {
  const user = await findUser(ctx.db, id)
  if (!user) throw new ApiError('unauthorized')
  return publicUser(ctx.db, user)
}
