/**
 * A gate of a few places with a deadline (edge/db/guard.ts): the writes of an instance to a
 * libSQL server pass it a few at a time. sqld runs one writer at a time and makes the others
 * poll for the lock with growing sleeps, so many writers at once, from one instance or several,
 * convoy: measured on two instances over one sqld, 32 concurrent writers took seconds each and
 * ended in queue timeouts where two per instance keep the lock busy without a queue at sqld.
 */
import { WaitQueue } from './queue.js'

export class Gate {
  #taken = 0
  readonly #size: number
  readonly #queue = new WaitQueue()

  constructor(size: number) {
    this.#size = size
  }

  /** Resolves once a place is this caller's; rejects with `refusal()` at `until`. */
  take(arrived: number, until: number, refusal: () => unknown): Promise<void> {
    if (this.#taken < this.#size && this.#queue.size === 0) {
      this.#taken++
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ resolve, reject: () => reject(refusal()), arrived, until })
    })
  }

  /** Gives a place back: to the next caller still in time, if any. */
  release(): void {
    const next = this.#queue.next(Date.now())
    if (next) next.resolve()
    else this.#taken--
  }

  /** Rejects every caller still waiting (the database is closing). */
  close(): void {
    this.#queue.expire(Infinity)
  }
}
