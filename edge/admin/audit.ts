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

export async function listAudit(deps: Deps, limit: number, action?: string) {
  const r = await deps.db.execute({
    sql: `SELECT id, at, actor, action, outcome, user_id, phone_masked, client_address, detail FROM audit
          WHERE (:action IS NULL OR action = :action) ORDER BY id DESC LIMIT :limit`,
    args: { action: action ?? null, limit },
  })
  return r.rows.map((row) => ({
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
}
