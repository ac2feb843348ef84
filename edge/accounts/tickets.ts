/**
 * Single-use tickets: the registration ticket (a proven phone, waiting for name and email) and the
 * mfa ticket (a first factor passed, waiting for the second; it grants nothing else). Opaque
 * 256-bit values; only their SHA-256 is stored.
 */
import type { Client, Row } from '@libsql/client'
import { sha256Hex } from '../crypto/keys.js'
import { newToken } from '../crypto/random.js'

export type TicketKind = 'registration' | 'mfa'
export const TICKET_TTL_MS = 10 * 60_000

export interface Ticket {
  kind: TicketKind
  userId: string | null
  phone: string | null
  firstFactor: string | null
  expiresAt: number
}

export async function issueTicket(
  db: Client,
  t: { kind: TicketKind; userId?: string; phone?: string; firstFactor?: string },
  now: number,
): Promise<string> {
  const token = newToken(t.kind === 'mfa' ? 'mfa' : 'reg')
  await db.execute({
    sql: `INSERT INTO tickets (hash, kind, user_id, phone, first_factor, expires_at, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)`,
    args: [
      await sha256Hex(token),
      t.kind,
      t.userId ?? null,
      t.phone ?? null,
      t.firstFactor ?? null,
      now + TICKET_TTL_MS,
      now,
    ],
  })
  return token
}

/** The ticket if it is of that kind, unused and unexpired; null otherwise. */
export async function peekTicket(
  db: Client,
  token: string,
  kind: TicketKind,
  now: number,
): Promise<Ticket | null> {
  const r = await db.execute({
    sql: `SELECT user_id, phone, first_factor, expires_at FROM tickets
          WHERE hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?`,
    args: [await sha256Hex(token), kind, now],
  })
  return r.rows[0] ? fromRow(kind, r.rows[0]) : null
}

/** Spends the ticket in one guarded statement: of concurrent spenders exactly one gets it. */
export async function spendTicket(
  db: Client,
  token: string,
  kind: TicketKind,
  now: number,
): Promise<Ticket | null> {
  const r = await db.execute({
    sql: `UPDATE tickets SET used_at = ? WHERE hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?
          RETURNING user_id, phone, first_factor, expires_at`,
    args: [now, await sha256Hex(token), kind, now],
  })
  return r.rows[0] ? fromRow(kind, r.rows[0]) : null
}

const text = (v: unknown) => (v === null || v === undefined ? null : String(v))

function fromRow(kind: TicketKind, row: Row): Ticket {
  return {
    kind,
    userId: text(row.user_id),
    phone: text(row.phone),
    firstFactor: text(row.first_factor),
    expiresAt: Number(row.expires_at),
  }
}
