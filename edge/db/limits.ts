/**
 * The limits of the database guard (edge/db/guard.ts), their defaults per driver, and the fetch
 * the runtime entries give the libSQL HTTP client so that the driver, too, gives up in time.
 */

export interface DbLimits {
  /** Requests using the database at once (admission at the door); one more gets a 503 at once. */
  maxRequests: number
  /**
   * Of those, requests running at once; the others wait their turn at the door (edge/db/door.ts)
   * for at most `doorTimeoutMs`, then get a 503 before they have done anything.
   */
  maxRunning: number
  doorTimeoutMs: number
  /** Statements in flight to the database at once. */
  maxConcurrency: number
  /**
   * Writes (write batches, INSERT/UPDATE/DELETE) in flight at once, within `maxConcurrency`:
   * a libSQL server has one writer at a time and the others poll for its lock (edge/db/gate.ts).
   */
  maxWrites: number
  /** Calls waiting for a slot; one more is refused at once. */
  maxQueue: number
  /** How long a call may wait for a slot. */
  queueTimeoutMs: number
  /** How long a call may take from its arrival, waiting for a slot included; 0 sets no timer. */
  callTimeoutMs: number
  /** Tries of a statement that finds the database busy or locked (1: no retry). */
  busyTries: number
  /** The most all backoff sleeps of one call may add up to. */
  busyBudgetMs: number
}

/**
 * Per driver. A libSQL server: 16 statements per instance keeps eight instances under sqld's
 * default of 128 concurrent requests; 64 requests of a few statements each then queue at most 48,
 * so the requests let in are not refused halfway; 256 waiting is the hard bound behind that; all
 * 64 run at once (they wait on the network, not on the event loop).
 *
 * The embedded driver runs each statement synchronously on the event loop, so no timer could fire
 * before it returns (its `busy_timeout` bounds it instead); its write batches wait for the end of
 * the event loop's turn to commit together (edge/node/group-commit.ts), so each request running may
 * hold a slot across a turn: there are more slots than requests running. The event loop, not the
 * database, limits the requests. Node accepts one new connection per turn of the event loop
 * (libuv ≥ 1.45), and each turn runs a slice of every request running, so few run at once (the
 * core is as busy: nothing waits but the CPU) and the rest, up to 256 let in, wait in the door's
 * line at most 1 s (edge/db/door.ts; a burst of password checks, ~100 ms of CPU each, still gets
 * some served). Measured with `npm run bench` on a shared 2-core machine, server pinned to one
 * core, back to back. With 32 running and the 33rd refused at once, every refused client sent
 * again at once, a turn took ~100 ms, 8–17 connections a second were accepted and the others
 * waited in the kernel's accept queue, where no limit sees them: at 200 connections start p99
 * 2.9 s (max 5 s, the whole run) and check p99 2.8 s, with 503s. With the line and group commit,
 * running 2 / 4 / 6 / 8: at 10 connections start 450 / 548 / 570 / 605 req/s and check 650 /
 * 787 / 830 / 995 req/s; at 200 connections start p99 0.66 / 0.85 / 1.10 / 1.33 s, check p99
 * 0.45–0.69 / 0.33 / 0.44 / 0.37 s, no 503. 4 is the most that keeps p99 under a second.
 */
export function defaultDbLimits(protocol: string): DbLimits {
  const remote = protocol !== 'file'
  return {
    maxRequests: remote ? 64 : 256,
    maxRunning: remote ? 64 : 4,
    doorTimeoutMs: 1_000,
    maxConcurrency: remote ? 16 : 32,
    maxWrites: remote ? 2 : 32,
    maxQueue: 256,
    queueTimeoutMs: 2_000,
    callTimeoutMs: remote ? 5_000 : 0,
    busyTries: 4,
    busyBudgetMs: 500,
  }
}

/**
 * A fetch for the libSQL HTTP client that abandons a request after `ms`: a server that accepts
 * and never answers (stopped, partitioned) must not pin the driver's connections for minutes.
 * Give it `driverAbortMs(config.dbLimits)`: just after the guard has answered the caller.
 *
 * It also asks for answers uncompressed: fetch offers gzip by default and sqld compresses every
 * answer, a few hundred bytes of JSON each, which cost a start over sqld more CPU in zlib (15 % of
 * the instance's, by `bench/profile.ts`) than anything of ours, on both ends.
 */
export function abortingFetch(
  ms: number,
  base: typeof fetch = fetch,
): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms)
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout
    const headers = new Headers(
      init?.headers ?? (input instanceof Request ? input.headers : undefined),
    )
    headers.set('accept-encoding', 'identity')
    return base(input, { ...init, headers, signal })
  }
}

/** When the driver gives up on an HTTP request: a second after the guard's own timeout. */
export function driverAbortMs(overrides?: Partial<DbLimits>): number {
  const timeout = overrides?.callTimeoutMs || defaultDbLimits('http').callTimeoutMs
  return timeout + 1_000
}
