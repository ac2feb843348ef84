/** The security audit trail: who, what, when, outcome, masked phone. Never a code or a secret. */
import type { Deps } from '../deps.js'

export interface AuditEvent {
  actor: string
  action: string
  outcome: string
  userId?: string | null
  phoneMasked?: string | null
  address?: string | null
  detail?: Record<string, string | number | boolean | null>
}

export async function audit(deps: Deps, e: AuditEvent): Promise<void> {
  await deps.db.execute(auditStatement(deps, e))
}

/**
 * The INSERT of one event, to run inside a batch. With `ifChanged`, it is written only when the
 * statement before it in the batch changed a row (e.g. the approval that won).
 */
export function auditStatement(deps: Deps, e: AuditEvent, ifChanged = false) {
  return {
    sql: `INSERT INTO audit (at, actor, action, outcome, user_id, phone_masked, client_address, detail)
          SELECT ?, ?, ?, ?, ?, ?, ?, ?${ifChanged ? ' WHERE changes() = 1' : ''}`,
    args: [
      deps.clock(),
      e.actor,
      e.action,
      e.outcome,
      e.userId ?? null,
      e.phoneMasked ?? null,
      e.address ?? null,
      e.detail ? JSON.stringify(e.detail) : null,
    ],
  }
}

export interface AuditQuery {
  /** Events per page (the route keeps it within 1–1000). */
  limit: number
  action?: string
  /** Only events older than this one (its id): the cursor of the page before. */
  before?: number
}

/**
 * A page of events, newest first, and the cursor of the next (older) page. Both forms walk an
 * index from the cursor and stop after `limit` rows (EXPLAIN: `SEARCH audit USING … (rowid<?)`,
 * with `action` on `audit_action`): no scan of the table however large it grows. Without a cursor
 * the bound is the largest id, so the first page is the same search.
 */
export async function listAudit(deps: Deps, q: AuditQuery) {
  const r = await deps.db.execute({
    sql: `SELECT id, at, actor, action, outcome, user_id, phone_masked, client_address, detail FROM audit
          WHERE ${q.action === undefined ? '' : 'action = :action AND '}id < :before
          ORDER BY id DESC LIMIT :limit`,
    args: {
      ...(q.action === undefined ? {} : { action: q.action }),
      before: q.before ?? Number.MAX_SAFE_INTEGER,
      limit: q.limit + 1,
    },
  })
  const rows = r.rows.slice(0, q.limit)
  const events = rows.map((row) => ({
    id: Number(row.id),
    at: new Date(Number(row.at)).toISOString(),
    actor: String(row.actor),
    action: String(row.action),
    outcome: String(row.outcome),
    userId: row.user_id === null ? null : String(row.user_id),
    phone: row.phone_masked === null ? null : String(row.phone_masked),
    address: row.client_address === null ? null : String(row.client_address),
    detail:
      row.detail === null ? null : (JSON.parse(String(row.detail)) as Record<string, unknown>),
  }))
  return { events, nextBefore: r.rows.length > q.limit ? events.at(-1)!.id : null }
}
