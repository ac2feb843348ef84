import type { ApiError } from '../api/client.js'
import type { ReauthMethod, ReauthRequest } from '../api/types.js'
import type { VerificationController } from '../controllers/verification.js'
import { builtinLocale } from '../i18n/index.js'
import { overlay } from '../i18n/overrides.js'
import { reauthStrings } from '../i18n/reauth.js'
import type { ReauthStrings } from '../i18n/reauth.js'
import type { PhoneVerify, PhoneVerifyView } from './phone-verify.js'
import { CodeVerification, resent } from './code-verification.js'
import { renderReauth } from './reauth-view.js'

const KNOWN: readonly string[] = ['sms', 'totp', 'backup_code', 'password'] satisfies ReauthMethod[]
const isKnown = (m: unknown): m is ReauthMethod => KNOWN.includes(m as string)

/**
 * The "Confirm it's you" step of `<phone-verify>`: one factor at a time from the API's `methods`
 * (its order of preference), proven by `POST /v1/me/reauth` or by a `reauth` verification (SMS,
 * with its own countdown, resend and call-me); then the refused action runs again.
 */
export class ReauthFlow {
  methods: ReauthMethod[] = []
  method: ReauthMethod = 'totp'
  /** The SMS proof: separate from the element's, so WebOTP and resend stay with this step. */
  readonly vc: VerificationController
  /** While the refused action runs again: a second refusal is an error, not another step. */
  retrying = false
  #action?: () => Promise<void>
  #from: PhoneVerifyView = 'overview'

  constructor(readonly host: PhoneVerify) {
    this.vc = new CodeVerification(
      host,
      (code) => void this.checkCode(code),
      (v, fresh) => void resent(host, v, fresh),
    )
  }

  /** The step's strings in the element's locale, with the site's `reauth` overrides laid on. */
  get t(): ReauthStrings {
    const t = this.host.t
    return overlay(reauthStrings[builtinLocale(t.lang) ?? 'en'], t.reauth)
  }

  /** Shows the step for the factors the refusal names (an error when none is one we know). */
  open(refusal: ApiError, action: () => Promise<void>): void {
    const known = (refusal.methods ?? []).filter(isKnown)
    if (!known.length) return this.host.req.fail(refusal)
    this.methods = known
    this.#action = action
    // Where the action started: the retry continues from there, as if never interrupted.
    if (this.host.view !== 'reauth') this.#from = this.host.view
    this.use(known[0])
  }

  /** Switches to a factor; SMS sends its code at once. */
  use(method: ReauthMethod): void {
    this.method = method
    this.vc.reset()
    this.host.clearErrors()
    this.host.go('reauth', this.t.status)
    if (method === 'sms') void this.sendCode()
  }

  async sendCode(): Promise<void> {
    const h = this.host
    const v = await this.vc.start({ purpose: 'reauth', channel: 'sms', locale: h.t.lang }, h.token)
    if (!v) return
    // Switched to another factor while the code was on its way: leave that step as it is.
    if (this.method !== 'sms') return this.vc.reset()
    h.go('reauth', h.t.codeSent(v.to ?? ''))
  }

  async checkCode(code: string): Promise<void> {
    if (this.host.req.pending) return
    if (await this.vc.check(code)) return this.#proven()
    await this.#refocus('#code')
  }

  /** A password, TOTP or backup code: `POST /v1/me/reauth`. */
  async submit(value: string): Promise<void> {
    const h = this.host
    const token = h.token
    if (!token || h.req.pending) return
    const m = this.method
    const body: ReauthRequest =
      m === 'password'
        ? { password: value }
        : m === 'totp'
          ? { totpCode: value }
          : { backupCode: value }
    if (await h.req.run(() => h.client.reauth(token, body))) return this.#proven()
    await this.#refocus('#reauth-secret', 'invalid_credentials')
  }

  /**
   * After a failed proof: the focus back in the field, emptied when what it holds is of no more
   * use (`clear`: that error, or any when unset). A field the error disabled (a locked or expired
   * code) hands the focus to the step's first link.
   */
  async #refocus(selector: string, clear?: string): Promise<void> {
    const h = this.host
    await h.updateComplete
    const input = h.renderRoot.querySelector<HTMLInputElement>(selector)
    if (!input) return
    const code = h.req.error?.code
    if (code && (!clear || code === clear)) input.value = ''
    if (!input.disabled) return input.focus()
    h.renderRoot.querySelector<HTMLElement>('section .row button')?.focus()
  }

  async #proven(): Promise<void> {
    const action = this.#action
    this.reset()
    this.host.go(this.#from)
    if (!action) return
    this.retrying = true
    try {
      await this.host.stepUp.guard(action)
    } finally {
      this.retrying = false
    }
  }

  reset(): void {
    this.vc.reset()
    this.#action = undefined
  }

  /** Back to the overview; the refused action is dropped. */
  cancel(): void {
    this.reset()
    this.host.cancel()
  }

  render() {
    return renderReauth(this)
  }
}
