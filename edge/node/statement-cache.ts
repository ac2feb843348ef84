/**
 * Prepared statements kept per embedded (file: / :memory:) database. @libsql/client's sqlite3
 * driver prepares every statement anew (libsql's `prepare`, about 13 % of a start's CPU in
 * bench/profile.ts, for the same few dozen SQL texts); it offers no cache, so this wraps libsql's
 * `Database.prototype.prepare` with one, per database, of the MAX most recently used texts.
 *
 * Reuse is safe here: the driver runs each statement to its end synchronously (`run` or `all`,
 * which reset and re-bind), and sets `safeIntegers`/`raw` on every use. A statement that changes
 * the schema (CREATE, ALTER, DROP) empties the cache first, since a cached `SELECT *` would keep
 * the columns it was prepared with; SQLite itself re-prepares the rest when the schema changes.
 */
import { createRequire } from 'node:module'

const MAX = 256
const SCHEMA = /^\s*(CREATE|ALTER|DROP)\b/i

interface Prepares {
  prepare(sql: string): unknown
}

const NOT_READER = new TypeError('The raw() method is only for statements that return data')

let installed = false

/** Installs the cache on libsql's Database class (the one @libsql/client loads); idempotent. */
export function cachePreparedStatements(): void {
  if (installed) return
  installed = true
  // libsql is @libsql/client's own dependency: resolved from there, so it is the same class.
  const require = createRequire(createRequire(import.meta.url).resolve('@libsql/client'))
  const Database = require('libsql') as { prototype: Prepares }
  const prepare = Database.prototype.prepare
  const caches = new WeakMap<object, Map<string, unknown>>()
  Database.prototype.prepare = function (this: object, sql: string) {
    let cache = caches.get(this)
    if (!cache) caches.set(this, (cache = new Map()))
    if (SCHEMA.test(sql)) {
      cache.clear()
      return prepare.call(this, sql)
    }
    const hit = cache.get(sql)
    if (hit !== undefined) {
      // Most recently used last: the first key is the one to drop.
      cache.delete(sql)
      cache.set(sql, hit)
      return hit
    }
    const stmt = prepare.call(this, sql) as {
      reader: boolean
      raw(toggle?: boolean): unknown
      columns(): unknown
    }
    // The driver asks every statement for raw rows and takes the error as "returns no data":
    // libsql makes that error natively on each use. A kept statement that returns none throws one
    // made once instead.
    if (!stmt.reader)
      stmt.raw = function (this: unknown, toggle?: boolean) {
        if (toggle ?? true) throw NOT_READER
        return this
      }
    else {
      // Asked twice on every use (names, then types): a statement's columns are fixed once it is
      // prepared, so they are read from libsql once.
      const columns = stmt.columns()
      stmt.columns = () => columns
    }
    cache.set(sql, stmt)
    if (cache.size > MAX) cache.delete(cache.keys().next().value!)
    return stmt
  }
}
