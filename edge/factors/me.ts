/** The signed-in caller and their account, for the profile routes. */
import type { Context } from 'hono'
import { findUser, publicUser } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { requireUser } from '../http/auth.js'
import { ApiError } from '../http/errors.js'

export async function me(ctx: Ctx, c: Context) {
  const auth = await requireUser(ctx, c)
  const user = await findUser(ctx.db, auth.userId)
  if (!user) throw new ApiError('unauthorized')
  return { auth, user }
}

/** The account as it is now, as API.md's `user`. */
export async function freshUser(ctx: Ctx, id: string) {
  const user = await findUser(ctx.db, id)
  if (!user) throw new ApiError('unauthorized')
  return publicUser(ctx.db, user)
}
