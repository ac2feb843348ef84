import { html } from 'lit'
import type { PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import type { CheckResult, MfaChallenge, MfaMethod, Session, SignedIn, User } from '../api/types.js'
import { isMfaChallenge, isSignedIn } from '../api/types.js'
import { SmsAuthElement } from '../base.js'
import { PhoneInputController } from '../controllers/phone-input.js'
import { phoneInputStyles } from '../controllers/phone-input.styles.js'
import { VerificationController } from '../controllers/verification.js'
import { en } from '../i18n/index.js'
import { messages } from '../parts/messages.js'
import { baseStyles } from '../styles.js'
import { renderCodeStep } from './steps/code.js'
import { renderDetailsStep } from './steps/details.js'
import { renderDoneStep } from './steps/done.js'
import { renderMfaStep } from './steps/mfa.js'
import { renderPasswordStep } from './steps/password.js'
import { renderPhoneStep } from './steps/phone.js'

export type LoginStep = 'phone' | 'code' | 'details' | 'mfa' | 'password' | 'done'
export type LoginMode = 'auto' | 'login' | 'register'
export interface SignedInDetail {
  user: User
  session: Session
}

/**
 * Phone-number sign-in and registration: phone → code → (new number: name and email) → signed
 * in, with a second factor when the API asks for one.
 *
 * @tag sms-login
 * @event sms-auth-login - `{user, session}`: an existing account signed in
 * @event sms-auth-register - `{user, session}`: a new account
 * @event sms-auth-error - `{code, message}`: every error the user sees
 * @csspart box - the card around the element
 * @csspart heading - the step's title (hidden by `no-heading`)
 * @csspart form - each step's form
 * @csspart label - each field's label
 * @csspart input - every text field (each also has its own part below)
 * @csspart phone - the phone number input
 * @csspart code - the code input (SMS, authenticator or backup code)
 * @csspart name - the name input
 * @csspart email - the email input
 * @csspart password - the password input
 * @csspart hint - the line under the phone field
 * @csspart button - the main button of each step
 * @csspart link - each secondary action (resend, call me, another number, email and password…)
 * @csspart countdown - the wait before a code can be sent again
 * @csspart error - the error message
 * @csspart status - the status line (announced; shown where a step says it visibly)
 * @cssproperty --sms-auth-color-primary - buttons and links
 * @cssproperty --sms-auth-color-background - the card
 * @cssproperty --sms-auth-color-text - text
 * @cssproperty --sms-auth-radius - corner radius
 * @cssproperty --sms-auth-font - font family
 */
export class SmsLogin extends SmsAuthElement {
  static override styles = [baseStyles, phoneInputStyles]

  /** `auto` (default): register new numbers, sign in known ones; `login`; `register`. */
  @property() mode: LoginMode = 'auto'
  /** Present: also offer email + password sign-in and registration. */
  @property({ type: Boolean }) password = false
  /** The last session (after sign-in), or undefined. */
  @property({ attribute: false }) session?: Session
  /** The signed-in user, or undefined. */
  @property({ attribute: false }) user?: User

  @state() step: LoginStep = 'phone'
  @state() mfa?: MfaChallenge
  @state() mfaMethod: MfaMethod = 'totp'
  @state() passwordRegister = false
  /** Whether the current code step is the SMS second factor. */
  @state() protected mfaSms = false
  #ticket?: string

  readonly vc = new VerificationController(this, (code) => void this.submitCode(code))
  readonly phone = new PhoneInputController(
    this,
    () => this.renderRoot?.querySelector<HTMLInputElement>('#phone'),
    { strings: en },
  )

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed)
    const allowed = this.config?.allowedCountries ?? null
    if (this.configSettled)
      this.phone.configure({
        defaultCountry: this.country,
        allowedCountries: allowed,
        strings: this.t,
      })
  }

  get passwordEnabled(): boolean {
    return this.password && this.config?.passwordLogin !== false
  }

  override render() {
    const t = this.t
    const site = this.config?.siteName
    const title = {
      phone: site ? t.signInTo(site) : t.signInTitle,
      code: t.codeLabel,
      details: t.detailsTitle,
      mfa: t.mfaTitle,
      password: site ? t.signInTo(site) : t.signInTitle,
      done: site ?? t.signInTitle,
    }[this.step]
    const body = {
      phone: renderPhoneStep,
      code: renderCodeStep,
      details: renderDetailsStep,
      mfa: renderMfaStep,
      password: renderPasswordStep,
      done: renderDoneStep,
    }[this.step](this)
    return html`<div
      class="box"
      part="box"
      dir=${t.dir}
      lang=${t.lang}
      aria-busy=${this.req.pending}
    >
      <h2 part="heading">${title}</h2>
      ${messages(t, this.req.error, this.localError, this.status)} ${body}
    </div>`
  }

  /** @internal */
  go(step: LoginStep, status = ''): void {
    this.step = step
    this.status = status
    this.localError = undefined
    this.focusFirst()
  }

  /** @internal Phone step submit: validate, then start the verification. */
  async submitPhone(e: Event): Promise<void> {
    e.preventDefault()
    if (this.req.pending) return
    this.clearErrors()
    const r = await this.phone.check()
    if (!r.ok) {
      this.req.fail(r.code)
      this.renderRoot.querySelector<HTMLInputElement>('#phone')?.focus()
      return
    }
    const purpose = this.mode === 'login' ? 'login' : 'register'
    this.mfaSms = false
    const body = {
      purpose,
      phone: r.e164,
      country: r.country,
      channel: 'sms',
      locale: this.t.lang,
    } as const
    const v = await this.vc.start(body)
    if (v) this.go('code', this.t.codeSent(v.to))
  }

  /** @internal */
  async submitCode(code: string): Promise<void> {
    if (this.req.pending) return
    this.localError = undefined
    const r = await this.vc.check(code)
    if (r) return this.approved(r)
    const input = this.renderRoot.querySelector<HTMLInputElement>('#code')
    if (input && this.req.error?.code === 'invalid_code') {
      input.value = ''
      input.focus()
    }
  }

  /** @internal */
  approved(r: CheckResult | SignedIn | MfaChallenge): void {
    if ('registrationTicket' in r) {
      this.#ticket = r.registrationTicket
      this.go('details', this.t.detailsIntro)
    } else if (isMfaChallenge(r)) {
      this.mfa = r
      // An SMS sign-in never asks for SMS twice: prefer the authenticator, then a backup code.
      this.mfaMethod =
        r.methods.find((m) => m === 'totp') ?? r.methods.find((m) => m !== 'sms') ?? 'sms'
      this.go('mfa', this.t.mfaIntro)
    } else if (isSignedIn(r)) {
      this.#signedIn(r, 'sms-auth-login')
    }
  }

  /** @internal Details step: name and email for a new number. */
  async submitDetails(name: string, email: string): Promise<void> {
    const ticket = this.#ticket
    if (!ticket) return this.go('phone')
    const r = await this.req.run(() =>
      this.client.createUser({ registrationTicket: ticket, name, email }),
    )
    if (r) this.#signedIn(r, 'sms-auth-register')
  }

  /** @internal */
  async submitMfa(code: string): Promise<void> {
    const ticket = this.mfa?.mfaTicket
    if (!ticket) return
    const c = this.client
    const r = await this.req.run(() =>
      this.mfaMethod === 'backup_code' ? c.mfaBackupCode(ticket, code) : c.mfaTotp(ticket, code),
    )
    if (r) this.#signedIn(r, 'sms-auth-login')
  }

  /** @internal Second factor by SMS (offered after a password sign-in). */
  async startMfaSms(): Promise<void> {
    const mfaTicket = this.mfa?.mfaTicket
    if (!mfaTicket) return
    const v = await this.vc.start({
      purpose: 'mfa',
      mfaTicket,
      channel: 'sms',
      locale: this.t.lang,
    })
    if (v) {
      this.mfaSms = true
      this.go('code', this.t.codeSent(v.to))
    }
  }

  /** @internal */
  async submitPassword(email: string, password: string, name: string): Promise<void> {
    if (this.passwordRegister) {
      const r = await this.req.run(() => this.client.createUser({ email, password, name }))
      if (r) this.#signedIn(r, 'sms-auth-register')
      return
    }
    const r = await this.req.run(() => this.client.signIn(email, password))
    if (r) this.approved(r)
  }

  /** @internal Back to the phone step (a different number). */
  back(): void {
    this.vc.reset()
    this.req.clear()
    this.go('phone')
  }

  /** @internal */
  showFieldError(message: string): void {
    this.showLocalError(message)
  }

  #signedIn(r: SignedIn, event: 'sms-auth-login' | 'sms-auth-register'): void {
    this.session = r.session
    this.user = r.user
    this.mfa = undefined
    this.#ticket = undefined
    this.go('done', this.t.signedInAs(r.user.name))
    this.emit<SignedInDetail>(event, { user: r.user, session: r.session })
  }

  /** Ends the session (`DELETE /v1/sessions/current`) and returns to the phone step. */
  async logout(): Promise<void> {
    const token = this.session?.accessToken
    this.session = undefined
    this.user = undefined
    this.vc.reset()
    this.req.clear()
    this.go('phone', this.t.signedOut)
    if (token) await this.client.logout(token).catch(() => undefined)
  }
}
