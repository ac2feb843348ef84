import { html } from 'lit'
import type { PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import type {
  CheckResult,
  Session,
  StartVerificationRequest,
  TotpSetup,
  User,
} from '../api/types.js'
import { SmsAuthElement } from '../base.js'
import { PhoneInputController } from '../controllers/phone-input.js'
import { phoneInputStyles } from '../controllers/phone-input.styles.js'
import { VerificationController } from '../controllers/verification.js'
import { en } from '../i18n/index.js'
import { messages } from '../parts/messages.js'
import { baseStyles, factorStyles } from '../styles.js'
import { renderAccountView } from './account-view.js'
import type * as FactorsView from './factors-view.js'
import { renderFormView } from './form-view.js'
import { FormValue } from './form-value.js'
import { StepUp } from './step-up.js'

export type PhoneVerifyView =
  'overview' | 'add' | 'code' | 'change' | 'remove' | 'codes' | 'totp' | 'reauth'
export interface PhoneVerifiedDetail {
  phone: string
  user?: User
}

/**
 * A signed-in user's phone and second factors; without a token, inside a `<form>`, a
 * form-associated control whose value is a verified E.164 number.
 *
 * @tag phone-verify
 * @event sms-auth-phone-verified - `{phone, user?}`
 * @event sms-auth-phone-removed - `{user?}`
 * @event sms-auth-error - `{code, message}`
 * @csspart form - each form
 * @csspart phone - the phone number input
 * @csspart code - the code input
 * @csspart button - the main button of each step
 * @csspart error - the error message
 */
export class PhoneVerify extends SmsAuthElement {
  static override styles = [baseStyles, phoneInputStyles, factorStyles]
  static formAssociated = true

  /** Bearer access token of the signed-in user. */
  @property({ attribute: 'access-token' }) accessToken?: string
  /** Alternative to `access-token`: a session as `<sms-login>` gives it. */
  @property({ attribute: false }) session?: Session
  /** Form field name (form mode). */
  @property({ reflect: true }) name?: string
  /** Form mode: a field must be verified for the form to submit. */
  @property({ type: Boolean }) required = true

  @state() user?: User
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
  #phoneTried = ''

  readonly form = new FormValue(this)
  /** @internal "Confirm it's you" before the actions the API guards (codes, TOTP, a new phone). */
  readonly stepUp = new StepUp(this)
  readonly vc = new VerificationController(this, (code) => void this.submitCode(code))
  readonly phone = new PhoneInputController(
    this,
    () => this.renderRoot?.querySelector<HTMLInputElement>('#phone'),
    { strings: en },
  )

  get token(): string | undefined {
    return this.accessToken || this.session?.accessToken || undefined
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
    if ((changed.has('accessToken') || changed.has('session')) && this.token) void this.refresh()
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed)
    if (!this.token) this.form.sync()
  }

  override render() {
    const t = this.t
    const body = this.token ? renderAccountView(this) : renderFormView(this)
    return html`<div class="box" dir=${t.dir} lang=${t.lang} aria-busy=${this.req.pending}>
      ${this.token ? html`<h2>${t.pvTitle}</h2>` : ''}
      ${messages(t, this.req.error, this.localError, this.status)} ${body}
    </div>`
  }

  /** @internal */
  go(view: PhoneVerifyView, status = ''): void {
    this.view = view
    this.status = status
    this.localError = undefined
    this.focusFirst()
  }

  /** Reloads the user (whose `twoStep` carries the backup-code count). */
  async refresh(): Promise<void> {
    const token = this.token
    if (!token) return
    const user = await this.req.run(() => this.client.me(token))
    if (!user) return
    this.user = user
    this.backupRemaining = user.twoStep?.backupCodesRemaining
  }

  /** @internal Phone entered: enrol (account) or register-purpose proof (form). */
  async submitPhone(e: Event): Promise<void> {
    e.preventDefault()
    if (this.req.pending) return
    this.clearErrors()
    const r = await this.phone.check()
    if (!r.ok) {
      this.req.fail(r.code)
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
    if (v) this.go('code', this.t.codeSent(v.to))
  }

  /** @internal Change phone, step one: prove the current phone. */
  async startChange(): Promise<void> {
    const v = await this.vc.start(
      { purpose: 'change_phone', channel: 'sms', locale: this.t.lang },
      this.token,
    )
    if (v) {
      this.changing = true
      this.go('code', this.t.codeSent(v.to))
    }
  }

  /** @internal */
  async submitCode(code: string): Promise<void> {
    if (this.req.pending) return
    const r = await this.vc.check(code)
    if (r) return this.#approved(r)
    const input = this.renderRoot.querySelector<HTMLInputElement>('#code')
    if (input && this.req.error?.code === 'invalid_code') {
      input.value = ''
      input.focus()
    }
  }

  #approved(r: CheckResult): void {
    if (this.changing) {
      this.changing = false
      this.go('add', this.t.pvNewPhone)
      return
    }
    const user = 'user' in r ? r.user : undefined
    const phone =
      user?.phone ?? ('phone' in r && typeof r.phone === 'string' ? r.phone : this.#phoneTried)
    if (this.token) {
      if (user) this.user = user
      this.go('overview', this.t.pvAdded)
    } else {
      this.verifiedPhone = this.#phoneTried || phone
      this.go('overview', this.t.phoneVerified(this.verifiedPhone))
    }
    this.emit<PhoneVerifiedDetail>('sms-auth-phone-verified', user ? { phone, user } : { phone })
  }

  /** @internal Form mode: the number changed after verification, so it is no longer proven. */
  unverify(): void {
    this.verifiedPhone = undefined
    this.vc.reset()
    this.view = 'overview'
  }

  /** @internal */
  async removePhone(code: string, kind: 'totp' | 'backup'): Promise<void> {
    const token = this.token
    if (!token) return
    const body = kind === 'totp' ? { totpCode: code } : { backupCode: code }
    const ok = await this.req.run(async () => {
      await this.client.removePhone(token, body)
      return true
    })
    if (!ok) return
    await this.refresh()
    this.go('overview', this.t.pvRemoved)
    this.emit('sms-auth-phone-removed', { user: this.user })
  }

  /** An account call, made once the views for its answer are in (codes are shown only once). */
  #account<T>(call: (token: string) => Promise<T>): Promise<T | undefined> {
    const token = this.token
    if (!token) return Promise.resolve(undefined)
    return this.req.run(async () => {
      this.factors ??= await import('./factors-view.js')
      return call(token)
    })
  }

  /** @internal */
  makeBackupCodes(): Promise<void> {
    return this.stepUp.guard(async () => {
      const codes = await this.#account((token) => this.client.newBackupCodes(token))
      if (!codes) return
      this.newCodes = codes
      this.backupRemaining = codes.length
      this.go('codes', this.t.backupShownOnce)
    })
  }

  /** @internal Sets up an authenticator app, or replaces the one that is on. */
  startTotp(): Promise<void> {
    return this.stepUp.guard(async () => {
      const setup = await this.#account((token) => this.client.totpSetup(token))
      if (!setup) return
      this.totp = setup
      this.go('totp', this.t.totpScan)
    })
  }

  /** @internal */
  async verifyTotp(code: string): Promise<void> {
    const token = this.token
    if (!token) return
    const user = await this.req.run(() => this.client.totpVerify(token, code))
    if (!user) return
    this.user = user
    this.totp = undefined
    this.go('overview', this.t.totpEnabled)
  }

  /** Form reset: the number is no longer proven. */
  formResetCallback(): void {
    this.unverify()
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
