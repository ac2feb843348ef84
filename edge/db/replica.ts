/**
 * Reading from a replica, writing to the primary (SMS_AUTH_DB_SYNC_URL): the `Client` the app is
 * given when the instance has a read replica near it, a Turso/libSQL embedded replica (a local
 * file kept in sync with the primary) or a sqld replica (`--primary-grpc-url`).
 *
 * A replica lags its primary, so a read there may miss what another instance has just written:
 * a code just used, an attempt just counted, a session just revoked. Hence the rule:
 * - every write, and every batch (each guard of this app is one conditional statement or one
 *   batch: its reads run in the same transaction on the primary), goes to the primary;
 * - a plain read goes to the primary too, unless the request serving it decides nothing
 *   (`mayReadReplica`, from the runtime entry: a GET or HEAD without credentials, such as
 *   /v1/config, the JWKS); only such reads are served by the replica;
 * - work outside any request (migrations, the maintenance job, event delivery) reads the primary.
 * So no limit, attempt count, single use or session check ever reads a replica.
 */
import { InteractiveTransactionError } from './guard.js'
import type {
  Client,
  InArgs,
  InStatement,
  Replicated,
  ResultSet,
  Transaction,
  TransactionMode,
} from '@libsql/client'

export interface ReplicaRoutes {
  /** The replica: an embedded replica's local file, or a sqld replica over HTTP. */
  replica: Client
  /** The primary (SMS_AUTH_DB_SYNC_URL) over HTTP. */
  primary: Client
  /** True while the current request may read stale data (it decides no guard). */
  mayReadReplica: () => boolean
}

/** A SELECT reads only; anything else (WITH … INSERT, PRAGMA, DDL) is treated as a write. */
const READ = /^\s*SELECT\b/i

function sqlOf(stmt: InStatement | string): string {
  return typeof stmt === 'string' ? stmt : stmt.sql
}

export class ReplicaClient implements Client {
  readonly #r: ReplicaRoutes
  /** Reads served by the replica and by the primary, for tests and /metrics-style checks. */
  readonly served = { replica: 0, primary: 0 }

  constructor(routes: ReplicaRoutes) {
    this.#r = routes
  }

  /** The primary's: the guard's limits (edge/db/limits.ts) are those of a remote database. */
  get protocol(): string {
    return this.#r.primary.protocol
  }
  get closed(): boolean {
    return this.#r.primary.closed
  }

  #forRead(sql: string): Client {
    if (READ.test(sql) && this.#r.mayReadReplica()) {
      this.served.replica++
      return this.#r.replica
    }
    this.served.primary++
    return this.#r.primary
  }

  execute(stmt: InStatement): Promise<ResultSet>
  execute(sql: string, args?: InArgs): Promise<ResultSet>
  execute(stmt: InStatement, args?: InArgs): Promise<ResultSet> {
    const client = this.#forRead(sqlOf(stmt))
    return args === undefined ? client.execute(stmt) : client.execute(stmt as string, args)
  }

  batch(
    stmts: Array<InStatement | [string, InArgs?]>,
    mode?: TransactionMode,
  ): Promise<ResultSet[]> {
    // A read batch of a request that decides nothing may read the replica; any other is a guard.
    const stale = mode === 'read' && this.#r.mayReadReplica()
    return (stale ? this.#r.replica : this.#r.primary).batch(stmts, mode)
  }

  migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    return this.#r.primary.migrate(stmts)
  }

  executeMultiple(sql: string): Promise<void> {
    return this.#r.primary.executeMultiple(sql)
  }

  /** Refused, as edge/db/guard.ts refuses it: one would hold the primary's write lock across round trips. */
  transaction(): Promise<Transaction> {
    return Promise.reject(new InteractiveTransactionError())
  }

  /** Pulls the primary's new frames into an embedded replica (a sqld replica follows by itself). */
  sync(): Promise<Replicated> {
    return this.#r.replica.protocol === 'file' ? this.#r.replica.sync() : Promise.resolve(undefined)
  }

  reconnect(): void {
    this.#r.primary.reconnect()
    this.#r.replica.reconnect()
  }

  close(): void {
    this.#r.primary.close()
    this.#r.replica.close()
  }
}
