/** A user's page for the site owner (GET /v1/admin/users/{id}): AdminUserDetail. */
import type { AdminUserDetail } from '../../shared/account-schemas.js'
import type { UserRow } from './users.js'
import type { Ctx } from '../context.js'
import { maskE164 } from '../phone.js'
import { proofMethods } from '../sessions/reauth.js'
import { countSessions, listSessions } from '../sessions/user-sessions.js'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export async function userDetail(ctx: Ctx, u: UserRow): Promise<AdminUserDetail> {
  const now = ctx.clock()
  const [sessions, sessionsCount, extra] = await Promise.all([
    listSessions(ctx.db, u.id, now, null),
    countSessions(ctx.db, u.id, now),
    ctx.db.execute({
      sql: `SELECT (SELECT max(created_at) FROM sessions WHERE user_id = :id) AS last_sign_in,
              (SELECT locked_until FROM guess_budgets WHERE subject = :id) AS locked_until`,
      args: { id: u.id },
    }),
  ])
  const row = extra.rows[0]!
  const lockedUntil = Number(row.locked_until ?? 0)
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    phone: u.phone === null ? null : maskE164(u.phone),
    phoneVerified: u.phoneVerified,
    disabled: u.disabledAt !== null,
    createdAt: new Date(u.createdAt).toISOString(),
    factors: proofMethods(u),
    sessionsCount,
    sessions,
    lastSignInAt: iso(row.last_sign_in === null ? null : Number(row.last_sign_in)),
    lockedUntil: lockedUntil > now ? new Date(lockedUntil).toISOString() : null,
    disabledAt: iso(u.disabledAt),
  }
}
