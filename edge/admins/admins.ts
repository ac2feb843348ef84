/** The `admins` table (migration 0011): named admin accounts and their role. */
import type { Client, InStatement, Row } from '@libsql/client'
import type { AdminAccount, AdminRole } from '../../shared/admin-schemas.js'
import { maskE164 } from '../phone.js'

const SELECT = `SELECT admins.user_id, admins.role, admins.created_at, admins.created_by,
    users.name, users.email, users.phone
  FROM admins JOIN users ON users.id = admins.user_id`

function fromRows(rows: Row[]): AdminAccount[] {
  return rows.map((row) => ({
    userId: String(row.user_id),
    name: String(row.name),
    email: row.email === null ? null : String(row.email),
    phone: row.phone === null ? null : maskE164(String(row.phone)),
    role: String(row.role) as AdminRole,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    createdBy: String(row.created_by),
  }))
}

export async function listAdmins(db: Client): Promise<AdminAccount[]> {
  const r = await db.execute(`${SELECT} ORDER BY admins.created_at, admins.rowid`)
  return fromRows(r.rows)
}

export async function findAdmin(db: Client, userId: string): Promise<AdminAccount | null> {
  const r = await db.execute({ sql: `${SELECT} WHERE admins.user_id = ?`, args: [userId] })
  return fromRows(r.rows)[0] ?? null
}

/**
 * Makes an account an admin, in one statement: only if the account exists and is not one already
 * (of two concurrent grants, one inserts; the other changes nothing and is told 409).
 */
export function insertAdminStatement(
  userId: string,
  role: AdminRole,
  now: number,
  by: string,
): InStatement {
  return {
    sql: `INSERT INTO admins (user_id, role, created_at, created_by)
          SELECT id, ?, ?, ? FROM users WHERE id = ?
          ON CONFLICT (user_id) DO NOTHING`,
    args: [role, now, by, userId],
  }
}

export function setRoleStatement(userId: string, role: AdminRole): InStatement {
  return { sql: 'UPDATE admins SET role = ? WHERE user_id = ?', args: [role, userId] }
}

export function removeAdminStatement(userId: string): InStatement {
  return { sql: 'DELETE FROM admins WHERE user_id = ?', args: [userId] }
}
