/**
 * The verification state machine in SQL. Every transition is one statement with its guard in the
 * WHERE clause (checked through RETURNING), so it holds across concurrent requests and instances:
 * an attempt is reserved before a code is compared, and of any number of correct checks exactly
 * one approval lands.
 */
import type { Client, Row } from '@libsql/client'

export type Purpose = 'register' | 'login' | 'mfa' | 'enroll' | 'change_phone'

export interface CodeEntry {
  /** HMAC-SHA-256(id ‖ purpose ‖ code), hex */
  h: string
  /** expiry of this code, ms */
  e: number
}

export interface VerificationRow {
  id: string
  purpose: Purpose
  phone: string
  userId: string | null
  ticket: string | null
  channel: 'sms' | 'voice'
  codeLength: number
  codes: CodeEntry[]
  attempts: number
  maxAttempts: number
  sends: number
  createdAt: number
  expiresAt: number
  resendAt: number
  approvedAt: number | null
}

const COLUMNS = `id, purpose, phone, user_id, ticket_id, channel, code_length, codes, attempts,
  max_attempts, sends, created_at, expires_at, resend_at, approved_at`

function fromRow(r: Row): VerificationRow {
  return {
    id: String(r.id),
    purpose: String(r.purpose) as Purpose,
    phone: String(r.phone),
    userId: r.user_id === null ? null : String(r.user_id),
    ticket: r.ticket_id === null ? null : String(r.ticket_id),
    channel: String(r.channel) as 'sms' | 'voice',
    codeLength: Number(r.code_length),
    codes: JSON.parse(String(r.codes)) as CodeEntry[],
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    sends: Number(r.sends),
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    resendAt: Number(r.resend_at),
    approvedAt: r.approved_at === null ? null : Number(r.approved_at),
  }
}

/**
 * The INSERT of a new verification, to run inside a batch. With `ifChanged`, it is written only
 * when the statement before it in the batch changed exactly that many rows (every limit taken).
 */
export function insertStatement(v: VerificationRow, address: string, ifChanged?: number) {
  const args: (string | number | null)[] = [
    v.id,
    v.purpose,
    v.phone,
    v.userId,
    v.ticket,
    v.channel,
    v.codeLength,
    JSON.stringify(v.codes),
    v.attempts,
    v.maxAttempts,
    v.sends,
    v.createdAt,
    v.expiresAt,
    v.resendAt,
    v.approvedAt,
    address,
  ]
  if (ifChanged === undefined) {
    return {
      sql: `INSERT INTO verifications (${COLUMNS}, client_address)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args,
    }
  }
  return {
    sql: `INSERT INTO verifications (${COLUMNS}, client_address)
          SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() = ?`,
    args: [...args, ifChanged],
  }
}

export async function getVerification(db: Client, id: string): Promise<VerificationRow | null> {
  const r = await db.execute({
    sql: `SELECT ${COLUMNS} FROM verifications WHERE id = ?`,
    args: [id],
  })
  return r.rows[0] ? fromRow(r.rows[0]) : null
}

export async function deleteVerification(db: Client, id: string): Promise<void> {
  await db.execute({ sql: 'DELETE FROM verifications WHERE id = ?', args: [id] })
}

/**
 * Reserves one attempt; null when the verification is approved, expired, out of attempts, belongs
 * to another signed-in account (enroll, change_phone), or its account is locked.
 */
export async function reserveAttempt(
  db: Client,
  id: string,
  now: number,
  callerId: string | null,
): Promise<VerificationRow | null> {
  const r = await db.execute({
    sql: `UPDATE verifications SET attempts = attempts + 1
          WHERE id = :id AND approved_at IS NULL AND attempts < max_attempts AND expires_at > :now
            AND (purpose NOT IN ('enroll', 'change_phone') OR user_id = :caller)
            AND (user_id IS NULL
              OR (SELECT locked_until FROM users WHERE users.id = verifications.user_id) <= :now)
          RETURNING ${COLUMNS}`,
    args: { id, now, caller: callerId },
  })
  return r.rows[0] ? fromRow(r.rows[0]) : null
}

/**
 * Adds a freshly sent code (a resend). Guarded by the cooldown, the send cap, the state and expiry.
 * Returns the updated row, or null when one of the guards refused.
 */
export async function addCode(
  db: Client,
  p: {
    id: string
    code: CodeEntry
    now: number
    nextResendAt: number
    maxSends: number
    channel: string
  },
): Promise<VerificationRow | null> {
  const r = await db.execute({
    sql: `UPDATE verifications SET
            codes = json_insert(codes, '$[#]', json(:code)),
            sends = sends + 1,
            resend_at = :next,
            channel = :channel,
            expires_at = max(expires_at, :exp)
          WHERE id = :id AND approved_at IS NULL AND attempts < max_attempts AND expires_at > :now
            AND resend_at <= :now AND sends < :maxSends
          RETURNING ${COLUMNS}`,
    args: {
      id: p.id,
      code: JSON.stringify(p.code),
      next: p.nextResendAt,
      channel: p.channel,
      exp: p.code.e,
      now: p.now,
      maxSends: p.maxSends,
    },
  })
  return r.rows[0] ? fromRow(r.rows[0]) : null
}

/** Undoes a resend whose message no provider took (it does not count as sent). */
export async function undoCode(
  db: Client,
  before: VerificationRow,
  sendsAfter: number,
): Promise<void> {
  await db.execute({
    sql: `UPDATE verifications SET codes = ?, sends = ?, resend_at = ?, expires_at = ?, channel = ?
          WHERE id = ? AND sends = ?`,
    args: [
      JSON.stringify(before.codes),
      before.sends,
      before.resendAt,
      before.expiresAt,
      before.channel,
      before.id,
      sendsAfter,
    ],
  })
}
