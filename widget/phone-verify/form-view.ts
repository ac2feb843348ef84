import { html } from 'lit'
import { codeEntry } from '../parts/code-entry.js'
import { submitButton } from '../parts/messages.js'
import { phoneField } from '../parts/phone-field.js'
import type { PhoneVerify } from './phone-verify.js'

/** Form mode (no token): verify a number in place; the form submits it once verified. */
export function renderFormView(h: PhoneVerify) {
  const t = h.t
  if (h.view === 'code') {
    return codeEntry({
      t,
      vc: h.vc,
      pending: h.req.pending,
      voice: h.config?.channels?.includes('voice') ?? true,
      errorCode: h.req.error?.code,
      onCode: (code) => void h.submitCode(code),
      onBack: () => h.cancel(),
    })
  }
  const code = h.req.error?.code
  const invalid = code === 'invalid_phone' || code === 'country_not_allowed'
  const onInput = () => {
    if (h.verifiedPhone) h.unverify()
    if (invalid) h.clearErrors()
  }
  // A form of the shadow tree, so not nested in the page's form: Enter verifies the number.
  return html`<form part="form" novalidate @submit=${(e: Event) => h.submitPhone(e)}>
    ${phoneField(t, invalid, onInput)}
    ${
      h.verifiedPhone
        ? html`<p class="success">✓ ${t.phoneVerified(h.verifiedPhone)}</p>`
        : submitButton(t.verifyNumber, h.req.pending, t)
    }
  </form>`
}
