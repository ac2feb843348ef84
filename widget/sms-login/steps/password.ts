import { html, nothing } from 'lit'
import { submitButton } from '../../parts/messages.js'
import { openReset } from '../reset-entry.js'
import type { SmsLogin } from '../sms-login.js'
import { emailField, nameField, readNameEmail } from './details.js'

/** Email + password sign-in, or registration with a name (the `password` attribute). */
export function renderPasswordStep(h: SmsLogin) {
  const t = h.t
  const reg = h.passwordRegister
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    h.clearErrors()
    const form = e.target as HTMLFormElement
    const v = readNameEmail(h, form)
    if (!v) return
    const pw = form.elements.namedItem('password') as HTMLInputElement
    if (!pw.value) return h.showFieldError(t.required)
    if (reg && pw.value.length < 8) return h.showFieldError(t.passwordShort)
    void h.submitPassword(v.email, pw.value, v.name)
  }
  const toggle = () => {
    h.passwordRegister = !reg
    h.go('password')
  }
  return html`<form part="form" novalidate @submit=${submit}>
      ${reg ? nameField(t) : nothing} ${emailField(t)}
      <label for="password" part="label">${t.passwordLabel}</label>
      <input
        id="password"
        name="password"
        part="input password"
        type="password"
        autocomplete=${reg ? 'new-password' : 'current-password'}
        minlength=${reg ? 8 : 1}
        maxlength="128"
        required
        aria-describedby="error"
      />
      ${submitButton(reg ? t.createAccount : t.signIn, h.req.pending, t)}
    </form>
    <div class="row">
      ${
        reg
          ? nothing
          : html`<button type="button" class="link" part="link" @click=${() => openReset(h)}>
              ${t.forgotPassword}
            </button>`
      }
      <button type="button" class="link" part="link" @click=${toggle}>
        ${reg ? t.haveAccount : t.noAccount}
      </button>
      <button type="button" class="link" part="link" @click=${() => h.go('phone')}>
        ${t.usePhone}
      </button>
    </div>`
}
