/**
 * Accounts: rows, the public `user` object of docs/api.md, and every write to the users table (no
 * other module writes it; maintenance/reseal.ts only re-seals its sealed columns in place).
 */
import type { Client, InStatement, Row } from '@libsql/client'
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
  /** When the site owner disabled the account (null: enabled): no sign-in, no refresh. */
  disabledAt: number | null
}

export function fromRow(r: Row): UserRow {
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
    disabledAt: r.disabled_at === null ? null : Number(r.disabled_at),
  }
}

export const COLUMNS = `id, name, email, phone, phone_verified, password_hash, totp_enabled,
  phone_change_until, created_at, disabled_at,
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

/** The `user` object of docs/api.md (the phone in full: only the account owner ever receives it). */
export async function publicUser(_db: Client, u: UserRow): Promise<User> {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    phone: u.phone,
    phoneVerified: u.phoneVerified,
    hasPassword: u.passwordHash !== null,
    twoStep: {
      sms: u.phoneVerified,
      totp: u.totpEnabled,
      backupCodesRemaining: u.backupRemaining,
    },
    createdAt: new Date(u.createdAt).toISOString(),
  }
}

export interface NewUser {
  id: string
  name: string
  email: string
  emailNorm: string
  passwordHash: string | null
  /** Verified when given: it came from an approved verification. */
  phone: string | null
  createdAt: number
}

/**
 * The INSERT of a new account, to run inside a batch; with `ifChanged`, only when the statement
 * before it changed a row (the registration ticket that was spent).
 */
export function insertUserStatement(u: NewUser, ifChanged = false): InStatement {
  return {
    sql: `INSERT INTO users (id, name, email, email_norm, password_hash, phone, phone_verified, created_at)
          SELECT ?, ?, ?, ?, ?, ?, ?, ?${ifChanged ? ' WHERE changes() = 1' : ''}`,
    args: [
      u.id,
      u.name,
      u.email,
      u.emailNorm,
      u.passwordHash,
      u.phone,
      u.phone ? 1 : 0,
      u.createdAt,
    ],
  }
}

/**
 * A phone proven by the account (enroll, or the new number after change_phone): the window closes.
 * `also` here and below: statements of the same write (the change's event: events/outbox.ts).
 */
export async function storeVerifiedPhone(
  db: Client,
  id: string,
  e164: string,
  also: InStatement[] = [],
): Promise<void> {
  await db.batch(
    [
      {
        sql: 'UPDATE users SET phone = ?, phone_verified = 1, phone_change_until = 0 WHERE id = ?',
        args: [e164, id],
      },
      ...also,
    ],
    'write',
  )
}

/** The site owner sets the phone, verified only when the account already had it verified. */
export async function setPhoneByAdmin(
  db: Client,
  id: string,
  e164: string,
  verified: boolean,
  also: InStatement[] = [],
): Promise<void> {
  await db.batch(
    [
      {
        sql: 'UPDATE users SET phone = ?, phone_verified = ? WHERE id = ?',
        args: [e164, verified ? 1 : 0, id],
      },
      ...also,
    ],
    'write',
  )
}

export async function removePhone(db: Client, id: string, also: InStatement[] = []): Promise<void> {
  await db.batch(
    [
      {
        sql: 'UPDATE users SET phone = NULL, phone_verified = 0, phone_change_until = 0 WHERE id = ?',
        args: [id],
      },
      ...also,
    ],
    'write',
  )
}

/** Opens the window in which a new phone may replace the proven one (a batch statement). */
export function openPhoneChangeStatement(id: string, until: number): InStatement {
  return { sql: 'UPDATE users SET phone_change_until = ? WHERE id = ?', args: [until, id] }
}

/** A new TOTP secret, sealed, waiting for its first code. */
export async function setPendingTotp(db: Client, id: string, sealed: string): Promise<void> {
  await db.execute({
    sql: 'UPDATE users SET totp_pending_sealed = ? WHERE id = ?',
    args: [sealed, id],
  })
}

/** The pending secret becomes the secret; the confirming code's step is claimed with it. */
export async function enableTotp(
  db: Client,
  id: string,
  step: number,
  also: InStatement[] = [],
): Promise<void> {
  await db.batch(
    [
      {
        sql: `UPDATE users SET totp_secret_sealed = totp_pending_sealed, totp_pending_sealed = NULL,
            totp_enabled = 1, totp_last_step = ? WHERE id = ?`,
        args: [step, id],
      },
      ...also,
    ],
    'write',
  )
}

export async function disableTotp(db: Client, id: string, also: InStatement[] = []): Promise<void> {
  await db.batch(
    [
      {
        sql: 'UPDATE users SET totp_enabled = 0, totp_secret_sealed = NULL WHERE id = ?',
        args: [id],
      },
      ...also,
    ],
    'write',
  )
}

/** Claims a TOTP step for the user: true once per step, across requests and instances. */
export async function claimTotpStep(db: Client, id: string, step: number): Promise<boolean> {
  const r = await db.execute({
    sql: 'UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?',
    args: [step, id, step],
  })
  return r.rowsAffected === 1
}

/** The site owner's edit of name and email (a batch statement; email_taken on a clash). */
export function updateProfileStatement(
  id: string,
  patch: { name?: string; email?: string },
): InStatement {
  return {
    sql: `UPDATE users SET name = COALESCE(:name, name), email = COALESCE(:email, email),
            email_norm = COALESCE(:norm, email_norm) WHERE id = :id`,
    args: {
      id,
      name: patch.name ?? null,
      email: patch.email ?? null,
      norm: patch.email === undefined ? null : normaliseEmail(patch.email),
    },
  }
}

/**
 * Sets the password hash, as a batch statement. With `afterSpend`, only on an enabled account and
 * only if the statement before it in the batch changed one row (the reset ticket that was spent).
 */
export function setPasswordStatement(id: string, hash: string, afterSpend = false): InStatement {
  return {
    sql: `UPDATE users SET password_hash = ? WHERE id = ?${
      afterSpend ? ' AND disabled_at IS NULL AND changes() = 1' : ''
    }`,
    args: [hash, id],
  }
}

/** Disables (at `at`) or enables (null) the account, as a batch statement. */
export function setDisabledStatement(id: string, at: number | null): InStatement {
  return { sql: 'UPDATE users SET disabled_at = ? WHERE id = ?', args: [at, id] }
}

/** The account's row, with its factors and secrets (accounts/delete-account.ts: the rest). */
export function deleteUserStatement(id: string): InStatement {
  return { sql: 'DELETE FROM users WHERE id = ?', args: [id] }
}

/** True when a libSQL error is a UNIQUE constraint failure (on any column). */
export function isUniqueViolation(err: unknown, column?: string): boolean {
  const msg =
    err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : ''
  return /UNIQUE constraint failed/i.test(msg) && (!column || msg.includes(column))
}
