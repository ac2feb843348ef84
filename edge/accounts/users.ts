/** Accounts: rows and the public `user` object of API.md. */
import type { Client, Row } from '@libsql/client'
import type { User } from '../../shared/schemas.js'

export interface UserRow {
  id: string
  name: string
  email: string | null
  phone: string | null
  phoneVerified: boolean
  passwordHash: string | null
  totpEnabled: boolean
  phoneChangeUntil: number
  backupRemaining: number
  createdAt: number
}

function fromRow(r: Row): UserRow {
  return {
    id: String(r.id),
    name: String(r.name),
    email: r.email === null ? null : String(r.email),
    phone: r.phone === null ? null : String(r.phone),
    phoneVerified: Number(r.phone_verified) === 1,
    passwordHash: r.password_hash === null ? null : String(r.password_hash),
    totpEnabled: Number(r.totp_enabled) === 1,
    phoneChangeUntil: Number(r.phone_change_until),
    backupRemaining: Number(r.backup_remaining ?? 0),
    createdAt: Number(r.created_at),
  }
}

const COLUMNS = `id, name, email, phone, phone_verified, password_hash, totp_enabled,
  phone_change_until, created_at,
  (SELECT count(*) FROM backup_codes b WHERE b.user_id = users.id AND b.used_at IS NULL) AS backup_remaining`

export async function findUser(db: Client, id: string): Promise<UserRow | null> {
  const r = await db.execute({ sql: `SELECT ${COLUMNS} FROM users WHERE id = ?`, args: [id] })
  return r.rows[0] ? fromRow(r.rows[0]) : null
}

export async function findByVerifiedPhone(db: Client, e164: string): Promise<UserRow | null> {
  const r = await db.execute({
    sql: `SELECT ${COLUMNS} FROM users WHERE phone = ? AND phone_verified = 1`,
    args: [e164],
  })
  return r.rows[0] ? fromRow(r.rows[0]) : null
}

/**
 * For a new verification to a number: the account that has it verified (if any), and until when
 * the guessing budget a check would charge (that account's, or the number's) is locked. One read.
 */
export async function findStartTarget(
  db: Client,
  e164: string,
  phoneSubject: string,
): Promise<{ user: UserRow | null; lockedUntil: number }> {
  const r = await db.execute({
    sql: `SELECT ${COLUMNS}, (SELECT locked_until FROM guess_budgets
            WHERE subject = COALESCE(users.id, :subject)) AS budget_locked_until
          FROM (SELECT 1) LEFT JOIN users ON users.phone = :phone AND users.phone_verified = 1`,
    args: { phone: e164, subject: phoneSubject },
  })
  const row = r.rows[0]!
  return {
    user: row.id === null ? null : fromRow(row),
    lockedUntil: Number(row.budget_locked_until ?? 0),
  }
}

export async function findByEmail(db: Client, email: string): Promise<UserRow | null> {
  const r = await db.execute({
    sql: `SELECT ${COLUMNS} FROM users WHERE email_norm = ?`,
    args: [normaliseEmail(email)],
  })
  return r.rows[0] ? fromRow(r.rows[0]) : null
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** The `user` object of API.md (the phone in full: only the account owner ever receives it). */
export async function publicUser(_db: Client, u: UserRow): Promise<User> {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    phone: u.phone,
    phoneVerified: u.phoneVerified,
    twoStep: {
      sms: u.phoneVerified,
      totp: u.totpEnabled,
      backupCodesRemaining: u.backupRemaining,
    },
    createdAt: new Date(u.createdAt).toISOString(),
  }
}

/** True when a libSQL error is a UNIQUE constraint failure (on any column). */
export function isUniqueViolation(err: unknown, column?: string): boolean {
  const msg =
    err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : ''
  return /UNIQUE constraint failed/i.test(msg) && (!column || msg.includes(column))
}
