import { html, nothing } from 'lit'
import type { TemplateResult } from 'lit'
import { codeEntry } from '../parts/code-entry.js'
import { submitButton } from '../parts/messages.js'
import { phoneField } from '../parts/phone-field.js'
import type { PhoneVerify } from './phone-verify.js'

/**
 * Form mode (no token): verify a number in place; the form submits it once verified. The phone
 * form stays in the DOM while hidden, so the number typed and its country picker outlive the code
 * step and the verified view ("Use a different number" and "Change phone" go back to it as typed).
 */
export function renderFormView(h: PhoneVerify): TemplateResult {
  const t = h.t
  const code = h.req.error?.code
  const invalid = code === 'invalid_phone' || code === 'country_not_allowed'
  const onInput = () => {
    if (h.verifiedPhone) h.unverify()
    if (invalid) h.clearErrors()
    h.control.sync()
  }
  const verified = h.view === 'verified' ? h.verifiedPhone : undefined
  // A form of the shadow tree, so not nested in the page's form: Enter verifies the number.
  return html`${verified ? renderVerified(h, verified) : nothing}
    <form
      part="form"
      novalidate
      ?hidden=${h.view !== 'overview'}
      @submit=${(e: Event) => h.submitPhone(e)}
    >
      ${phoneField(t, invalid, onInput)} ${submitButton(t.verifyNumber, h.req.pending, t)}
      ${
        h.verifiedPhone
          ? html`<button type="button" class="link" part="link" @click=${() => h.keepVerified()}>
              ${t.cancel}
            </button>`
          : nothing
      }
    </form>
    ${
      h.view === 'code'
        ? codeEntry({
            t,
            vc: h.vc,
            pending: h.req.pending,
            voice: h.config?.channels?.includes('voice') ?? true,
            errorCode: h.req.error?.code,
            onCode: (c) => void h.submitCode(c),
            onBack: () => h.cancel(),
          })
        : nothing
    }`
}

/** The verified number with its mark, and the way back to the field to change it. */
function renderVerified(h: PhoneVerify, phone: string): TemplateResult {
  const t = h.t
  return html`<div class="verified" part="verified" role="group" aria-labelledby="verified-label">
    <span class="label" part="label" id="verified-label">${t.phoneLabel}</span>
    <span class="number" part="number" dir="ltr">${phone}</span>
    <span class="success" part="verified-mark"
      ><span aria-hidden="true">✓ </span>${t.verified}</span
    >
    <button type="button" class="link" part="link" data-focus @click=${() => h.changeVerified()}>
      ${t.pvChange}
    </button>
  </div>`
}
