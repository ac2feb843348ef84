/**
 * The database guard: the `Client` every feature gets as `ctx.db`. A burst must not take the
 * database down, nor end in a hang or a 500 (docs/security.md, Bursts and a failing database), so every call:
 * - waits for one of `maxConcurrency` slots; at most `maxQueue` calls wait, one more is refused
 *   at once, and one that waits past `queueTimeoutMs` is refused;
 * - is answered within `callTimeoutMs` of its arrival, waiting included; a timed-out call is
 *   never retried (a write may have committed) and keeps its slot until the driver settles it,
 *   so the database never sees more than `maxConcurrency` of our statements;
 * - is tried again, with jittered exponential backoff within `busyBudgetMs`, when the database
 *   reports busy or locked: the statement did not run, so a retry is safe;
 * - that cannot be served fails with `database_unavailable` (503, `Retry-After`). Statement errors
 *   (constraints, SQL) pass through unchanged.
 * Interactive transactions are refused: on a libSQL server one holds the write lock across
 * network round trips, and sqld makes every other writer wait for it (up to 5 s).
 */
import type {
  Client,
  InArgs,
  InStatement,
  Replicated,
  ResultSet,
  Transaction,
  TransactionMode,
} from '@libsql/client'
import type { ApiError } from '../http/errors.js'
import { backoff, TIMEOUT, within } from './deadline.js'
import {
  databaseUnavailable,
  errorKind,
  isBusy,
  isDatabaseUnavailable,
  REFUSALS,
} from './errors.js'
import type { DbLimits } from './limits.js'
import { Gate } from './gate.js'
import { WaitQueue } from './queue.js'

export type DbLog = (event: string, fields?: Record<string, unknown>) => void

/** A named error: code must use `batch()` or single statements, never `transaction()`. */
export class InteractiveTransactionError extends Error {
  override name = 'InteractiveTransactionError'
  constructor() {
    super('Interactive transactions are not used: batch() the statements or guard them in SQL.')
  }
}

const LOG_INTERVAL_MS = 1_000

/** A single statement that writes (a WITH may end in one: it counts as a write). */
const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE|WITH|CREATE|DROP|ALTER)\b/i

export class GuardedClient implements Client {
  readonly #raw: Client
  readonly #limits: DbLimits
  readonly #log: DbLog
  #inFlight = 0
  #requests = 0
  readonly #queue = new WaitQueue()
  /** Writes pass a few at a time (edge/db/gate.ts); null when they may take every slot. */
  readonly #writes: Gate | null
  #loggedAt = 0
  #suppressed = 0

  constructor(raw: Client, limits: DbLimits, log: DbLog = () => {}) {
    this.#raw = raw
    this.#limits = limits
    this.#log = log
    this.#writes = limits.maxWrites < limits.maxConcurrency ? new Gate(limits.maxWrites) : null
  }

  get protocol(): string {
    return this.#raw.protocol
  }
  get closed(): boolean {
    return this.#raw.closed
  }
  get inFlight(): number {
    return this.#inFlight
  }
  get waiting(): number {
    return this.#queue.size
  }
  get requests(): number {
    return this.#requests
  }

  /**
   * Admission at the door, for a request that will use the database: false turns it away at once.
   * New requests are refused before the calls of those already running are: a check that has
   * counted an attempt must still be able to record its outcome. So at most `maxRequests` run at
   * once, and none is let in while half the queue is taken or its head has waited a quarter of
   * the queue deadline (the database is slower than the requests come).
   */
  enter(): boolean {
    const { maxRequests, maxQueue, queueTimeoutMs } = this.#limits
    if (this.#requests >= maxRequests) return false
    const waiting = this.#queue.size
    if (waiting > 0) {
      if (waiting >= Math.ceil(maxQueue / 2)) return false
      if (Date.now() - this.#queue.oldest()! > queueTimeoutMs / 4) return false
    }
    this.#requests++
    return true
  }

  /** The end of a request that `enter()` let in. */
  leave(): void {
    this.#requests--
  }

  execute(stmt: InStatement): Promise<ResultSet>
  execute(sql: string, args?: InArgs): Promise<ResultSet>
  execute(stmt: InStatement, args?: InArgs): Promise<ResultSet> {
    const raw = this.#raw
    return this.#run(
      args === undefined ? () => raw.execute(stmt) : () => raw.execute(stmt as string, args),
      true,
      WRITE.test(typeof stmt === 'string' ? stmt : stmt.sql),
    )
  }

  batch(
    stmts: Array<InStatement | [string, InArgs?]>,
    mode?: TransactionMode,
  ): Promise<ResultSet[]> {
    // One transaction: a busy refusal rolled all of it back.
    return this.#run(() => this.#raw.batch(stmts, mode), true, mode !== 'read')
  }

  migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    return this.#run(() => this.#raw.migrate(stmts), true, true)
  }

  executeMultiple(sql: string): Promise<void> {
    // Not a transaction: statements before a busy one have run, so never again.
    return this.#run(() => this.#raw.executeMultiple(sql), false, true)
  }

  transaction(_mode?: TransactionMode): Promise<Transaction> {
    return Promise.reject(new InteractiveTransactionError())
  }

  sync(): Promise<Replicated> {
    return this.#raw.sync()
  }

  reconnect(): void {
    this.#raw.reconnect()
  }

  close(): void {
    this.#raw.close()
    this.#queue.expire(Infinity)
    this.#writes?.close()
  }

  #run<T>(op: () => Promise<T>, retry: boolean, write: boolean): Promise<T> {
    // The call timeout counts from here: time spent waiting for a slot is part of it.
    const arrived = Date.now()
    const gate = write ? this.#writes : null
    if (!gate) return this.#slot(op, retry, arrived)
    // A write waits at the gate first, then for a slot: it never holds a slot while it waits.
    return gate
      .take(arrived, arrived + this.#wait(), () => this.#refuse('queue_timeout', 1))
      .then(() => this.#slot(op, retry, arrived).finally(() => gate.release()))
  }

  /** How long a call may wait for a place, at the gate and for a slot together. */
  #wait(): number {
    const { queueTimeoutMs, callTimeoutMs } = this.#limits
    return callTimeoutMs > 0 ? Math.min(queueTimeoutMs, callTimeoutMs) : queueTimeoutMs
  }

  #slot<T>(op: () => Promise<T>, retry: boolean, arrived: number): Promise<T> {
    const { maxConcurrency, maxQueue } = this.#limits
    if (this.#inFlight < maxConcurrency && this.waiting === 0) {
      this.#inFlight++
      return this.#call(op, retry, arrived)
    }
    if (this.waiting >= maxQueue) return Promise.reject(this.#refuse('queue_full', 1))
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({
        resolve,
        reject: () => reject(this.#refuse('queue_timeout', 1)),
        arrived,
        until: arrived + this.#wait(),
      })
    }).then(() => this.#call(op, retry, arrived))
  }

  /** Runs `op` in a slot already taken, and gives the slot back. */
  async #call<T>(op: () => Promise<T>, retry: boolean, started: number): Promise<T> {
    const { callTimeoutMs, busyTries, busyBudgetMs } = this.#limits
    let slept = 0
    let keepSlot = false
    try {
      for (let attempt = 1; ; attempt++) {
        const left = callTimeoutMs - (Date.now() - started)
        if (callTimeoutMs > 0 && left <= 0) throw this.#refuse('timeout', 2)
        const pending = invoke(op)
        let result: T | typeof TIMEOUT
        try {
          result = callTimeoutMs > 0 ? await within(pending, left) : await pending
        } catch (err) {
          const busy = isBusy(err)
          // The embedded driver leaves a statement that failed busy in progress, and later writes
          // on its connection then land in a transaction that never commits (libsql-js 0.5,
          // tursodatabase/libsql-client-ts#352): drop the connections. Nothing holds one across
          // an await here, since interactive transactions are refused.
          // The new connection has the driver's default busy timeout (none): a retry that finds
          // the lock still held fails at once and waits here, asynchronously, not in the driver.
          if (busy && this.#raw.protocol === 'file') this.#raw.reconnect()
          if (retry && attempt < busyTries && busy) {
            const delay = backoff(attempt, busyTries, busyBudgetMs)
            if (slept + delay <= busyBudgetMs) {
              slept += delay
              await new Promise((resolve) => setTimeout(resolve, delay))
              continue
            }
          }
          throw this.#translate(err)
        }
        if (result === TIMEOUT) {
          keepSlot = true
          this.#holdUntilSettled(pending)
          throw this.#refuse('timeout', 2)
        }
        return result
      }
    } finally {
      if (!keepSlot) this.#release()
    }
  }

  /**
   * A timed-out statement may still occupy the server: its slot stays taken until the driver
   * settles it (the entries' fetch aborts it), or one more timeout if the driver never does.
   */
  #holdUntilSettled(pending: Promise<unknown>): void {
    let done = false
    const release = () => {
      if (done) return
      done = true
      clearTimeout(timer)
      this.#release()
    }
    const timer = setTimeout(release, this.#limits.callTimeoutMs)
    pending.then(release, release)
  }

  #release(): void {
    this.#inFlight--
    const next = this.#queue.next(Date.now())
    if (next) {
      this.#inFlight++
      next.resolve()
    }
  }

  #translate(err: unknown): unknown {
    if (isBusy(err)) return this.#refuse('busy', 1, err)
    if (isDatabaseUnavailable(err)) return this.#refuse('unreachable', 2, err)
    return err
  }

  #refuse(reason: keyof typeof REFUSALS, retryAfter: number, cause?: unknown): ApiError {
    // Every refusal is counted (a debug event the metrics read); a burst refuses thousands of
    // calls, so the warning line comes at most once a second, with how many it left out.
    this.#log('db.refused', { reason })
    const now = Date.now()
    if (now - this.#loggedAt >= LOG_INTERVAL_MS) {
      this.#log('db_unavailable', {
        reason,
        inFlight: this.#inFlight,
        waiting: this.waiting,
        suppressed: this.#suppressed,
        ...(cause === undefined ? {} : errorKind(cause)),
      })
      this.#loggedAt = now
      this.#suppressed = 0
    } else this.#suppressed++
    return databaseUnavailable(retryAfter, REFUSALS[reason])
  }
}

function invoke<T>(op: () => Promise<T>): Promise<T> {
  try {
    return op()
  } catch (err) {
    return Promise.reject(err)
  }
}

export function guardDatabase(raw: Client, limits: DbLimits, log?: DbLog): GuardedClient {
  return new GuardedClient(raw, limits, log)
}
