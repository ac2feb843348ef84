import type { ReactiveController, ReactiveControllerHost } from 'lit'

/** Whole seconds left until a moment (the verification's `resendAt`), ticking once a second. */
export class CountdownController implements ReactiveController {
  remaining = 0
  #until = 0
  #timer?: ReturnType<typeof setInterval>

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly now: () => number = Date.now,
  ) {
    host.addController(this)
  }

  start(until: string | number | Date): void {
    const t = new Date(until).getTime()
    this.#until = Number.isNaN(t) ? 0 : t
    this.#tick()
    this.#schedule()
  }

  stop(): void {
    this.#until = 0
    this.remaining = 0
    this.#clear()
  }

  get done(): boolean {
    return this.remaining <= 0
  }

  hostConnected(): void {
    if (this.#until) {
      this.#tick()
      this.#schedule()
    }
  }

  hostDisconnected(): void {
    this.#clear()
  }

  #schedule(): void {
    this.#clear()
    if (this.remaining > 0) this.#timer = setInterval(() => this.#tick(), 1000)
  }

  #tick(): void {
    const left = Math.max(0, Math.ceil((this.#until - this.now()) / 1000))
    if (left !== this.remaining) {
      this.remaining = left
      this.host.requestUpdate()
    }
    if (left === 0) this.#clear()
  }

  #clear(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
  }
}
