import { html, nothing } from 'lit'
import { phoneField } from '../../parts/phone-field.js'
import { submitButton } from '../../parts/messages.js'
import type { SmsLogin } from '../sms-login.js'

export function renderPhoneStep(h: SmsLogin) {
  const t = h.t
  const code = h.req.error?.code
  const invalid = code === 'invalid_phone' || code === 'country_not_allowed'
  return html`<form part="form" novalidate @submit=${(e: Event) => h.submitPhone(e)}>
      ${phoneField(t, invalid, () => invalid && h.clearErrors())}
      ${submitButton(t.sendCode, h.req.pending || h.checking, t)}
    </form>
    ${
      h.passwordEnabled
        ? html`<button type="button" class="link" part="link" @click=${() => h.go('password')}>
            ${t.usePassword}
          </button>`
        : nothing
    }`
}
