/**
 * A user's live sessions as the user (GET /v1/me/sessions) and the site owner see them, and the
 * revocations they can make. A revoked session's refresh token is refused at once (refresh.ts
 * reads `revoked_at`) and its access token fails every route that checks the session
 * (sessions.ts authenticate, introspection).
 */
import type { Client } from '@libsql/client'
import type { DeviceSession } from '../../shared/account-schemas.js'
import type { Ctx } from '../context.js'
import { eventStatement } from '../events/outbox.js'

/** At most this many sessions are listed (the newest used first); revoke-others ends them all. */
export const SESSIONS_LISTED = 100

const iso = (ms: unknown) => new Date(Number(ms)).toISOString()

export async function listSessions(
  db: Client,
  userId: string,
  now: number,
  currentId: string | null,
): Promise<DeviceSession[]> {
  const r = await db.execute({
    sql: `SELECT id, device, client_address, created_at, COALESCE(last_used_at, created_at) AS used
          FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?
          ORDER BY used DESC, id LIMIT ${SESSIONS_LISTED}`,
    args: [userId, now],
  })
  return r.rows.map((row) => ({
    id: String(row.id),
    device: row.device === null ? 'Unknown device' : String(row.device),
    address: row.client_address === null ? null : String(row.client_address),
    createdAt: iso(row.created_at),
    lastUsedAt: iso(row.used),
    current: row.id === currentId,
  }))
}

export async function countSessions(db: Client, userId: string, now: number): Promise<number> {
  const r = await db.execute({
    sql: `SELECT count(*) AS n FROM sessions
          WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?`,
    args: [userId, now],
  })
  return Number(r.rows[0]!.n)
}

/**
 * Ends one live session of the user, with its `session.revoked` event in the same batch: false when
 * the user has no such live session (nothing is written then).
 */
export async function revokeOwnSession(
  ctx: Pick<Ctx, 'db' | 'keys'>,
  userId: string,
  sessionId: string,
  now: number,
  reason: string,
): Promise<boolean> {
  const [r] = await ctx.db.batch(
    [
      {
        sql: `UPDATE sessions SET revoked_at = ?, revoked_reason = ?
              WHERE id = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > ?`,
        args: [now, reason, sessionId, userId, now],
      },
      await eventStatement(ctx.keys, 'session.revoked', { userId, sessionId, reason }, now, true),
    ],
    'write',
  )
  return r!.rowsAffected === 1
}
