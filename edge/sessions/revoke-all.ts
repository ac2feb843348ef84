/**
 * Ending every session of an account but one, each with its `session.revoked` event (events/
 * outbox.ts), in the batch of the change that ends them (a password reset or change, a phone
 * change, the site owner's "revoke sessions"). The live sessions are read first; each is ended by
 * its own guarded UPDATE, its event written only if that UPDATE ended it. A last statement ends
 * the rest (made between the read and the write, or already expired) without an event.
 */
import type { InStatement, InValue } from '@libsql/client'
import type { Ctx } from '../context.js'
import { eventStatement } from '../events/outbox.js'

/** Events are written for at most this many sessions (the newest); the rest end all the same. */
const EVENTS_AT_MOST = 500

/** A SQL condition (with `?` arguments) the whole revocation is subject to: the change won. */
export interface Guard {
  sql: string
  args: InValue[]
}

export async function revokeAllStatements(
  ctx: Pick<Ctx, 'db' | 'keys'>,
  userId: string,
  keep: string | null,
  now: number,
  reason: string,
  guard: Guard = { sql: '1', args: [] },
): Promise<InStatement[]> {
  const live = await ctx.db.execute({
    sql: `SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND id != ?
            AND expires_at > ?
          ORDER BY created_at DESC LIMIT ${EVENTS_AT_MOST}`,
    args: [userId, keep ?? '', now],
  })
  const each = await Promise.all(
    live.rows.map(async (row) => {
      const sessionId = String(row.id)
      return [
        {
          sql: `UPDATE sessions SET revoked_at = ?, revoked_reason = ?
                WHERE id = ? AND revoked_at IS NULL AND (${guard.sql})`,
          args: [now, reason, sessionId, ...guard.args],
        },
        await eventStatement(ctx.keys, 'session.revoked', { userId, sessionId, reason }, now, true),
      ]
    }),
  )
  return [
    ...each.flat(),
    {
      sql: `UPDATE sessions SET revoked_at = ?, revoked_reason = ?
            WHERE user_id = ? AND revoked_at IS NULL AND id != ? AND (${guard.sql})`,
      args: [now, reason, userId, keep ?? '', ...guard.args],
    },
  ]
}

/** How many sessions the statements of revokeAllStatements ended, from their batch results. */
export function revokedCount(results: { rowsAffected: number }[]): number {
  // The UPDATEs are at the even places (each session's, then the last one); events at the odd.
  return results.reduce((n, r, i) => (i % 2 === 0 ? n + r.rowsAffected : n), 0)
}
