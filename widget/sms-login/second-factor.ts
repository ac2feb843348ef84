import type { TemplateResult } from 'lit'
import type { MfaChallenge, MfaMethod } from '../api/types.js'
import type { SmsLogin } from './sms-login.js'
import { otherFactors, renderMfaStep } from './steps/mfa.js'

/**
 * Which offered factor comes first: an authenticator app or the password cost nothing and need no
 * wait; SMS next (a password sign-in of an account without an app); a backup code, the recovery
 * factor, only when nothing else is offered.
 */
const PREFERENCE: readonly MfaMethod[] = ['totp', 'password', 'sms', 'backup_code']

/**
 * The second step of a sign-in (docs/api.md `mfaRequired`): one factor at a time, offering exactly the
 * `methods` the API named. When SMS is the one to use its code is sent at once, so nobody is first
 * asked for a backup code they may not have. A lazy chunk: fetched while the user types a code or
 * a password, so it costs nothing before.
 */
export class SecondFactor {
  challenge?: MfaChallenge
  method: MfaMethod = 'totp'

  constructor(readonly host: SmsLogin) {}

  /** The factors of this sign-in the widget knows, in the API's order. */
  get methods(): MfaMethod[] {
    return (this.challenge?.methods ?? []).filter((m) => PREFERENCE.includes(m))
  }

  /** Whether the code step is this sign-in's SMS second factor. */
  get bySms(): boolean {
    return this.challenge !== undefined && this.method === 'sms'
  }

  /** The factors offered besides the current one. */
  get others(): MfaMethod[] {
    return this.methods.filter((m) => m !== this.method)
  }

  begin(challenge: MfaChallenge): void {
    this.challenge = challenge
    this.host.vc.reset()
    const first = PREFERENCE.find((m) => challenge.methods.includes(m))
    this.use(first ?? 'backup_code')
  }

  /** Switches to a factor; SMS sends its code at once (or shows the code already sent). */
  use(method: MfaMethod): void {
    const h = this.host
    this.method = method
    h.clearErrors()
    h.requestUpdate()
    if (method === 'sms' && h.vc.current) return h.go('code', h.vc.sentText(h.t))
    h.go('mfa', h.t.mfaIntro)
    if (method === 'sms') void this.sendSms()
  }

  async sendSms(): Promise<void> {
    const h = this.host
    const mfaTicket = this.challenge?.mfaTicket
    if (!mfaTicket) return
    const v = await h.vc.start({ purpose: 'mfa', mfaTicket, channel: 'sms', locale: h.t.lang })
    // Switched to another factor while the code was on its way: stay there.
    if (v && this.method === 'sms') h.go('code', h.vc.sentText(h.t))
  }

  /** A TOTP code, a backup code or the password: `POST /v1/mfa/{totp,backup-code,password}`. */
  async submit(secret: string): Promise<void> {
    const h = this.host
    const ticket = this.challenge?.mfaTicket
    if (!ticket || h.req.pending) return
    const c = h.client
    const m = this.method
    const r = await h.req.run(() =>
      m === 'password'
        ? c.mfaPassword(ticket, secret)
        : m === 'backup_code'
          ? c.mfaBackupCode(ticket, secret)
          : c.mfaTotp(ticket, secret),
    )
    if (r) return h.signedIn(r, 'sms-auth-login')
    // The focus back in the field (after a lock too). A wrong authenticator code or password is
    // of no more use and goes; a long backup code is selected, to retype or to fix one character.
    await h.updateComplete
    const input = h.renderRoot.querySelector<HTMLInputElement>('#mfa-code, #mfa-password')
    if (!input) return
    input.focus()
    if (h.req.error?.code !== 'invalid_credentials') return
    if (m === 'backup_code') input.select()
    else input.value = ''
  }

  reset(): void {
    this.challenge = undefined
    this.method = 'totp'
  }

  /** The second-factor step. */
  render(): TemplateResult {
    return renderMfaStep(this)
  }

  /** The links to the other factors (under the code step of the SMS second factor). */
  links(): TemplateResult {
    return otherFactors(this)
  }
}
