import { html, nothing } from 'lit'
import type { MfaMethod } from '../../api/types.js'
import { submitButton } from '../../parts/messages.js'
import type { SmsLogin } from '../sms-login.js'

/** The second factor: authenticator app code or backup code; SMS only after a password. */
export function renderMfaStep(h: SmsLogin) {
  const t = h.t
  const methods = h.mfa?.methods ?? []
  const totp = h.mfaMethod === 'totp'
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    h.clearErrors()
    const input = (e.target as HTMLFormElement).elements.namedItem('mfa-code') as HTMLInputElement
    const code = input.value.replace(/\s/g, '')
    if (!code) return h.showFieldError(t.required)
    void h.submitMfa(code)
  }
  const onInput = (e: Event) => {
    const input = e.target as HTMLInputElement
    if (!totp) return
    input.value = input.value.replace(/\D/g, '').slice(0, 6)
    if (input.value.length === 6 && !h.req.pending) void h.submitMfa(input.value)
  }
  const pick = (m: MfaMethod) => {
    h.mfaMethod = m
    h.clearErrors()
    h.go('mfa')
  }
  return html`<p>${t.mfaIntro}</p>
    <form part="form" novalidate @submit=${submit}>
      <label for="mfa-code">${totp ? t.totpLabel : t.backupCodeLabel}</label>
      <input
        id="mfa-code"
        name="mfa-code"
        part="code"
        class=${totp ? 'code' : ''}
        dir="ltr"
        autocomplete="one-time-code"
        inputmode=${totp ? 'numeric' : 'text'}
        spellcheck="false"
        aria-describedby="error"
        @input=${onInput}
      />
      ${submitButton(t.continue, h.req.pending, t)}
    </form>
    <div class="row">
      ${
        !totp && methods.includes('totp')
          ? html`<button type="button" class="link" @click=${() => pick('totp')}>
              ${t.useTotp}
            </button>`
          : nothing
      }
      ${
        totp && methods.includes('backup_code')
          ? html`<button type="button" class="link" @click=${() => pick('backup_code')}>
              ${t.useBackupCode}
            </button>`
          : nothing
      }
      ${
        methods.includes('sms')
          ? html`<button type="button" class="link" @click=${() => h.startMfaSms()}>
              ${t.useSms}
            </button>`
          : nothing
      }
    </div>`
}
