/**
 * The calls waiting for a database slot, first in first out. All wait equally long, so their
 * deadlines come in queue order: one timer, at the head's deadline, expires them all.
 */

export interface Waiter {
  resolve: () => void
  reject: () => void
  arrived: number
  until: number
}

export class WaitQueue {
  // An array and the index of its head: shift() would copy the array on every release.
  #items: (Waiter | undefined)[] = []
  #head = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  get size(): number {
    return this.#items.length - this.#head
  }

  /** When the call at the head arrived (how long the queue has kept callers waiting). */
  oldest(): number | undefined {
    return this.#items[this.#head]?.arrived
  }

  push(w: Waiter): void {
    this.#items.push(w)
    this.#arm()
  }

  /** The next waiter still in time; those past their deadline are rejected on the way. */
  next(now: number): Waiter | undefined {
    this.expire(now)
    const w = this.#take()
    this.#compact()
    return w
  }

  /** Rejects every waiter whose deadline is `now` or earlier (Infinity: all of them). */
  expire(now: number): void {
    while (this.size > 0 && this.#items[this.#head]!.until <= now) this.#take()!.reject()
    this.#compact()
  }

  #take(): Waiter | undefined {
    if (this.size === 0) return undefined
    const w = this.#items[this.#head]!
    this.#items[this.#head++] = undefined
    return w
  }

  #arm(): void {
    if (this.#timer !== undefined || this.size === 0) return
    const delay = Math.max(0, this.#items[this.#head]!.until - Date.now())
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.expire(Date.now())
      this.#arm()
    }, delay)
  }

  #compact(): void {
    if (this.size === 0) {
      this.#items.length = 0
      this.#head = 0
      // No timer may outlive the queue: it would keep a runtime alive at shutdown.
      if (this.#timer !== undefined) clearTimeout(this.#timer)
      this.#timer = undefined
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
  }
}
