/**
 * The door's line (edge/app.ts): of the requests `GuardedClient.enter()` lets in, at most
 * `maxRunning` run at once; the others wait here, first in first out, and one that has waited
 * `doorTimeoutMs` is turned away with a 503 before it has done anything.
 *
 * Why (measured with `npm run bench`, file database, one core): on the embedded driver every
 * statement runs on the event loop, so each turn of the loop runs a slice of every request let
 * in, and Node (libuv ≥ 1.45) accepts one new connection per turn. With 32 requests running,
 * a turn took 60–150 ms: the server accepted 8–17 connections a second, the others waited in the
 * kernel's accept queue, where no door sees them, and a 200-connection burst's p99 reached
 * 2–4 s. A few running at once keep the core as busy (nothing waits but the CPU) and a turn
 * short; the rest wait in a line the server sees, measures and cuts.
 */
import { WaitQueue } from './queue.js'

/** Runs `fn` in a later turn of the event loop (setImmediate where the runtime has it). */
export type Defer = (fn: () => void) => void

const later: Defer =
  typeof setImmediate === 'function'
    ? (fn) => void setImmediate(fn)
    : (fn) => void setTimeout(fn, 0)

export class Door {
  readonly #maxRunning: number
  readonly #timeoutMs: number
  readonly #defer: Defer
  readonly #line = new WaitQueue()
  #running = 0

  constructor(maxRunning: number, timeoutMs: number, defer: Defer = later) {
    this.#maxRunning = maxRunning
    this.#timeoutMs = timeoutMs
    this.#defer = defer
  }

  get running(): number {
    return this.#running
  }
  get waiting(): number {
    return this.#line.size
  }

  /**
   * A request's turn: true, it runs now; otherwise a promise of true when its turn comes, or of
   * false when it waited past the deadline (it must then answer 503 and not run).
   */
  turn(): true | Promise<boolean> {
    if (this.#running < this.#maxRunning && this.#line.size === 0) {
      this.#running++
      return true
    }
    const arrived = Date.now()
    return new Promise((resolve) => {
      this.#line.push({
        resolve: () => resolve(true),
        reject: () => resolve(false),
        arrived,
        until: arrived + this.#timeoutMs,
      })
    })
  }

  /**
   * The end of a request that got its turn: the next one in time takes it, in a later turn of the
   * event loop. Handed over at once, a request that never waits for I/O would run to its end in
   * the same turn and hand over to the next: the whole line in one turn, and no connection
   * accepted meanwhile.
   */
  done(): void {
    this.#running--
    if (this.#line.size === 0) return
    // The freed place is kept for the line: a request arriving meanwhile queues behind it.
    this.#running++
    this.#defer(() => {
      const next = this.#line.next(Date.now())
      if (next) next.resolve()
      else this.#running--
    })
  }
}
