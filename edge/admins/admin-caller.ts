/**
 * Who is calling an admin route (docs/api.md "Admin accounts and roles"): the bootstrap admin
 * token (SMS_AUTH_ADMIN_TOKEN), which is always an owner, or the access token of a named admin's
 * session. A named admin's token is checked as every user route checks one (sessions.authenticate:
 * an ended session fails at once), and the account must be enabled, be in `admins`, and the
 * session must have been signed in with the phone and a second factor.
 */
import type { AdminRole } from '../../shared/admin-schemas.js'
import type { Ctx } from '../context.js'
import { constantTimeEqual, sha256Hex } from '../crypto/keys.js'
import { ApiError } from '../http/errors.js'
import { authenticate, type Authenticated, type ProofMethod } from '../sessions/sessions.js'

/** `c.var.admin` of every admin route. */
export interface AdminCaller {
  /** The audit's actor: `admin:token` or `admin:<userId>` (adminActor). */
  actor: string
  role: AdminRole
  userId?: string
  name?: string
  /** A named admin's session (its latest proof: the step-up rule of admin-account changes). */
  auth?: Authenticated
}

/** The bootstrap token's actor in the audit. */
export const TOKEN_ACTOR = 'admin:token'
export const adminActorOf = (userId: string) => `admin:${userId}`

/** The second factors that, with `sms`, make an admin sign-in (docs/security.md, Admin accounts). */
const SECOND: readonly ProofMethod[] = ['totp', 'password', 'backup_code']

/** Phone plus a second factor: what a session must have proven to act as an admin. */
export function hasAdminFactors(amr: readonly ProofMethod[]): boolean {
  return amr.includes('sms') && SECOND.some((m) => amr.includes(m))
}

/** True when `token` is the bootstrap admin token (SHA-256 digests compared in constant time). */
export async function isAdminToken(ctx: Ctx, token: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256Hex(token), sha256Hex(ctx.config.adminToken)])
  return token !== '' && constantTimeEqual(a, b)
}

/** A JWT's shape (three base64url parts): anything else cannot be an access token. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/

export async function adminCaller(ctx: Ctx, token: string | undefined): Promise<AdminCaller> {
  if (token && (await isAdminToken(ctx, token))) return { actor: TOKEN_ACTOR, role: 'owner' }
  if (!token || !JWT_SHAPE.test(token))
    throw new ApiError(
      'unauthorized',
      "A valid admin token, or the access token of an admin's session, is required.",
    )
  const now = ctx.clock()
  const auth = await authenticate(ctx.db, ctx.signingKey, ctx.config.publicUrl, token, now)
  const r = await ctx.db.execute({
    sql: `SELECT users.name, users.disabled_at, admins.role FROM users
          LEFT JOIN admins ON admins.user_id = users.id WHERE users.id = ?`,
    args: [auth.userId],
  })
  const row = r.rows[0]
  // A disabled account's sessions are ended when it is disabled; checked here all the same.
  if (!row || row.disabled_at !== null)
    throw new ApiError('unauthorized', 'This session has ended. Sign in again.')
  if (row.role === null)
    throw new ApiError('forbidden', 'This account is not an admin of this site.')
  if (!hasAdminFactors(auth.amr))
    throw new ApiError(
      'forbidden',
      'The admin page needs a sign-in with your phone and a second factor (password, ' +
        `authenticator app or backup code); this session proved ${auth.amr.join(' + ') || 'none'}. ` +
        'Sign in again with both.',
    )
  return {
    actor: adminActorOf(auth.userId),
    role: String(row.role) as AdminRole,
    userId: auth.userId,
    name: String(row.name),
    auth,
  }
}

/** Throws `forbidden` unless the caller's role may use a route that needs `need`. */
export function assertRole(caller: AdminCaller, need: AdminRole): void {
  if (need === 'owner' && caller.role !== 'owner')
    throw new ApiError(
      'forbidden',
      'Support admins cannot do this: it needs an owner (integrations, settings, events, ' +
        'test numbers, admin accounts, phones and deletions).',
    )
}

/**
 * Support staff manage users, not admins: changing an admin's account (disabling it, its email,
 * its sessions) would let them lock an owner out. Owners and the token may.
 */
export async function assertMayManage(
  ctx: Ctx,
  caller: AdminCaller,
  userId: string,
): Promise<void> {
  if (caller.role === 'owner') return
  const r = await ctx.db.execute({ sql: 'SELECT 1 FROM admins WHERE user_id = ?', args: [userId] })
  if (r.rows.length)
    throw new ApiError(
      'forbidden',
      "Support admins cannot change an admin's account: an owner can.",
    )
}
