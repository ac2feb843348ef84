/**
 * The verification state machine in SQL: every transition that states.ts names is one statement
 * here, with its guard in the WHERE clause (checked through RETURNING or the rows it changed), so
 * it holds across concurrent requests and instances: an attempt is reserved before a code is
 * compared, and of any number of correct checks exactly one approval lands. No other module writes
 * the verifications table but the maintenance job (deleting ended rows, re-keying live ones). Rows
 * hold no full number and no code in clear (docs/security.md); a deleted account's keep no number.
 */
import type { Client, InStatement } from '@libsql/client'
import type { Channel } from '../../shared/enums.js'
import { COLUMNS as USER_COLUMNS, fromRow as userFromRow, type UserRow } from '../accounts/users.js'
import { reserveForVerificationStatement } from '../limits/guesses.js'
import { SENDS_PER_VERIFICATION, type KeyedLimit } from '../limits/policy.js'
import { NOT_APPROVED_SQL, OWNER_SQL, PENDING_SQL } from './states.js'
import { COLUMNS, fromRow, type VerificationRow } from './row.js'

export { SESSION_PURPOSES, type Purpose } from './states.js'

export type { VerificationRow } from './row.js'

/**
 * start (→ pending): the INSERT of a new verification, to run inside a batch: written only when
 * the statement before it in the batch changed exactly `ifChanged` rows (every limit taken).
 */
export function insertStatement(v: VerificationRow, address: string, ifChanged: number) {
  return {
    sql: `INSERT INTO verifications (${COLUMNS}, client_address)
          SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() = ?`,
    args: [
      v.id,
      v.purpose,
      v.phoneHash,
      v.phoneMasked,
      v.sealed,
      v.codeHash,
      v.userId,
      v.sessionId,
      v.ticket,
      v.channel,
      v.codeLength,
      v.attempts,
      v.maxAttempts,
      v.sends,
      v.createdAt,
      v.expiresAt,
      v.resendAt,
      v.approvedAt,
      v.locale,
      v.silent ? 1 : 0,
      v.webOtpHost,
      v.test ? 1 : 0,
      address,
      ifChanged,
    ],
  }
}

export async function getVerification(db: Client, id: string): Promise<VerificationRow | null> {
  const r = await db.execute({
    sql: `SELECT ${COLUMNS} FROM verifications WHERE id = ?`,
    args: [id],
  })
  return r.rows[0] ? fromRow(r.rows[0]) : null
}

/**
 * After expire: at most `n` expired rows drop their sealed number and code (the maintenance job;
 * it deletes the rows themselves a day later).
 */
export function dropSealedStatement(now: number, n: number): InStatement {
  return {
    sql: `UPDATE verifications SET sealed = NULL WHERE rowid IN (SELECT rowid FROM verifications
            WHERE sealed IS NOT NULL AND expires_at <= ? LIMIT ?)`,
    args: [now, n],
  }
}

/** forget (pending → no row): the first send failed, as if the verification never started. */
export async function deleteVerification(db: Client, id: string): Promise<void> {
  await db.execute({ sql: 'DELETE FROM verifications WHERE id = ?', args: [id] })
}

export type Reservation =
  | {
      kind: 'reserved'
      v: VerificationRow
      budget: { lockedNow: boolean }
      /** The account the verification was started for, if its number is verified (read with it). */
      owner: UserRow | null
    }
  /** The verification's attempt was taken, but its account or number is locked. */
  | { kind: 'locked'; v: VerificationRow }
  | { kind: 'refused' }

/**
 * attempt (pending → pending | locked): reserves one attempt of the verification and, in the same
 * write, one of its account's (or number's) guessing budget. Refused unless the row is pending and
 * the caller's (OWNER_SQL); refusal.ts then says why from the row.
 */
export async function reserveAttempt(
  db: Client,
  id: string,
  now: number,
  caller: { userId: string; sessionId: string } | undefined,
): Promise<Reservation> {
  const [attempt, budget, owner] = await db.batch(
    [
      {
        sql: `UPDATE verifications SET attempts = attempts + 1
              WHERE id = :id AND ${PENDING_SQL} AND ${OWNER_SQL}
              RETURNING ${COLUMNS}`,
        args: { id, now, session: caller?.sessionId ?? null, caller: caller?.userId ?? null },
      },
      reserveForVerificationStatement(id, now),
      // What approve.ts would read next for a sign-in: in this write, not a read of its own.
      {
        sql: `SELECT ${USER_COLUMNS} FROM users
              WHERE id = (SELECT user_id FROM verifications WHERE id = ?) AND phone_verified = 1`,
        args: [id],
      },
    ],
    'write',
  )
  const row = attempt!.rows[0]
  if (!row) return { kind: 'refused' }
  const v = fromRow(row)
  const b = budget!.rows[0]
  if (!b) return { kind: 'locked', v }
  const o = owner!.rows[0]
  return {
    kind: 'reserved',
    v,
    budget: { lockedNow: Number(b.locked_until) > now },
    owner: o ? userFromRow(o) : null,
  }
}

/**
 * approve (→ approved): one guarded UPDATE that also drops the sealed number and code, for a
 * caller whose reserved attempt matched (states.ts says why "not approved yet" is its guard).
 */
export function approveStatement(id: string, now: number): InStatement {
  return {
    sql: `UPDATE verifications SET approved_at = :now, sealed = NULL
          WHERE id = :id AND ${NOT_APPROVED_SQL}`,
    args: { id, now },
  }
}

/** A condition true only inside the batch of the caller whose approval landed. */
export const WON = `EXISTS (SELECT 1 FROM verifications WHERE id = :id AND approved_at = :now)`

/**
 * resend (pending → pending): counts a resend (the same code again, on the channel asked). Guarded
 * by the state, the cooldown, the send cap (policy.ts), and by the per-number message limit
 * `limit`, whose event is written in the same batch only if the resend was counted. Returns the
 * updated row, or null. `spend`: the cap's condition, in the same guard, and the send's ledger row
 * (written only if the resend was counted; edge/spend/cap.ts).
 */
export async function countResend(
  db: Client,
  p: { id: string; now: number; nextResendAt: number; channel: string; limit: KeyedLimit },
  spend?: {
    cond: { sql: string; args: Record<string, string | number | null> } | null
    reserve: InStatement | null
  },
): Promise<VerificationRow | null> {
  const [updated] = await db.batch(
    [
      {
        sql: `UPDATE verifications SET sends = sends + 1, resend_at = :next, channel = :channel
              WHERE id = :id AND ${PENDING_SQL} AND resend_at <= :now AND sends < :maxSends
                AND (SELECT count(*) FROM rate_events WHERE key = :key AND at > :since) < :limit
                ${spend?.cond ? `AND (${spend.cond.sql})` : ''}
              RETURNING ${COLUMNS}`,
        args: {
          ...spend?.cond?.args,
          id: p.id,
          next: p.nextResendAt,
          channel: p.channel,
          now: p.now,
          maxSends: SENDS_PER_VERIFICATION,
          key: p.limit.key,
          since: p.now - p.limit.windowMs,
          limit: p.limit.limit,
        },
      },
      {
        sql: 'INSERT INTO rate_events (key, at) SELECT ?, ? WHERE changes() = 1',
        args: [p.limit.key, p.now],
      },
      ...(spend?.reserve ? [spend.reserve] : []),
    ],
    'write',
  )
  return updated!.rows[0] ? fromRow(updated!.rows[0]) : null
}

/**
 * undoResend: gives back a resend whose message no provider took (it does not count as sent),
 * unless another send was counted since.
 */
export async function undoResend(
  db: Client,
  before: VerificationRow,
  sendsAfter: number,
): Promise<void> {
  await db.execute({
    sql: `UPDATE verifications SET sends = ?, resend_at = ?, channel = ? WHERE id = ? AND sends = ?`,
    args: [before.sends, before.resendAt, before.channel, before.id, sendsAfter],
  })
}

/**
 * A statement that changes the verification's one row and nothing else, to open a batch whose
 * statements are guarded by `changes() = 1` (a resend's console outbox rows).
 */
export function touchStatement(id: string): InStatement {
  return { sql: 'UPDATE verifications SET sends = sends WHERE id = ?', args: [id] }
}

/**
 * end (pending → expired): the live verifications to a test number the admin removed
 * (test-numbers/routes.ts), so its fixed code stops working at once. Through the index of live rows
 * (sealed IS NOT NULL).
 */
export function endTestStatement(phoneHash: string, now: number): InStatement {
  return {
    sql: `UPDATE verifications SET sealed = NULL, expires_at = ?
          WHERE sealed IS NOT NULL AND expires_at > ? AND phone_hash = ? AND test = 1`,
    args: [now, now, phoneHash],
  }
}

/**
 * A deleted account's verifications (accounts/delete-account.ts): what the limits and metrics count
 * stays (purpose, channel, times, attempts), the number in every form and the links to the account go.
 */
export function anonymiseForUserStatement(userId: string): InStatement {
  return {
    sql: `UPDATE verifications SET phone_hash = '', phone_masked = '', sealed = NULL,
            client_address = NULL, session_id = NULL, ticket_id = NULL, user_id = NULL
          WHERE user_id = ?`,
    args: [userId],
  }
}
