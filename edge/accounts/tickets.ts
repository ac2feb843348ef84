/**
 * Single-use tickets: the registration ticket (a proven phone, waiting for name and email) and the
 * mfa ticket (a first factor passed, waiting for the second; it grants nothing else). Opaque
 * 256-bit values; only their SHA-256 is stored, and a registration ticket's number only sealed.
 */
import type { Client, Row } from '@libsql/client'
import { decrypt, encrypt, sha256Hex, type Keys } from '../crypto/keys.js'
import { newToken } from '../crypto/random.js'

/** What the ticket functions need: the database and the data-at-rest key. */
export interface TicketStore {
  db: Client
  keys: Keys
}

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
  { db, keys }: TicketStore,
  t: { kind: TicketKind; userId?: string; phone?: string; firstFactor?: string },
  now: number,
): Promise<string> {
  const token = newToken(t.kind === 'mfa' ? 'mfa' : 'reg')
  await db.execute({
    sql: `INSERT INTO tickets (hash, kind, user_id, phone, first_factor, expires_at, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)`,
    args: [
      ticketHash(token),
      t.kind,
      t.userId ?? null,
      t.phone ? await encrypt(keys.aes, t.phone) : null,
      t.firstFactor ?? null,
      now + TICKET_TTL_MS,
      now,
    ],
  })
  return token
}

/** The ticket if it is of that kind, unused and unexpired; null otherwise. */
export async function peekTicket(
  { db, keys }: TicketStore,
  token: string,
  kind: TicketKind,
  now: number,
): Promise<Ticket | null> {
  const r = await db.execute({
    sql: `SELECT user_id, phone, first_factor, expires_at FROM tickets
          WHERE hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?`,
    args: [ticketHash(token), kind, now],
  })
  return r.rows[0] ? fromRow(keys, kind, r.rows[0]) : null
}

/** Spends the ticket in one guarded statement: of concurrent spenders exactly one gets it. */
export async function spendTicket(
  store: TicketStore,
  token: string,
  kind: TicketKind,
  now: number,
): Promise<Ticket | null> {
  return spendTicketByHash(store, ticketHash(token), kind, now)
}

/** The form a ticket is stored and referred to by elsewhere (a verification's ticket_id). */
export const ticketHash = (token: string) => sha256Hex(token)

/** spendTicket for a ticket known by its hash only (a bearer secret is not kept in clear). */
export async function spendTicketByHash(
  { db, keys }: TicketStore,
  hash: string,
  kind: TicketKind,
  now: number,
): Promise<Ticket | null> {
  const r = await db.execute({
    sql: `UPDATE tickets SET used_at = ? WHERE hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?
          RETURNING user_id, phone, first_factor, expires_at`,
    args: [now, hash, kind, now],
  })
  return r.rows[0] ? fromRow(keys, kind, r.rows[0]) : null
}

const text = (v: unknown) => (v === null || v === undefined ? null : String(v))

async function fromRow(keys: Keys, kind: TicketKind, row: Row): Promise<Ticket> {
  const phone = text(row.phone)
  return {
    kind,
    userId: text(row.user_id),
    phone: phone ? await decrypt(keys.aes, phone) : null,
    firstFactor: text(row.first_factor),
    expiresAt: Number(row.expires_at),
  }
}
