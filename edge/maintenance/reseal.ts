/**
 * Re-sealing after a rotation of the master secret (README: Rotating the master secret). While
 * SMS_AUTH_SECRET_PREVIOUS is set, every value sealed under it (or in the first format, which names
 * no key) is opened and sealed again under SMS_AUTH_SECRET, each in a guarded
 * `UPDATE … WHERE <key> = ? AND <column> = <old ciphertext>`: of instances doing it at once,
 * exactly one replaces a value, the others change nothing, and a value written in between is kept.
 * Values under SMS_AUTH_SECRET_NEXT are left alone (instances that seal under it are rolling out).
 *
 * A live verification's code hash is re-keyed with its blob, since the blob holds the code; the
 * other digests (backup codes, phone hashes, receipt URLs) cannot be, see docs/security.md.
 */
import type { Client, InStatement, InValue, Row } from '@libsql/client'
import type { Keys } from '../crypto/keys.js'
import { openOrNull, PREFIX_LENGTH, seal, sealedPrefix } from '../crypto/seal.js'
import { acceptedCodeHashes, codeHash } from '../verifications/common.js'
import type { Secret } from '../verifications/sealed.js'

interface Column {
  table: string
  /** The primary key a guarded UPDATE names its row by. */
  key: string
  column: string
  /**
   * How rows are visited, each statement bounded: `all` for tables of a few rows; `live` through
   * the partial index on `expires_at` of rows still holding a value (only live ones matter);
   * `windows` in ranges of rowids, for `users`.
   */
  scan: 'all' | 'live' | 'windows'
  /** Other columns that change with the value, computed from its plaintext. */
  rekey?: (plain: string, row: Row, keys: Keys) => { column: string; value: InValue } | null
}

/**
 * A verification's code hash, re-keyed only when it matches the blob's code under an accepted key:
 * a hash no code matches (a silent verification's) stays as it is, unmatchable.
 */
function rekeyCode(plain: string, row: Row, keys: Keys) {
  const { code } = JSON.parse(plain) as Secret
  const [id, purpose, stored] = [String(row.id), String(row.purpose), String(row.code_hash)]
  if (!acceptedCodeHashes({ keys }, id, purpose, code).includes(stored)) return null
  return { column: 'code_hash', value: codeHash({ keys }, id, purpose, code) }
}

/** Small tables, re-sealed before the instance serves: it needs them at once. */
export const AT_START: readonly Column[] = [
  { table: 'signing_keys', key: 'kid', column: 'private_jwk_sealed', scan: 'all' },
  { table: 'integrations', key: 'provider', column: 'credentials_sealed', scan: 'all' },
  { table: 'event_endpoints', key: 'id', column: 'secret_sealed', scan: 'all' },
  { table: 'event_endpoints', key: 'id', column: 'previous_secret_sealed', scan: 'all' },
  { table: 'test_numbers', key: 'phone', column: 'code_sealed', scan: 'all' },
  { table: 'challenge_secret', key: 'id', column: 'secret_sealed', scan: 'all' },
]

/** Everything sealed, for the passes off the request path. */
export const EVERYWHERE: readonly Column[] = [
  ...AT_START,
  { table: 'users', key: 'id', column: 'totp_secret_sealed', scan: 'windows' },
  { table: 'users', key: 'id', column: 'totp_pending_sealed', scan: 'windows' },
  { table: 'verifications', key: 'id', column: 'sealed', scan: 'live', rekey: rekeyCode },
  { table: 'tickets', key: 'hash', column: 'phone', scan: 'live' },
  { table: 'event_outbox', key: 'id', column: 'data_sealed', scan: 'windows' },
]

const PAGE = 200
const WINDOW = 5000

export interface ColumnReport {
  /** Values this instance re-sealed. */
  resealed: number
  /** Values another instance re-sealed (or changed) between our read and our write. */
  byOthers: number
  /** Values no accepted secret opens: left as they are, their feature fails closed. */
  unreadable: number
}

export type ResealReport = Record<string, ColumnReport>

/** Re-seals `columns` once; throws what the database throws (the caller retries later). */
export async function reseal(
  db: Client,
  keys: Keys,
  now: number,
  columns: readonly Column[],
): Promise<ResealReport> {
  const report: ResealReport = {}
  for (const c of columns) {
    const counts: ColumnReport = { resealed: 0, byOthers: 0, unreadable: 0 }
    report[`${c.table}.${c.column}`] = counts
    for await (const rows of pages(db, keys, c, now)) {
      const updates: InStatement[] = []
      for (const row of rows) {
        const old = String(row.v)
        const plain = await openOrNull(keys, old)
        if (plain === null) {
          counts.unreadable++
          continue
        }
        updates.push(await update(keys, c, row, old, plain))
      }
      if (!updates.length) continue
      for (const r of await db.batch(updates, 'write')) {
        if (r.rowsAffected === 1) counts.resealed++
        else counts.byOthers++
      }
    }
  }
  return report
}

async function update(keys: Keys, c: Column, row: Row, old: string, plain: string) {
  const fresh = await seal(keys, plain)
  const also = c.rekey?.(plain, row, keys)
  if (!also) {
    return {
      sql: `UPDATE ${c.table} SET ${c.column} = ? WHERE ${c.key} = ? AND ${c.column} = ?`,
      args: [fresh, row.k ?? null, old],
    }
  }
  return {
    sql: `UPDATE ${c.table} SET ${c.column} = ?, ${also.column} = ?
          WHERE ${c.key} = ? AND ${c.column} = ? AND ${also.column} = ?`,
    args: [fresh, also.value, row.k ?? null, old, row[also.column] ?? null],
  }
}

/**
 * The rows of `c` whose value is not sealed under the current secret nor the next one, a bounded
 * page at a time. Only the 16-character prefix is compared in SQL: no value leaves the database
 * unless it has to be re-sealed.
 */
async function* pages(db: Client, keys: Keys, c: Column, now: number): AsyncGenerator<Row[]> {
  const keep = [sealedPrefix(keys), keys.next ? sealedPrefix(keys.next) : sealedPrefix(keys)]
  const stale = `${c.column} IS NOT NULL AND substr(${c.column}, 1, ${PREFIX_LENGTH}) NOT IN (?, ?)`
  const extra = c.rekey ? ', id, purpose, code_hash' : ''
  const select = `SELECT rowid AS r, ${c.key} AS k, ${c.column} AS v${extra}`
  if (c.scan === 'all') {
    yield (await db.execute({ sql: `${select} FROM ${c.table} WHERE ${stale}`, args: keep })).rows
    return
  }
  if (c.scan === 'windows') {
    const top = Number((await db.execute(`SELECT max(rowid) AS m FROM ${c.table}`)).rows[0]?.m ?? 0)
    for (let from = 0; from < top; from += WINDOW) {
      const sql = `${select} FROM ${c.table} WHERE rowid > ? AND rowid <= ? AND ${stale}`
      yield (await db.execute({ sql, args: [from, from + WINDOW, ...keep] })).rows
    }
    return
  }
  // `live`: keyset pagination on (expires_at, rowid), the order of the partial index; the range
  // starts at the cursor (live means expires_at > now, and times are whole milliseconds).
  let after = { e: now + 1, r: 0 }
  for (;;) {
    const r = await db.execute({
      sql: `${select}, expires_at AS e FROM ${c.table}
            WHERE ${c.column} IS NOT NULL AND expires_at >= ? AND (expires_at > ? OR rowid > ?)
              AND ${stale}
            ORDER BY expires_at, rowid LIMIT ${PAGE}`,
      args: [after.e, after.e, after.r, ...keep],
    })
    if (r.rows.length) yield r.rows
    if (r.rows.length < PAGE) return
    const last = r.rows[r.rows.length - 1]!
    after = { e: Number(last.e), r: Number(last.r) }
  }
}

/** The sum over columns, for the log line. */
export function totals(report: ResealReport): ColumnReport {
  const sum: ColumnReport = { resealed: 0, byOthers: 0, unreadable: 0 }
  for (const c of Object.values(report)) {
    sum.resealed += c.resealed
    sum.byOthers += c.byOthers
    sum.unreadable += c.unreadable
  }
  return sum
}
