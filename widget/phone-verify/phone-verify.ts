import { html, nothing } from 'lit'
import type { PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import type {
  AccountUser,
  CheckResult,
  Session,
  StartVerificationRequest,
  TotpSetup,
} from '../api/types.js'
import { PhoneInputController } from '../controllers/phone-input.js'
import { phoneInputStyles } from '../controllers/phone-input.styles.js'
import { en } from '../i18n/index.js'
import { errorMessage } from '../parts/messages.js'
import { baseStyles, factorStyles } from '../styles.js'
import type { Account } from './account.js'
import { CodeVerification, refocusCode, resent } from './code-verification.js'
import type * as FactorsView from './factors-view.js'
import { renderFormView } from './form-view.js'
import { FormControl } from './form-control.js'
import { FormValue } from './form-value.js'
import { StepUp } from './step-up.js'
import type { PhoneVerifiedDetail, PhoneVerifyView } from './views.js'
export type { PhoneVerifiedDetail, PhoneVerifyView } from './views.js'

/**
 * A signed-in user's phone and second factors; without a token, inside a `<form>`, a
 * form-associated control whose value is a verified E.164 number.
 *
 * @tag phone-verify
 * @event {CustomEvent<PhoneVerifiedDetail>} sms-auth-phone-verified - `{phone, user?}`
 * @event {CustomEvent<PhoneRemovedDetail>} sms-auth-phone-removed - `{user?}`
 * @event {CustomEvent<AccountDeletedDetail>} sms-auth-account-deleted - `{userId}`: `profile`'s "Delete account" went through (the session ends next)
 * @event {CustomEvent<ErrorDetail>} sms-auth-error - `{code, message}`
 * @event {CustomEvent<SessionChange>} sms-auth-session - `{session, reason}`: the stored session began, refreshed or ended
 * @csspart box - the card around the element
 * @csspart heading - the element's title (hidden by `no-heading`)
 * @csspart subheading - the titles of its sections (backup codes, authenticator app, "Confirm it's you")
 * @csspart form - each form
 * @csspart label - each field's label
 * @csspart input - every text field (each also has its own part below)
 * @csspart phone - the phone number input
 * @csspart code - each code input (SMS, authenticator, backup code)
 * @csspart password - the password input ("Confirm it's you")
 * @csspart hint - the line under the phone field
 * @csspart country-button - the country picker's button (flag and dial code)
 * @csspart country-list - the list of countries it opens
 * @csspart country-search - the search field above that list
 * @csspart button - the main button of each step
 * @csspart link - each secondary action (resend, call me, cancel, change, copy, download…)
 * @csspart countdown - the wait before a code can be sent again
 * @csspart error - the error message
 * @csspart status - the status line: visible for a success nothing else shows ("Copied")
 * @csspart verified - form mode: the verified number, its mark and "Change phone"
 * @csspart number - form mode: the verified number
 * @csspart verified-mark - form mode: the "Verified" mark
 * @csspart codes - the list of new backup codes
 */
export class PhoneVerify extends FormControl {
  static override styles = [baseStyles, phoneInputStyles, factorStyles]

  /** Bearer access token of the signed-in user. */
  @property({ attribute: 'access-token' }) accessToken?: string
  /** Alternative to `access-token`: a session as `<sms-login>` gives it. */
  @property({ attribute: false }) session?: Session
  /** Present (signed in): also the name, email and password, the devices, deleting the account. */
  @property({ type: Boolean }) profile = false

  @state() user?: AccountUser
  @state() view: PhoneVerifyView = 'overview'
  @state() backupRemaining?: number
  @state() newCodes?: string[]
  @state() totp?: TotpSetup
  /** @internal The backup-code and TOTP views: a lazy chunk, fetched by the actions that show them. */
  factors?: typeof FactorsView
  /** Form mode: the verified number, or undefined. */
  @state() verifiedPhone?: string
  /** While the code step proves the current phone (before enrolling a new one). */
  @state() changing = false
  /** @internal Whether the status line is shown, not only announced: a success nothing else shows. */
  @state() notice = false
  #phoneTried = ''

  /** @internal */
  readonly control = new FormValue(this)
  /** @internal "Confirm it's you" before the actions the API guards (codes, TOTP, a new phone). */
  readonly stepUp = new StepUp(this)
  /** @internal Signed-in mode's views and calls: a lazy chunk, fetched with the user. */
  account?: Account
  #account?: Promise<void>
  readonly vc = new CodeVerification(
    this,
    (code) => void this.submitCode(code),
    (v, fresh) => void resent(this, v, fresh),
  )
  readonly phone = new PhoneInputController(
    this,
    () => this.renderRoot?.querySelector<HTMLInputElement>('#phone'),
    { strings: en },
  )

  /** The token given, else (outside a `<form>`) the stored session's, once it is fresh. */
  get token(): string | undefined {
    const given = this.accessToken || this.session?.accessToken
    if (given) return given
    const s = this.closest('form') ? null : this.storedSession
    return s && s.expiresAt > Date.now() ? s.accessToken : undefined
  }

  /** The verified E.164 number (form mode), as a form control's `value`. */
  get value(): string {
    return this.verifiedPhone ?? ''
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed)
    const allowed = this.config?.allowedCountries ?? null
    if (this.configSettled)
      this.phone.configure({
        defaultCountry: this.country,
        allowedCountries: allowed,
        strings: this.t,
      })
    const stored = changed.has('storedSession') && this.storedSession?.user.id !== this.user?.id
    if ((changed.has('accessToken') || changed.has('session') || stored) && this.token)
      void this.refresh()
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed)
    this.control.sync()
  }

  protected override fieldsSettled(): Promise<unknown> {
    return this.phone.ready
  }

  override render() {
    const t = this.t
    const body = !this.token
      ? renderFormView(this)
      : (this.account?.render() ??
        html`<p class="muted">${this.req.error ? t.pvNeedToken : t.loading}</p>`)
    const error = this.localError ?? (this.req.error ? errorMessage(t, this.req.error) : undefined)
    const status = this.notice ? 'notice' : 'sr-only'
    return html`<div
      class="box"
      part="box"
      dir=${t.dir}
      lang=${t.lang}
      aria-busy=${this.req.pending}
    >
      ${this.token ? html`<h2 part="heading">${t.pvTitle}</h2>` : nothing}
      <p part="error" role="alert" id="error">${error ?? nothing}</p>
      <p part="status" role="status" aria-live="polite" class=${status}>${this.status}</p>
      ${body}
    </div>`
  }

  /** @internal Shows a view; `notice`: its status is shown, not only announced. */
  go(view: PhoneVerifyView, status = '', notice = false): void {
    this.view = view
    this.status = status
    this.notice = notice && !!status
    this.localError = undefined
    this.focusFirst()
  }

  /** @internal Says a success on screen and to screen readers, where the user is. */
  say(text: string): void {
    this.status = text
    this.notice = true
  }

  /** Reloads the user (whose `twoStep` carries the backup-code count). */
  async refresh(): Promise<void> {
    const token = this.token
    if (!token) return
    this.#account ??= import('./account.js').then(
      ({ Account }) => void (this.account = new Account(this)),
      () => {
        this.#account = undefined // the next refresh tries again
        this.req.fail('network_error')
      },
    )
    const [user] = await Promise.all([this.req.run(() => this.client.me(token)), this.#account])
    if (!user) return
    this.user = user
    this.backupRemaining = user.twoStep?.backupCodesRemaining
    await this.account?.loaded()
  }

  /** @internal Phone entered: enrol (account) or register-purpose proof (form). */
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
    this.#phoneTried = r.e164
    const purpose = this.token ? 'enroll' : 'register'
    const body = {
      purpose,
      phone: r.e164,
      country: r.country,
      channel: 'sms',
      locale: this.t.lang,
    } as const
    await this.stepUp.guard(() => this.#sendTo(body))
  }

  async #sendTo(body: StartVerificationRequest): Promise<void> {
    const v = await this.vc.start(body, this.token)
    if (v) this.go('code', this.t.codeSent(v.to ?? ''))
  }

  /** @internal */
  async submitCode(code: string): Promise<void> {
    if (this.req.pending) return
    const r = await this.vc.check(code)
    if (r) return this.#approved(r)
    await refocusCode(this)
  }

  #approved(r: CheckResult): void {
    if (this.changing) {
      this.changing = false
      this.go('add', this.t.pvNewPhone, true)
      return
    }
    const user = 'user' in r ? r.user : undefined
    const phone =
      user?.phone ?? ('phone' in r && typeof r.phone === 'string' ? r.phone : this.#phoneTried)
    if (this.token) {
      if (user) this.user = user
      this.go('overview', this.t.pvAdded, true)
    } else {
      this.verifiedPhone = this.#phoneTried || phone
      this.go('verified', this.t.phoneVerified(this.verifiedPhone))
    }
    this.emit<PhoneVerifiedDetail>('sms-auth-phone-verified', user ? { phone, user } : { phone })
  }

  /** @internal Form mode: the number changed after verification, so it is no longer proven. */
  unverify(): void {
    this.verifiedPhone = undefined
    this.vc.reset()
    if (this.view !== 'overview') this.view = 'overview'
  }

  /** @internal Form mode, "Change phone": back to the number as typed, still verified until edited. */
  changeVerified(): void {
    this.go('overview')
  }

  /** @internal Form mode: leave the field unchanged, verified. */
  keepVerified(): void {
    this.go('verified')
  }

  /** @internal Form mode: a submit this field blocked; say why inside the element too. */
  blocked(): void {
    if (!this.token) this.showLocalError(this.validationMessage || this.t.mustVerify)
  }

  /** @internal */
  emitRemoved(): void {
    this.emit('sms-auth-phone-removed', { user: this.user })
  }

  /** Form reset: the number is no longer proven. */
  formResetCallback(): void {
    this.unverify()
    this.clearErrors()
    const input = this.renderRoot.querySelector<HTMLInputElement>('#phone')
    if (input) input.value = ''
  }

  /** @internal */
  showFieldError(message: string): void {
    this.showLocalError(message)
  }

  /** @internal */
  cancel(): void {
    this.vc.reset()
    this.stepUp.flow?.reset()
    this.changing = false
    this.newCodes = undefined
    this.totp = undefined
    this.clearErrors()
    this.go('overview')
  }
}
