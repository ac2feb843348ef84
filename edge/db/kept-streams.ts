/**
 * Kept Hrana streams for a libSQL server over HTTP. @libsql/client opens a new stream for every
 * statement and batch and closes it in the same request, and sqld makes a new SQLite connection
 * for each stream, which reads the schema again: with our schema that is most of sqld's CPU for a
 * point read (bench/scale.ts prints sqld's CPU per start). Here `execute` and `batch` run on
 * streams kept open between calls (the baton each answer carries), one call at a time per stream,
 * so sqld reuses the connection; measured on one point read: sqld 1.1 ms → 0.3 ms of CPU, 1.6 →
 * 0.6 ms round trip.
 *
 * What a call sees is what it saw on a new stream: a kept stream is in autocommit between calls
 * (a batch is one request: BEGIN, its statements, COMMIT, and ROLLBACK if any failed), so each
 * statement reads what is committed. A stream whose call failed in any way is closed, never kept,
 * since its state is unknown. A kept stream idle for `IDLE_MS` is closed before sqld would expire it
 * (10 s); should sqld refuse a kept stream's baton anyway (expired, or sqld restarted), nothing of
 * the request ran, and it is sent again once on a new stream. Everything else (migrations,
 * transactions, sequences) goes to the @libsql/client client as before.
 *
 * Written here: @libsql/client has no stream reuse, and this uses @libsql/hrana-client's public
 * streams (its own dependency); the batch is built as @libsql/client builds it (lib-esm/hrana.js).
 */
import * as hrana from '@libsql/hrana-client'
import {
  LibsqlBatchError,
  LibsqlError,
  type Client,
  type InArgs,
  type InStatement,
  type ResultSet,
  type TransactionMode,
} from '@libsql/client'

/** Idle streams kept; more run at once when the guard lets more statements in, and then close. */
export const KEPT_STREAMS = 32
/** Well inside sqld's stream expiry (10 s idle). */
export const IDLE_MS = 5_000

interface Kept {
  stream: hrana.HttpStream
  at: number
}

export interface KeptStats {
  /** Streams opened. */
  opened: number
  /** Calls sent again on a new stream because sqld refused a kept stream's baton. */
  resent: number
}

type Stmt = InStatement | [string, InArgs?]

/**
 * The client each runtime entry uses for `url`: a libSQL server over HTTP (http(s)://, libsql://)
 * gets kept streams; a file, a WebSocket URL, or a URL with options in its query (which
 * @libsql/client reads) is left as it is.
 */
export function keptWhenServer(
  base: Client,
  url: string,
  authToken: string | undefined,
  fetch: unknown,
): Client {
  return base.protocol === 'http' && !new URL(url).search
    ? keepStreams(base, url, authToken, fetch)
    : base
}

/** `base`'s execute and batch on kept streams to the same server (see above). */
export function keepStreams(
  base: Client,
  url: string,
  authToken: string | undefined,
  fetch: unknown,
  idleMs = IDLE_MS,
): Client & { readonly keptStats: KeptStats } {
  const parsed = /^libsql:/i.test(url) ? hrana.parseLibsqlUrl(url) : null
  const client = hrana.openHttp(parsed?.hranaHttpUrl ?? url, authToken ?? parsed?.authToken, fetch)
  const idle: Kept[] = []
  const stats: KeptStats = { opened: 0, resent: 0 }

  const take = (fresh: boolean): { stream: hrana.HttpStream; kept: boolean } => {
    const now = Date.now()
    for (let entry = fresh ? undefined : idle.pop(); entry; entry = idle.pop()) {
      if (now - entry.at < idleMs && !entry.stream.closed)
        return { stream: entry.stream, kept: true }
      entry.stream.close()
    }
    stats.opened++
    return { stream: client.openStream(), kept: false }
  }
  const giveBack = (stream: hrana.HttpStream) => {
    if (stream.closed) return
    if (idle.length < KEPT_STREAMS) idle.push({ stream, at: Date.now() })
    else stream.close()
  }
  const use = async <T>(call: (stream: hrana.HttpStream) => Promise<T>): Promise<T> => {
    for (let again = false; ; again = true) {
      const { stream, kept } = take(again)
      try {
        const result = await call(stream)
        giveBack(stream)
        return result
      } catch (err) {
        stream.close()
        if (kept && !again && batonRefused(err)) {
          // sqld restarted or forgot the stream: the other kept ones are likely gone too.
          for (const entry of idle.splice(0)) entry.stream.close()
          stats.resent++
          continue
        }
        throw err
      }
    }
  }

  const execute = (stmtOrSql: InStatement, args?: InArgs): Promise<ResultSet> => {
    const stmt = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql
    return use(async (stream) => {
      try {
        return resultSet(await stream.query(toHrana(stmt)))
      } catch (err) {
        throw libsqlError(err)
      }
    })
  }
  const batch = async (stmts: Stmt[], mode: TransactionMode = 'deferred'): Promise<ResultSet[]> => {
    const version = await client.getVersion().catch((err: unknown) => {
      throw libsqlError(err)
    })
    return use((stream) => runBatch(stream, version, mode, stmts.map(toHrana)))
  }

  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === 'execute') return execute
      if (prop === 'batch') return batch
      if (prop === 'keptStats') return stats
      if (prop === 'close')
        return () => {
          for (const entry of idle.splice(0)) entry.stream.close()
          client.close()
          target.close()
        }
      const value: unknown = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  }) as Client & { readonly keptStats: KeptStats }
}

/** sqld refused the stream itself, before running anything of the request. */
function batonRefused(err: unknown): boolean {
  const cause = err instanceof LibsqlError && err.cause ? err.cause : err
  if (cause instanceof hrana.ResponseError) return cause.code === 'STREAM_EXPIRED'
  return (
    cause instanceof hrana.HttpServerError &&
    cause.status === 400 &&
    /invalid baton/i.test(cause.message)
  )
}

function toHrana(stmt: Stmt): hrana.Stmt {
  const [sql, args] = Array.isArray(stmt)
    ? stmt
    : typeof stmt === 'string'
      ? [stmt, undefined]
      : [stmt.sql, stmt.args]
  const out = new hrana.Stmt(sql)
  if (Array.isArray(args)) out.bindIndexes(args as hrana.InValue[])
  else if (args)
    for (const [name, value] of Object.entries(args)) out.bindName(name, value as hrana.InValue)
  return out
}

function resultSet(rows: hrana.RowsResult): ResultSet {
  const result = {
    columns: rows.columnNames.map((c) => c ?? ''),
    columnTypes: rows.columnDecltypes.map((c) => c ?? ''),
    rows: rows.rows as unknown as ResultSet['rows'],
    rowsAffected: rows.affectedRowCount,
    lastInsertRowid: rows.lastInsertRowid,
    toJSON: () => ({
      columns: result.columns,
      columnTypes: result.columnTypes,
      rows: result.rows.map((row) => Array.from(row as ArrayLike<unknown>)),
      rowsAffected: result.rowsAffected,
      lastInsertRowid: result.lastInsertRowid?.toString() ?? null,
    }),
  }
  return result
}

/** As @libsql/core's transactionModeToBegin. */
const BEGIN: Record<TransactionMode, string> = {
  write: 'BEGIN IMMEDIATE',
  read: 'BEGIN TRANSACTION READONLY',
  deferred: 'BEGIN DEFERRED',
}

/** One request: BEGIN, each statement if all before it ran, COMMIT, ROLLBACK unless committed. */
async function runBatch(
  stream: hrana.HttpStream,
  version: number,
  mode: TransactionMode,
  stmts: hrana.Stmt[],
): Promise<ResultSet[]> {
  const batch = stream.batch(false)
  const begin = batch.step()
  const began = begin.run(BEGIN[mode])
  let last = begin
  const ran = stmts.map((stmt) => {
    const step = batch.step().condition(hrana.BatchCond.ok(last))
    if (version >= 3) step.condition(hrana.BatchCond.not(hrana.BatchCond.isAutocommit(batch)))
    last = step
    return step.query(stmt)
  })
  const commit = batch.step().condition(hrana.BatchCond.ok(last))
  if (version >= 3) commit.condition(hrana.BatchCond.not(hrana.BatchCond.isAutocommit(batch)))
  const committed = commit.run('COMMIT')
  batch
    .step()
    .condition(hrana.BatchCond.not(hrana.BatchCond.ok(commit)))
    .run('ROLLBACK')
    .catch(() => undefined)
  try {
    await batch.execute()
    await began
  } catch (err) {
    throw libsqlError(err)
  }
  const results: ResultSet[] = []
  for (let i = 0; i < ran.length; i++) {
    let rows: hrana.RowsResult | undefined
    try {
      rows = await ran[i]
    } catch (err) {
      const e = libsqlError(err)
      throw e instanceof LibsqlError
        ? new LibsqlBatchError(e.message, i, e.code, e.extendedCode, e.rawCode, asError(e.cause))
        : e
    }
    if (rows === undefined)
      throw new LibsqlBatchError(
        'Statement in a batch was not executed, probably because the transaction has been rolled back',
        i,
        'TRANSACTION_CLOSED',
      )
    results.push(resultSet(rows))
  }
  try {
    await committed
  } catch (err) {
    throw libsqlError(err)
  }
  return results
}

const asError = (cause: unknown) => (cause instanceof Error ? cause : undefined)

/** As @libsql/client maps Hrana's errors (lib-esm/hrana.js), so the guard classifies them alike. */
function libsqlError(err: unknown): unknown {
  if (!(err instanceof hrana.ClientError) || err instanceof LibsqlError) return err
  return new LibsqlError(err.message, codeOf(err), undefined, undefined, err)
}

function codeOf(err: hrana.ClientError): string {
  if (err instanceof hrana.ResponseError && err.code !== undefined) return err.code
  if (err instanceof hrana.ProtoError) return 'HRANA_PROTO_ERROR'
  if (err instanceof hrana.ClosedError)
    return err.cause instanceof hrana.ClientError ? codeOf(err.cause) : 'HRANA_CLOSED_ERROR'
  if (err instanceof hrana.WebSocketError) return 'HRANA_WEBSOCKET_ERROR'
  if (err instanceof hrana.HttpServerError) return 'SERVER_ERROR'
  if (err instanceof hrana.ProtocolVersionError) return 'PROTOCOL_VERSION_ERROR'
  if (err instanceof hrana.InternalError) return 'INTERNAL_ERROR'
  return 'UNKNOWN'
}
