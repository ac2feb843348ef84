import { html, nothing } from 'lit'
import type { TemplateResult } from 'lit'
import { keyed } from 'lit/directives/keyed.js'
import type { MfaMethod } from '../../api/types.js'
import { linkButton, submitButton } from '../../parts/messages.js'
import type { SecondFactor } from '../second-factor.js'

/** The links to the other factors the API offered for this sign-in (exactly those). */
export function otherFactors(f: SecondFactor): TemplateResult {
  const h = f.host
  const t = h.t
  const label: Record<MfaMethod, string> = {
    totp: t.useTotp,
    backup_code: t.useBackupCode,
    sms: t.useSms,
    password: t.useAccountPassword,
  }
  const busy = (m: MfaMethod) => m === 'sms' && h.req.pending && h.vc.busy === 'start'
  return html`<div class="row">
    ${f.others.map((m) => linkButton(label[m], () => f.use(m), busy(m), t))}
  </div>`
}

/** The second factor: an authenticator code, the password, a backup code, or an SMS to send. */
export function renderMfaStep(f: SecondFactor): TemplateResult {
  const m = f.method
  return html`<p>${f.host.t.mfaIntro}</p>
    ${m === 'sms' ? renderSend(f) : keyed(m, renderSecret(f, m))} ${otherFactors(f)}`
}

/** SMS is sent as the step opens; the button is there while it goes and to try again. */
function renderSend(f: SecondFactor): TemplateResult {
  const h = f.host
  const send = (e: Event) => {
    e.preventDefault()
    if (!h.req.pending) void f.sendSms()
  }
  return html`<form part="form" novalidate @submit=${send}>
    ${submitButton(h.t.useSms, h.req.pending, h.t)}
  </form>`
}

function renderSecret(f: SecondFactor, m: Exclude<MfaMethod, 'sms'>): TemplateResult {
  const h = f.host
  const t = h.t
  const totp = m === 'totp'
  const password = m === 'password'
  const id = password ? 'mfa-password' : 'mfa-code'
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    h.clearErrors()
    const input = (e.target as HTMLFormElement).elements.namedItem(id) as HTMLInputElement
    // Passwords are taken as typed; codes lose the spaces people type or paste.
    const value = password ? input.value : input.value.replace(/\s/g, '')
    if (!value) {
      input.focus()
      return h.showFieldError(t.required)
    }
    void f.submit(value)
  }
  const onInput = (e: Event) => {
    if (!totp) return
    const input = e.target as HTMLInputElement
    input.value = input.value.replace(/\D/g, '').slice(0, 6)
    if (input.value.length === 6 && !h.req.pending) void f.submit(input.value)
  }
  const label = totp ? t.totpLabel : password ? t.passwordLabel : t.backupCodeLabel
  return html`<form part="form" novalidate @submit=${submit}>
    <label for=${id} part="label">${label}</label>
    <input
      id=${id}
      name=${id}
      part=${password ? 'input password' : 'input code'}
      class=${totp ? 'code' : ''}
      type=${password ? 'password' : 'text'}
      dir=${password ? nothing : 'ltr'}
      autocomplete=${password ? 'current-password' : 'one-time-code'}
      inputmode=${totp ? 'numeric' : 'text'}
      maxlength=${password ? '128' : nothing}
      spellcheck="false"
      autocapitalize="off"
      aria-describedby="error"
      aria-invalid=${h.req.error?.code === 'invalid_credentials' ? 'true' : 'false'}
      @input=${onInput}
    />
    ${submitButton(t.continue, h.req.pending, t)}
  </form>`
}
