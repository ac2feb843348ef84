import { html, nothing } from 'lit'
import type { TemplateResult } from 'lit'
import { keyed } from 'lit/directives/keyed.js'
import { codeEntry } from '../parts/code-entry.js'
import { submitButton } from '../parts/messages.js'
import type { ReauthFlow } from './reauth-flow.js'

/** "Confirm it's you": a heading, the current factor's field, links to the others, and Cancel. */
export function renderReauth(f: ReauthFlow): TemplateResult {
  const { host: h, method: m } = f
  const r = f.t
  const sent = m === 'sms' && f.vc.current !== undefined
  return html`<section aria-labelledby="reauth-title">
    <h3 id="reauth-title" part="subheading">${r.title}</h3>
    ${sent ? nothing : html`<p>${r.intro[m]}</p>`}
    ${m === 'sms' ? renderSms(f) : keyed(m, renderSecret(f))}
    <div class="row">
      ${f.methods
        .filter((x) => x !== m)
        .map(
          (x) =>
            html`<button type="button" class="link" part="link" @click=${() => f.use(x)}>
              ${r.switchTo[x]}
            </button>`,
        )}
      <button type="button" class="link" part="link" @click=${() => f.cancel()}>
        ${h.t.cancel}
      </button>
    </div>
  </section>`
}

/** The code entry once the code is sent; before that (or after a failed send) a send button. */
function renderSms(f: ReauthFlow): TemplateResult {
  const h = f.host
  const t = h.t
  if (!f.vc.current) {
    const send = (e: Event) => {
      e.preventDefault()
      if (!h.req.pending) void f.sendCode()
    }
    return html`<form part="form" novalidate @submit=${send}>
      ${submitButton(t.sendCode, h.req.pending, t)}
    </form>`
  }
  return codeEntry({
    t,
    vc: f.vc,
    pending: h.req.pending,
    voice: h.config?.channels?.includes('voice') ?? true,
    errorCode: h.req.error?.code,
    onCode: (code) => void f.checkCode(code),
  })
}

/** One field for a password, an authenticator code (sent by itself at six digits) or a backup code. */
function renderSecret(f: ReauthFlow): TemplateResult {
  const h = f.host
  const t = h.t
  const totp = f.method === 'totp'
  const password = f.method === 'password'
  const label = totp ? t.totpLabel : password ? t.passwordLabel : t.backupCodeLabel
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    h.clearErrors()
    const input = (e.target as HTMLFormElement).elements.namedItem(
      'reauth-secret',
    ) as HTMLInputElement
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
  return html`<form part="form" novalidate @submit=${submit}>
    <label for="reauth-secret" part="label">${label}</label>
    <input
      id="reauth-secret"
      name="reauth-secret"
      part=${password ? 'input password' : 'input code'}
      class=${totp ? 'code' : ''}
      type=${password ? 'password' : 'text'}
      dir=${password ? nothing : 'ltr'}
      autocomplete=${password ? 'current-password' : 'one-time-code'}
      inputmode=${totp ? 'numeric' : 'text'}
      maxlength=${totp ? '6' : password ? '128' : nothing}
      spellcheck="false"
      autocapitalize="off"
      aria-describedby="error"
      aria-invalid=${h.req.error?.code === 'invalid_credentials' ? 'true' : 'false'}
      @input=${onInput}
    />
    ${submitButton(f.t.confirm, h.req.pending, t)}
  </form>`
}
