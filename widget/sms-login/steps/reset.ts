import { html, nothing } from 'lit'
import type { TemplateResult } from 'lit'
import { keyed } from 'lit/directives/keyed.js'
import { codeEntry } from '../../parts/code-entry.js'
import { linkButton, submitButton } from '../../parts/messages.js'
import { phoneField } from '../../parts/phone-field.js'
import type { ResetFlow } from '../reset-flow.js'
import { readNameEmail } from './details.js'

/** The reset's current stage (reset-flow.ts). */
export function renderResetStage(f: ResetFlow): TemplateResult {
  switch (f.stage) {
    case 'code':
      return renderCode(f)
    case 'password':
      return renderPassword(f)
    case 'expired':
      return html`<button type="button" class="primary" part="button" @click=${() => f.restart()}>
          ${f.t.startAgain}
        </button>
        <div class="row">${linkButton(f.t.back, () => f.leave(), false, f.host.t)}</div>`
    default:
      return renderIdentify(f)
  }
}

/** The account by its phone (the login's phone field) or by its email. */
function renderIdentify(f: ResetFlow): TemplateResult {
  const h = f.host
  const { t } = h
  const r = f.t
  const code = h.req.error?.code
  const invalid = code === 'invalid_phone' || code === 'country_not_allowed'
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    if (!f.byEmail) return void f.submitPhone()
    h.clearErrors()
    const v = readNameEmail(h, e.target as HTMLFormElement)
    if (v) void f.submitEmail(v.email)
  }
  const field = f.byEmail
    ? html`<label for="email" part="label">${t.emailLabel}</label>
        <input
          id="email"
          name="email"
          part="input email"
          type="email"
          autocomplete="username"
          maxlength="254"
          required
          aria-describedby="error"
          .value=${f.email}
        />`
    : phoneField(t, invalid, () => invalid && h.clearErrors())
  return html`<p>${r.intro}</p>
    <form part="form" novalidate @submit=${submit}>
      ${keyed(f.byEmail, field)} ${submitButton(t.sendCode, h.req.pending || f.checking, t)}
    </form>
    <div class="row">
      ${linkButton(f.byEmail ? r.usePhone : r.useEmail, () => f.toggle(), false, t)}
      ${linkButton(r.back, () => f.leave(), false, t)}
    </div>`
}

function renderCode(f: ResetFlow): TemplateResult {
  const h = f.host
  return codeEntry({
    t: h.t,
    vc: f.vc,
    pending: h.req.pending,
    voice: h.config?.channels?.includes('voice') ?? true,
    errorCode: h.req.error?.code,
    onCode: (code) => void f.submitCode(code),
    onBack: () => f.restart(),
    backLabel: f.t.otherWay,
  })
}

/** The new password, and the authenticator or backup code when the account has TOTP on. */
function renderPassword(f: ResetFlow): TemplateResult {
  const h = f.host
  const { t } = h
  const r = f.t
  const err = h.req.error?.code
  const totp = f.factor === 'totp'
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    h.clearErrors()
    const form = e.target as HTMLFormElement
    const pw = form.elements.namedItem('new-password') as HTMLInputElement
    const factor = form.elements.namedItem('reset-factor') as HTMLInputElement | null
    const code = factor?.value.replace(/\s/g, '') ?? ''
    const empty = !pw.value ? pw : factor && !code ? factor : undefined
    if (empty) {
      empty.focus()
      return h.showFieldError(t.required)
    }
    if (pw.value.length < 8) {
      pw.focus()
      return h.showFieldError(t.passwordShort)
    }
    void f.submitPassword(pw.value, code || undefined)
  }
  const other = f.methods.find((m) => m !== f.factor)
  const factor = f.methods.length
    ? keyed(
        f.factor,
        html`<p>${r.factorIntro}</p>
          <label for="reset-factor" part="label">${totp ? t.totpLabel : t.backupCodeLabel}</label>
          <input
            id="reset-factor"
            name="reset-factor"
            part="input code"
            class=${totp ? 'code' : ''}
            dir="ltr"
            autocomplete="one-time-code"
            inputmode=${totp ? 'numeric' : 'text'}
            maxlength=${totp ? '6' : '64'}
            spellcheck="false"
            autocapitalize="off"
            aria-describedby="error"
            aria-invalid=${err === 'invalid_credentials' ? 'true' : 'false'}
          />`,
      )
    : nothing
  return html`<p>${r.passwordIntro}</p>
    <form part="form" novalidate @submit=${submit}>
      <label for="new-password" part="label">${r.newPassword}</label>
      <input
        id="new-password"
        name="new-password"
        part="input password"
        type="password"
        autocomplete="new-password"
        minlength="8"
        maxlength="128"
        required
        aria-describedby="error"
        aria-invalid=${err === 'invalid_request' ? 'true' : 'false'}
      />
      ${factor} ${submitButton(r.save, h.req.pending, t)}
    </form>
    <div class="row">
      ${other ? linkButton(other === 'totp' ? t.useTotp : t.useBackupCode, () => f.useFactor(other), false, t) : nothing}
      ${linkButton(r.back, () => f.leave(), false, t)}
    </div>`
}
