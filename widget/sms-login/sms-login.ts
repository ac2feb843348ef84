import { html, nothing } from 'lit'
import type { PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import type { CheckResult, MfaChallenge, Session, SignedIn, User } from '../api/types.js'
import { isMfaChallenge, isSignedIn } from '../api/types.js'
import { SmsAuthElement } from '../base.js'
import type { SessionChange } from '../client/session.js'
import { PhoneInputController } from '../controllers/phone-input.js'
import { phoneInputStyles } from '../controllers/phone-input.styles.js'
import { VerificationController } from '../controllers/verification.js'
import { en } from '../i18n/index.js'
import { messages } from '../parts/messages.js'
import { shownNumber } from '../parts/shown-number.js'
import { baseStyles } from '../styles.js'
import { renderReset, resetTitle } from './reset-entry.js'
import type { SecondFactor } from './second-factor.js'
import { renderCodeStep } from './steps/code.js'
import { renderDetailsStep } from './steps/details.js'
import { renderDoneStep } from './steps/done.js'
import { renderPasswordStep } from './steps/password.js'
import { renderPhoneStep } from './steps/phone.js'

export type LoginStep = 'phone' | 'code' | 'details' | 'mfa' | 'password' | 'reset' | 'done'
export type LoginMode = 'auto' | 'login' | 'register'
export interface SignedInDetail {
  user: User
  session: Session
}

/** The second step's chunk, fetched while the user types a code or a password. */
const secondFactor = () => import('./second-factor.js')

/** What the phone step sent: to put back when the user goes back for a different number. */
interface Typed {
  raw: string
  country?: string
  e164: string
}

/**
 * Phone-number sign-in and registration: phone → code → (new number: name and email) → signed
 * in, with a second factor when the API asks for one.
 *
 * @tag sms-login
 * @event {CustomEvent<SignedInDetail>} sms-auth-login - `{user, session}`: an existing account signed in
 * @event {CustomEvent<SignedInDetail>} sms-auth-register - `{user, session}`: a new account
 * @event {CustomEvent<ErrorDetail>} sms-auth-error - `{code, message}`: every error the user sees
 * @event {CustomEvent<SessionChange>} sms-auth-session - `{session, reason}`: the stored session began (`start`), got a new token (`refresh`) or ended (`end`, `session: null`)
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
 * @csspart country-button - the country picker's button (flag and dial code)
 * @csspart country-list - the list of countries it opens
 * @csspart country-search - the search field above that list
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
  @state() passwordRegister = false
  /** @internal While the number is checked (the validation data may still be on its way). */
  @state() checking = false
  #ticket?: string
  #typed?: Typed
  #restore?: Typed

  /** @internal The second step of a sign-in (`mfaRequired`), once its chunk is in. */
  second?: SecondFactor

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
      reset: resetTitle(this),
      done: site ?? t.signInTitle,
    }[this.step]
    const body = {
      phone: renderPhoneStep,
      code: renderCodeStep,
      details: renderDetailsStep,
      mfa: () => this.second?.render() ?? nothing,
      password: renderPasswordStep,
      reset: renderReset,
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
    if (step === 'code' || step === 'password') void secondFactor().catch(() => undefined)
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed)
    // Back for a different number: the number as typed, to fix one digit. Put in place in the
    // same update that renders the field, before the country picker takes it over.
    const typed = this.#restore
    const input = typed && this.renderRoot.querySelector<HTMLInputElement>('#phone')
    if (!typed || !input) return
    this.#restore = undefined
    // As typed when the picker starts on the same country again; else in full, so it picks it.
    input.value = typed.country === this.country ? typed.raw : typed.e164
    // The picker wraps the field when it attaches, which takes the focus away: give it back.
    input.focus()
    void this.phone.ready.then(() => input.isConnected && input.focus())
  }

  /** @internal Phone step submit: validate, then start the verification. */
  async submitPhone(e: Event): Promise<void> {
    e.preventDefault()
    if (this.req.pending || this.checking) return
    this.clearErrors()
    const raw = this.renderRoot.querySelector<HTMLInputElement>('#phone')?.value.trim() ?? ''
    const country = this.phone.country
    this.checking = true
    const r = await this.phone
      .check()
      .then(async (c) => (c.ok ? { ...c, shown: await shownNumber(c.e164) } : c))
      .finally(() => (this.checking = false))
    if (!r.ok) {
      this.req.fail(r.code)
      this.renderRoot.querySelector<HTMLInputElement>('#phone')?.focus()
      return
    }
    this.#typed = { raw, country, e164: r.e164 }
    const purpose = this.mode === 'login' ? 'login' : 'register'
    this.second?.reset()
    const body = {
      purpose,
      phone: r.e164,
      country: r.country,
      channel: 'sms',
      locale: this.t.lang,
    } as const
    const v = await this.vc.start(body, undefined, r.shown)
    if (v) this.go('code', this.vc.sentText(this.t))
  }

  /** @internal */
  async submitCode(code: string): Promise<void> {
    if (this.req.pending) return
    this.localError = undefined
    const r = await this.vc.check(code)
    if (r) this.approved(r)
  }

  /** @internal */
  approved(r: CheckResult | SignedIn | MfaChallenge): void {
    if ('registrationTicket' in r) {
      this.#ticket = r.registrationTicket
      this.go('details', this.t.detailsIntro)
    } else if (isMfaChallenge(r)) {
      void this.#secondStep(r)
    } else if (isSignedIn(r)) {
      this.signedIn(r, 'sms-auth-login')
    }
  }

  async #secondStep(challenge: MfaChallenge): Promise<void> {
    // Fetched while the code or password was typed; the button shows it if it is still coming.
    const m = await this.req.run(secondFactor)
    if (!m) return
    this.second ??= new m.SecondFactor(this)
    this.second.begin(challenge)
  }

  /** @internal Details step: name and email for a new number. */
  async submitDetails(name: string, email: string): Promise<void> {
    const ticket = this.#ticket
    if (!ticket) return this.go('phone')
    const r = await this.req.run(() =>
      this.client.createUser({ registrationTicket: ticket, name, email }),
    )
    if (r) this.signedIn(r, 'sms-auth-register')
  }

  /** @internal */
  async submitPassword(email: string, password: string, name: string): Promise<void> {
    if (this.passwordRegister) {
      const r = await this.req.run(() => this.client.createUser({ email, password, name }))
      if (r) this.signedIn(r, 'sms-auth-register')
      return
    }
    const r = await this.req.run(() => this.client.signIn(email, password))
    if (r) this.approved(r)
  }

  /** @internal Back to the phone step (a different number), with the number as typed. */
  back(): void {
    if (this.req.pending) return
    this.vc.reset()
    this.req.clear()
    this.#restore = this.#typed
    this.go('phone')
  }

  /** @internal */
  showFieldError(message: string, code?: string): void {
    this.showLocalError(message, code)
  }

  /** @internal */
  signedIn(r: SignedIn, event: 'sms-auth-login' | 'sms-auth-register'): void {
    this.session = r.session
    this.user = r.user
    this.second?.reset()
    this.vc.reset()
    this.#ticket = undefined
    this.#typed = undefined
    this.go('done', this.t.signedInAs(r.user.name))
    this.store.set(r)
    this.emit<SignedInDetail>(event, { user: r.user, session: r.session })
  }

  /** Ends the session (`DELETE /v1/sessions/current`, cleared in the store) and shows the phone step. */
  async logout(): Promise<void> {
    const token = this.store.get() ? undefined : this.session?.accessToken
    this.session = this.user = undefined
    this.vc.reset()
    this.req.clear()
    this.go('phone', this.t.signedOut)
    await (token ? this.client.logout(token).catch(() => undefined) : this.store.signOut())
  }

  /** Ended elsewhere (another tab, a refused refresh): the phone step, nothing left to revoke. */
  protected override sessionChanged(change: SessionChange): void {
    if (change.reason !== 'end' || this.step !== 'done') return
    this.session = undefined
    void this.logout()
  }
}
