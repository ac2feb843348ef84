/**
 * The site owner's user list (GET /v1/admin/users): newest first, keyset pages, and a search by a
 * name or email prefix (case-insensitive) or a phone's last digits (4 or more). Every form walks an
 * index (0008_accounts.ts; tests/edge/accounts/admin-users.test.ts reads the plans): the list seeks
 * `users_created` from the cursor, a search unions `users_name`, the email's unique index and
 * `users_phone_tail`. The cursor is the last row's (created_at, id), so a page is stable when
 * users are added meanwhile: they sort before it.
 */
import type { Client, InValue, Row } from '@libsql/client'
import type { AdminUserSummary } from '../../shared/account-schemas.js'
import { ApiError } from '../http/errors.js'
import { maskE164 } from '../phone.js'

export interface UserListQuery {
  query?: string
  cursor?: string
  limit: number
}

function decodeCursor(cursor: string | undefined): { at: number; id: string } {
  if (cursor === undefined) return { at: Number.MAX_SAFE_INTEGER, id: '' }
  const m = /^(\d{1,16})\.([\w-]{1,64})$/.exec(cursor)
  if (!m) throw new ApiError('invalid_request', 'That cursor is not one this server gave.')
  return { at: Number(m[1]), id: m[2]! }
}

const encodeCursor = (r: Row) => `${Number(r.created_at)}.${String(r.id)}`

/** The search's WHERE and its arguments (none without a query). */
function searchOf(query: string | undefined): { where: string; args: Record<string, InValue> } {
  const q = query?.trim().toLowerCase() ?? ''
  if (!q) return { where: '1', args: {} }
  const parts = [
    'lower(name) >= :q AND lower(name) < :qEnd',
    'email_norm >= :q AND email_norm < :qEnd',
  ]
  const args: Record<string, InValue> = { q, qEnd: `${q}\u{10ffff}` }
  const digits = q.replace(/[\s().+-]/g, '')
  if (/^\d{4,15}$/.test(digits)) {
    parts.push("substr(phone, -4) = :tail AND phone LIKE :like ESCAPE '\\'")
    args.tail = digits.slice(-4)
    args.like = `%${digits}`
  }
  return { where: `(${parts.map((p) => `(${p})`).join(' OR ')})`, args }
}

function summary(r: Row): AdminUserSummary {
  return {
    id: String(r.id),
    name: String(r.name),
    email: r.email === null ? null : String(r.email),
    phone: r.phone === null ? null : maskE164(String(r.phone)),
    phoneVerified: Number(r.phone_verified) === 1,
    disabled: r.disabled_at !== null,
    createdAt: new Date(Number(r.created_at)).toISOString(),
  }
}

export async function listUsers(db: Client, q: UserListQuery) {
  const { where, args } = searchOf(q.query)
  const cursor = decodeCursor(q.cursor)
  // The page and the total from one snapshot.
  const [page, count] = await db.batch(
    [
      {
        sql: `SELECT id, name, email, phone, phone_verified, disabled_at, created_at FROM users
              WHERE ${where} AND (created_at, id) < (:at, :id)
              ORDER BY created_at DESC, id DESC LIMIT :limit`,
        args: { ...args, at: cursor.at, id: cursor.id, limit: q.limit + 1 },
      },
      { sql: `SELECT count(*) AS n FROM users WHERE ${where}`, args },
    ],
    'read',
  )
  const rows = page!.rows.slice(0, q.limit)
  return {
    users: rows.map(summary),
    nextCursor: page!.rows.length > q.limit ? encodeCursor(rows.at(-1)!) : null,
    total: Number(count!.rows[0]!.n),
  }
}
