/** The delivery log the admin reads: an endpoint's deliveries, newest first, each with its attempts. */
import type { EventDelivery, EventType } from '../../shared/events.js'
import type { Deps } from '../deps.js'
import { ApiError } from '../http/errors.js'

/** Attempts shown per delivery at most (MAX_ATTEMPTS per round, a few resends). */
const LOG_LIMIT = 50

const iso = (ms: unknown) => (ms === null ? null : new Date(Number(ms)).toISOString())

export async function listDeliveries(
  deps: Deps,
  endpointId: string,
  q: { limit: number; before?: number },
): Promise<{ deliveries: EventDelivery[]; nextBefore: number | null }> {
  const r = await deps.db.execute({
    sql: `SELECT d.rowid AS n, d.id, d.event_id, e.type, d.state, d.attempts, d.next_at, d.created_at
          FROM event_deliveries d JOIN event_outbox e ON e.id = d.event_id
          WHERE d.endpoint_id = ? AND d.rowid < ? ORDER BY d.rowid DESC LIMIT ?`,
    args: [endpointId, q.before ?? Number.MAX_SAFE_INTEGER, q.limit + 1],
  })
  const rows = r.rows.slice(0, q.limit)
  const deliveries = await Promise.all(
    rows.map(async (row) => {
      const log = await deps.db.execute({
        sql: `SELECT at, status, duration_ms, error FROM event_attempts WHERE delivery_id = ?
              ORDER BY at DESC, rowid DESC LIMIT ?`,
        args: [String(row.id), LOG_LIMIT],
      })
      return {
        id: String(row.id),
        eventId: String(row.event_id),
        type: String(row.type) as EventType,
        state: String(row.state) as EventDelivery['state'],
        attempts: Number(row.attempts),
        nextAttemptAt: row.state === 'pending' ? iso(row.next_at) : null,
        createdAt: iso(row.created_at)!,
        log: log.rows.map((a) => ({
          at: iso(a.at)!,
          status: a.status === null ? null : Number(a.status),
          durationMs: Number(a.duration_ms),
          error: a.error === null ? null : String(a.error),
        })),
      }
    }),
  )
  const more = r.rows.length > q.limit
  return { deliveries, nextBefore: more ? Number(rows.at(-1)!.n) : null }
}

/**
 * Sends the delivery's event again, with the same id (`webhook-id`): a fresh round of attempts
 * from now. The log of the earlier ones stays.
 */
export async function resendDelivery(deps: Deps, id: string): Promise<void> {
  const r = await deps.db.execute({
    sql: `UPDATE event_deliveries SET state = 'pending', attempts = 0, next_at = ?,
            lease_by = NULL, lease_until = NULL WHERE id = ?`,
    args: [deps.clock(), id],
  })
  if (r.rowsAffected !== 1) throw new ApiError('not_found', 'No such delivery.')
}
