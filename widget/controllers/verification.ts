import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { SmsAuthApi } from '../api/client.js'
import type { Channel, CheckResult, StartVerificationRequest, Verification } from '../api/types.js'
import { CountdownController } from './countdown.js'
import type { RequestController } from './request.js'
import { readOtp } from './web-otp.js'

export interface VerificationHost extends ReactiveControllerHost, HTMLElement {
  readonly client: SmsAuthApi
  readonly req: RequestController
}

/**
 * One verification of API.md: start, resend (or call), check. Owns the resend countdown and the
 * WebOTP request, which is aborted when the code step ends or the element leaves the page.
 */
export class VerificationController implements ReactiveController {
  current?: Verification
  /** After a wrong code: what the API said is left. */
  attemptsLeft?: number
  readonly countdown: CountdownController
  #body?: StartVerificationRequest
  #token?: string
  #otp?: AbortController

  constructor(
    private readonly host: VerificationHost,
    /** Called with a code WebOTP read, to check it as if typed. */
    private readonly onOtp: (code: string) => void,
  ) {
    this.countdown = new CountdownController(host)
    host.addController(this)
  }

  hostDisconnected(): void {
    this.#abortOtp()
  }

  get codeLength(): number {
    return this.current?.codeLength ?? 6
  }

  async start(body: StartVerificationRequest, token?: string): Promise<Verification | undefined> {
    this.#body = body
    this.#token = token
    const v = await this.host.req.run(() => this.host.client.startVerification(body, token))
    if (v) this.#use(v)
    return v
  }

  /** A fresh verification with the same request (after lockout or expiry). */
  restart(): Promise<Verification | undefined> {
    if (!this.#body) return Promise.resolve(undefined)
    return this.start(this.#body, this.#token)
  }

  async resend(channel: Channel): Promise<Verification | undefined> {
    const id = this.current?.id
    if (!id) return undefined
    const v = await this.host.req.run(() => this.host.client.resend(id, channel, this.#token))
    if (v) this.#use(v)
    return v
  }

  async check(code: string): Promise<CheckResult | undefined> {
    const id = this.current?.id
    if (!id) return undefined
    const r = await this.host.req.run(() => this.host.client.check(id, code, this.#token))
    const err = this.host.req.error
    if (err?.code === 'invalid_code' && err.attemptsLeft !== undefined) {
      this.attemptsLeft = err.attemptsLeft
    }
    if (r) this.reset()
    return r
  }

  reset(): void {
    this.current = undefined
    this.attemptsLeft = undefined
    this.countdown.stop()
    this.#abortOtp()
    this.host.requestUpdate()
  }

  #use(v: Verification): void {
    this.current = v
    this.attemptsLeft = undefined
    this.countdown.start(v.resendAt)
    this.#abortOtp()
    const ac = (this.#otp = new AbortController())
    void readOtp(ac.signal).then((code) => {
      if (code && !ac.signal.aborted) this.onOtp(code)
    })
    this.host.requestUpdate()
  }

  #abortOtp(): void {
    this.#otp?.abort()
    this.#otp = undefined
  }
}
