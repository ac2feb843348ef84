import { ApiError } from '../api/client.js'
import { isResetApproved } from '../api/account-types.js'
import type { ResetMethod } from '../api/account-types.js'
import type { SignedIn } from '../api/types.js'
import { VerificationController } from '../controllers/verification.js'
import type { VerificationHost } from '../controllers/verification.js'
import type { Strings } from '../i18n/index.js'
import { builtinLocale } from '../i18n/index.js'
import { overlay } from '../i18n/overrides.js'
import { resetStrings } from '../i18n/reset.js'
import type { ResetStrings } from '../i18n/reset.js'
import { shownNumber } from '../parts/shown-number.js'
import type { SmsLogin } from './sms-login.js'
import { renderResetStage } from './steps/reset.js'

/** identify (phone or email) → code → new password (+ a factor) → signed in; or expired. */
export type ResetStage = 'identify' | 'code' | 'password' | 'expired'

/** The ticket expired or was used: the reset starts again (not an error of the form). */
const EXPIRED = Symbol('expired')

/**
 * A reset asked for by email shows no number (`to` is null, so the email cannot tell anyone the
 * account's phone): its lines say "if an account matches".
 */
class ResetVerification extends VerificationController {
  constructor(
    host: VerificationHost,
    onOtp: (code: string) => void,
    private readonly flow: ResetFlow,
  ) {
    super(host, onOtp)
  }

  override sentText(t: Strings, to?: string): string {
    if (!this.flow.byEmail) return super.sentText(t, to)
    const r = this.flow.t
    if (this.current?.channel === 'voice') return r.emailCalling
    return { first: r.emailSent, again: r.emailResent, new: r.emailNewCode }[this.sent]
  }
}

/**
 * `<sms-login>`'s "Forgot password?" (docs/api.md "Account recovery and profile"): the account by
 * its phone or its email, the SMS code (`purpose: "password_reset"`, with resend and call-me),
 * then a new password, with an authenticator or backup code when the check's `methods` ask for
 * one (a reset never skips the second factor). It ends signed in, exactly like a login. A lazy
 * chunk: fetched when the link is followed.
 */
export class ResetFlow {
  stage: ResetStage = 'identify'
  byEmail = false
  /** The email as typed, put back when the user comes back to the first step. */
  email = ''
  /** While the typed number is checked (the validation data may still be on its way). */
  checking = false
  methods: ResetMethod[] = []
  factor: ResetMethod = 'totp'
  readonly vc: ResetVerification
  #ticket?: string

  constructor(readonly host: SmsLogin) {
    this.vc = new ResetVerification(host, (code) => void this.submitCode(code), this)
  }

  /** The reset's strings in the element's locale, with the site's `reset` overrides laid on. */
  get t(): ResetStrings {
    const t = this.host.t
    return overlay(resetStrings[builtinLocale(t.lang) ?? 'en'], t.reset)
  }

  /** Opens the first step; an email from the password step starts it by email. */
  open(email = ''): void {
    this.#clear()
    if (email) [this.byEmail, this.email] = [true, email]
    this.show('identify')
  }

  show(stage: ResetStage, status = ''): void {
    this.stage = stage
    this.host.requestUpdate() // the stage is the flow's, not the element's state
    this.host.go('reset', status)
  }

  /** Between the phone field and the email field. */
  toggle(): void {
    this.byEmail = !this.byEmail
    this.host.clearErrors()
    this.show('identify')
  }

  async submitPhone(): Promise<void> {
    const h = this.host
    if (h.req.pending || this.checking) return
    h.clearErrors()
    this.checking = true
    h.requestUpdate()
    const r = await h.phone
      .check()
      .then(async (c) => (c.ok ? { ...c, shown: await shownNumber(c.e164) } : c))
      .finally(() => {
        this.checking = false
        h.requestUpdate()
      })
    if (!r.ok) {
      h.req.fail(r.code)
      h.renderRoot.querySelector<HTMLInputElement>('#phone')?.focus()
      return
    }
    const body = { purpose: 'password_reset', phone: r.e164, country: r.country } as const
    const v = await this.vc.start({ ...body, channel: 'sms', locale: h.t.lang }, undefined, r.shown)
    if (v) this.show('code', this.vc.sentText(h.t))
  }

  async submitEmail(email: string): Promise<void> {
    const h = this.host
    this.email = email
    const body = { purpose: 'password_reset', email, channel: 'sms', locale: h.t.lang } as const
    if (await this.vc.start(body)) this.show('code', this.vc.sentText(h.t))
  }

  async submitCode(code: string): Promise<void> {
    const h = this.host
    if (h.req.pending) return
    const r = await this.vc.check(code)
    if (!r || !isResetApproved(r)) return
    this.#ticket = r.resetTicket
    this.#need(r.methods)
    this.show('password', this.t.passwordIntro)
  }

  /** Switches between an authenticator code and a backup code. */
  useFactor(m: ResetMethod): void {
    this.factor = m
    this.host.clearErrors()
    this.show('password')
  }

  /** `POST /v1/password-resets`; signed in on success, as a login is. */
  async submitPassword(password: string, code?: string): Promise<void> {
    const h = this.host
    const resetTicket = this.#ticket
    if (!resetTicket || h.req.pending) return
    const factor = code ? { [this.factor === 'totp' ? 'totpCode' : 'backupCode']: code } : {}
    const call = h.client.resetPassword?.bind(h.client)
    const r = await h.req.run<SignedIn | typeof EXPIRED>(async () => {
      if (!call) throw new ApiError('unknown_error', 0)
      return call({ resetTicket, password, ...factor }).catch((e: unknown) => {
        if (e instanceof ApiError && e.code === 'unauthorized') return EXPIRED
        throw e
      })
    })
    if (r === EXPIRED) {
      this.#ticket = undefined
      this.show('expired')
      return h.showFieldError(this.t.expired, 'unauthorized')
    }
    if (r) {
      this.#clear()
      return h.signedIn(r, 'sms-auth-login')
    }
    const e = h.req.error
    if (e?.code === 'reauthentication_required') this.#need(e.methods ?? [])
    h.requestUpdate()
    await h.updateComplete
    // The field to fix takes the focus: the factor after a wrong or missing code, else the password.
    const factorField = e?.code !== 'invalid_request' ? '#reset-factor' : ''
    const input =
      (factorField && h.renderRoot.querySelector<HTMLInputElement>(factorField)) ||
      h.renderRoot.querySelector<HTMLInputElement>('#new-password')
    input?.focus()
    input?.select()
  }

  /** Leaves the reset for the password step. */
  leave(): void {
    this.#clear()
    this.host.clearErrors()
    this.host.go('password')
  }

  /** Starts again from the first step, as typed. */
  restart(): void {
    this.vc.reset()
    this.#ticket = undefined
    this.host.clearErrors()
    this.show('identify')
  }

  render() {
    return renderResetStage(this)
  }

  #need(methods: readonly string[]): void {
    const known = (['totp', 'backup_code'] as const).filter((m) => methods.includes(m))
    this.methods = known.length || !methods.length ? known : ['totp', 'backup_code']
    if (!this.methods.includes(this.factor)) this.factor = this.methods[0] ?? 'totp'
  }

  #clear(): void {
    this.vc.reset()
    this.#ticket = undefined
    this.methods = []
    this.factor = 'totp'
    this.byEmail = false
    this.email = ''
  }
}
