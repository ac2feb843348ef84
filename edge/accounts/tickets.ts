/**
 * Single-use tickets: the registration ticket (a proven phone, waiting for name and email) and the
 * mfa ticket (a first factor passed, waiting for the second; it grants nothing else), and the
 * password-reset ticket (an approved `password_reset` code, waiting for the new password). Opaque
 * 256-bit values; only their SHA-256 is stored, and a registration ticket's number only sealed.
 */
import type { Client, Row } from '@libsql/client'
import { sha256Hex, type Keys } from '../crypto/keys.js'
import { newToken } from '../crypto/random.js'
import { openOrNull, seal } from '../crypto/seal.js'
import type { Deps } from '../deps.js'
import { TICKET_TTL_MS } from '../limits/policy.js'

/** What the ticket functions need: the database, the data-at-rest key and the log. */
export interface TicketStore {
  db: Client
  keys: Keys
  log: Deps['log']
}

export type TicketKind = 'registration' | 'mfa' | 'password_reset'

/** The token's type prefix per kind (IDs are opaque strings with a type prefix). */
const PREFIX: Record<TicketKind, string> = {
  registration: 'reg',
  mfa: 'mfa',
  password_reset: 'rst',
}

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
  const token = newToken(PREFIX[t.kind])
  await db.execute({
    sql: `INSERT INTO tickets (hash, kind, user_id, phone, first_factor, expires_at, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)`,
    args: [
      ticketHash(token),
      t.kind,
      t.userId ?? null,
      t.phone ? await seal(keys, t.phone) : null,
      t.firstFactor ?? null,
      now + TICKET_TTL_MS,
      now,
    ],
  })
  return token
}

/** The ticket if it is of that kind, unused and unexpired; null otherwise. */
export async function peekTicket(
  store: TicketStore,
  token: string,
  kind: TicketKind,
  now: number,
): Promise<Ticket | null> {
  const r = await store.db.execute({
    sql: `SELECT user_id, phone, first_factor, expires_at FROM tickets
          WHERE hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?`,
    args: [ticketHash(token), kind, now],
  })
  return r.rows[0] ? fromRow(store, kind, r.rows[0]) : null
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
  store: TicketStore,
  hash: string,
  kind: TicketKind,
  now: number,
): Promise<Ticket | null> {
  const r = await store.db.execute({
    sql: `UPDATE tickets SET used_at = ? WHERE hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?
          RETURNING user_id, phone, first_factor, expires_at`,
    args: [now, hash, kind, now],
  })
  return r.rows[0] ? fromRow(store, kind, r.rows[0]) : null
}

const text = (v: unknown) => (v === null || v === undefined ? null : String(v))

/** The ticket; null when its number was sealed under a secret no longer accepted (logged). */
async function fromRow(store: TicketStore, kind: TicketKind, row: Row): Promise<Ticket | null> {
  const sealed = text(row.phone)
  const phone = sealed ? await openOrNull(store.keys, sealed) : null
  if (sealed && phone === null) {
    store.log('sealed.unreadable', { what: 'ticket' })
    return null
  }
  return {
    kind,
    userId: text(row.user_id),
    phone,
    firstFactor: text(row.first_factor),
    expiresAt: Number(row.expires_at),
  }
}
