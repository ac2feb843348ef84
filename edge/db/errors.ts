/**
 * What a database failure means for the caller. Three kinds, told apart by what the libSQL
 * drivers actually report (the file driver: SQLite's codes with extended codes; sqld over HTTP:
 * SQLite's base codes, its own codes such as SQL_PARSE_ERROR, and SQLITE_UNKNOWN for SQLITE_ERROR):
 * - busy: the statement did not run (SQLITE_BUSY, SQLITE_LOCKED), so trying again is safe;
 * - statement errors: constraints, SQL and argument errors, misuse; they pass through unchanged
 *   (callers rely on them, e.g. `isUniqueViolation`) and a programming error stays a 500;
 * - everything else from the driver or the network means the database cannot serve now: 503.
 */
import { ApiError } from '../http/errors.js'

interface CodedError extends Error {
  code?: unknown
  extendedCode?: unknown
}

/** Duck-typed: the core must not import the driver (Node, Deno and Workers builds differ). */
function libsqlCodes(err: unknown): string[] | null {
  if (!(err instanceof Error)) return null
  if (err.name !== 'LibsqlError' && err.name !== 'LibsqlBatchError') return null
  const { code, extendedCode } = err as CodedError
  return [
    typeof code === 'string' ? code : '',
    typeof extendedCode === 'string' ? extendedCode : '',
  ]
}

const BUSY = /^SQLITE_(BUSY|LOCKED)/
// sqld reports extended busy codes (SQLITE_BUSY_SNAPSHOT…) as SQLITE_UNKNOWN: the message tells.
const BUSY_MESSAGE = /database (table )?is locked|database is busy/i
const STATEMENT =
  /^(SQLITE_(CONSTRAINT|ERROR|UNKNOWN|MISMATCH|RANGE|TOOBIG|MISUSE|AUTH|NOTFOUND)|SQL_|ARGS_|URL_|TRANSACTION_(ACTIVE|CLOSED)$|RESPONSE_TOO_LARGE$|SYNC_NOT_SUPPORTED$|ENCRYPTION_KEY_NOT_SUPPORTED$)/

/** The statement did not run because another writer holds the lock: a retry is safe. */
export function isBusy(err: unknown): boolean {
  const codes = libsqlCodes(err)
  if (!codes) return false
  const [code = '', extended = ''] = codes
  // "Server cannot handle additional transactions": sqld refused before running anything.
  if (BUSY.test(code) || BUSY.test(extended) || code === 'TRANSACTION_BUSY') return true
  return (code === 'SQLITE_UNKNOWN' || code === 'SQLITE_ERROR') && BUSY_MESSAGE.test(messageOf(err))
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : ''
}

/** A failure of the network path to a libSQL server (fetch failed, refused, reset, aborted). */
function isNetworkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return true
  const cause = (err as { cause?: { code?: unknown } }).cause
  if (cause && typeof cause.code === 'string' && /^(E[A-Z]+|UND_ERR)/.test(cause.code)) return true
  // Node (undici): "fetch failed"; Deno: "error sending request…"; Workers: "Network connection lost".
  return (
    err.name === 'TypeError' &&
    /fetch failed|error sending request|network|connection (lost|refused|reset|closed)/i.test(
      err.message,
    )
  )
}

/**
 * True when `err` says the database cannot serve right now (down, unreachable, overloaded, out
 * of disk…), as opposed to a statement error or a programming error.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof ApiError) return err.code === 'database_unavailable'
  const codes = libsqlCodes(err)
  if (codes) {
    if (isBusy(err)) return true
    const [code = '', extended = ''] = codes
    return !STATEMENT.test(code) && !STATEMENT.test(extended)
  }
  return isNetworkError(err)
}

/** What a caller is told, by why the guard refused the call. */
export const REFUSALS = {
  queue_full: 'Too many requests are waiting for the database. Try again shortly.',
  queue_timeout: 'The database is too busy to answer in time. Try again shortly.',
  timeout: 'The database did not answer in time. Try again shortly.',
  busy: 'The database stayed locked by other writers. Try again shortly.',
  unreachable: 'The database cannot be reached. Try again shortly.',
} as const

/** The 503 every database refusal becomes (problem+json with `Retry-After`). */
export function databaseUnavailable(retryAfter: number, detail?: string): ApiError {
  return new ApiError(
    'database_unavailable',
    detail ?? 'The database did not answer in time. Try again shortly.',
    { retryAfter },
  )
}

/** Name and code of a driver error, for logs (never its message: it may quote SQL or values). */
export function errorKind(err: unknown): { name: string; code?: string } {
  if (!(err instanceof Error)) return { name: typeof err }
  const codes = libsqlCodes(err)
  const cause = (err as { cause?: { code?: unknown } }).cause
  const code = codes?.[0] || (typeof cause?.code === 'string' ? cause.code : undefined)
  return code ? { name: err.name, code } : { name: err.name }
}
