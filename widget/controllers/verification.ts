import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { SmsAuthApi } from '../api/client.js'
import type {
  Channel,
  CheckResult,
  PublicConfig,
  StartVerificationRequest,
  Verification,
} from '../api/types.js'
import type { Strings } from '../i18n/index.js'
import { CountdownController } from './countdown.js'
import type { RequestController } from './request.js'
import { readOtp } from './web-otp.js'

export interface VerificationHost extends ReactiveControllerHost, HTMLElement {
  readonly client: SmsAuthApi
  readonly req: RequestController
  readonly t: Strings
  /** The element's polite announcement (`role="status"`). */
  status: string
  readonly renderRoot: HTMLElement | DocumentFragment
  /** `/v1/config` once the element has read it (a start asks the client only before that). */
  readonly config?: PublicConfig
}

/** How the current code came: the first send, the same code again, or a new verification. */
export type Sent = 'first' | 'again' | 'new'
/** What is on its way: a start, a resend (by channel), a new verification, a check. */
export type Busy = 'start' | Channel | 'new' | 'check'

/** Errors after which the verification takes no more checks: only a new one helps. */
const DEAD_ENDS: ReadonlySet<string> = new Set([
  'too_many_attempts',
  'verification_expired',
  'verification_used',
  'verification_not_found',
])

/**
 * One verification of docs/api.md: start, resend (or call), check. Owns the resend countdown and the
 * WebOTP request, which is aborted when the code step ends or the element leaves the page. After
 * every send from the code step the field is emptied (so no stale code goes out again) and
 * focused, and the send is announced; after a lockout or expiry the focus goes to the way out.
 */
export class VerificationController implements ReactiveController {
  current?: Verification
  /** After a wrong code: what the API said is left (after that failure). */
  attemptsLeft?: number
  sent: Sent = 'first'
  /** The request on its way, for the busy state of the control that asked for it. */
  busy?: Busy
  readonly countdown: CountdownController
  #body?: StartVerificationRequest
  #token?: string
  #shown?: string
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

  /** Where the code went: the number as the user typed it when known, else the masked form. */
  get destination(): string {
    return this.#shown ?? this.current?.to ?? ''
  }

  /** Whether the verification takes no more checks (locked, expired, used, or no tries left). */
  get deadEnd(): boolean {
    const code = this.host.req.error?.code
    return (code !== undefined && DEAD_ENDS.has(code)) || this.attemptsLeft === 0
  }

  /**
   * Starts a verification. `shown`: the number as the user typed it (their own, in their own
   * browser), shown on the code step instead of the masked form.
   */
  async start(
    body: StartVerificationRequest,
    token?: string,
    shown?: string,
  ): Promise<Verification | undefined> {
    this.#body = body
    this.#token = token
    this.#shown = shown
    const v = await this.#send('start', () => this.#started(body, token))
    if (v) this.#use(v, 'first')
    return v
  }

  /** A fresh verification with the same request (after lockout or expiry): a new code. */
  async restart(): Promise<Verification | undefined> {
    const body = this.#body
    if (!body) return undefined
    const token = this.#token
    const v = await this.#send('new', () => this.#started(body, token))
    if (v) void this.#renewed(v, 'new')
    return v
  }

  /** The same code again (docs/security.md), by SMS or by a call. */
  async resend(channel: Channel): Promise<Verification | undefined> {
    const id = this.current?.id
    if (!id) return undefined
    const v = await this.#send(channel, () => this.host.client.resend(id, channel, this.#token))
    if (v) void this.#renewed(v, 'again')
    return v
  }

  async check(code: string): Promise<CheckResult | undefined> {
    const id = this.current?.id
    if (!id) return undefined
    const r = await this.#send('check', () => this.host.client.check(id, code, this.#token))
    const err = this.host.req.error
    if (err?.code === 'invalid_code' && err.attemptsLeft !== undefined) {
      this.attemptsLeft = err.attemptsLeft
      this.host.requestUpdate()
    }
    if (r) this.reset()
    else if (err) void this.#refocus()
    return r
  }

  reset(): void {
    this.current = undefined
    this.attemptsLeft = undefined
    this.sent = 'first'
    this.countdown.stop()
    this.#abortOtp()
    this.host.requestUpdate()
  }

  /** The sentence for the last send: where the code went (`to`), and how. */
  sentText(t: Strings, to = this.destination): string {
    if (this.current?.channel === 'voice') return t.callPlaced(to)
    return this.sent === 'again'
      ? t.codeResent(to)
      : this.sent === 'new'
        ? t.newCodeSent(to)
        : t.codeSent(to)
  }

  /**
   * A start, with the bot challenge's token when the site asks for one: before it (`always`), or
   * after a `challenge_required` answer (`adaptive`). The challenge's chunk and the provider's
   * script are fetched only then (widget/challenge.ts).
   */
  async #started(body: StartVerificationRequest, token?: string): Promise<Verification> {
    const client = this.host.client
    const c = (this.host.config ?? (await client.getConfig().catch(() => undefined)))?.challenge
    const go = (challengeToken?: string) =>
      client.startVerification(challengeToken ? { ...body, challengeToken } : body, token)
    const chunk = () => import('../challenge.js')
    const solve = async () => (await chunk()).solveChallenge(this.host.renderRoot, c!, this.host.t)
    // In always mode the chunk says whether this start is one the challenge guards.
    if (c?.mode === 'always' && (await chunk()).challenged(body)) return go(await solve())
    try {
      return await go()
    } catch (e) {
      if (!c || (e as { code?: string }).code !== 'challenge_required') throw e
      return go(await solve())
    }
  }

  async #send<T>(busy: Busy, fn: () => Promise<T>): Promise<T | undefined> {
    if (this.host.req.pending) return undefined
    this.busy = busy
    try {
      return await this.host.req.run(fn)
    } finally {
      this.busy = undefined
    }
  }

  /** A send from the code step: the old digits go, the field takes the focus, and it is said. */
  async #renewed(v: Verification, sent: Sent): Promise<void> {
    this.#use(v, sent)
    const h = this.host
    // Emptied first, so an identical sentence (a second resend) is announced again.
    h.status = ''
    await h.updateComplete
    h.status = this.sentText(h.t)
    const input = h.renderRoot.querySelector<HTMLInputElement>('#code')
    if (input) {
      input.value = ''
      input.focus()
    }
  }

  /**
   * After a failed check: a wrong code leaves an empty field with the focus; a field the error
   * disabled (locked, expired, no tries left) hands the focus to the way out, never to the page.
   */
  async #refocus(): Promise<void> {
    const h = this.host
    await h.updateComplete
    const root = h.renderRoot
    const input = root.querySelector<HTMLInputElement>('#code')
    if (!input) return
    if (h.req.error?.code === 'invalid_code') input.value = ''
    if (!input.disabled) return input.focus()
    root.querySelector<HTMLElement>('#code-new')?.focus()
  }

  #use(v: Verification, sent: Sent): void {
    this.current = v
    this.sent = sent
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
