import { html } from 'lit'
import { submitButton } from '../../parts/messages.js'
import type { SmsLogin } from '../sms-login.js'

/** Reads `name` and `email` fields of a form, reporting the first problem; undefined if any. */
export function readNameEmail(
  h: SmsLogin,
  form: HTMLFormElement,
): { name: string; email: string } | undefined {
  const name = form.elements.namedItem('name') as HTMLInputElement | null
  const email = form.elements.namedItem('email') as HTMLInputElement
  for (const input of [name, email]) {
    if (!input) continue
    input.setAttribute('aria-invalid', 'false')
    const value = input.value.trim()
    const problem = !value ? h.t.required : !input.checkValidity() ? h.t.emailInvalid : undefined
    if (problem) {
      input.setAttribute('aria-invalid', 'true')
      h.showFieldError(problem)
      input.focus()
      return undefined
    }
  }
  return { name: name?.value.trim() ?? '', email: email.value.trim() }
}

/** The name field of the details and password steps (read back by readNameEmail). */
export function nameField(t: SmsLogin['t']) {
  return html`<label for="name" part="label">${t.nameLabel}</label>
    <input
      id="name"
      name="name"
      part="input name"
      autocomplete="name"
      maxlength="100"
      required
      aria-describedby="error"
    />`
}

/** The email field of the details and password steps (read back by readNameEmail). */
export function emailField(t: SmsLogin['t']) {
  return html`<label for="email" part="label">${t.emailLabel}</label>
    <input
      id="email"
      name="email"
      part="input email"
      type="email"
      autocomplete="email"
      maxlength="254"
      required
      aria-describedby="error"
    />`
}

export function renderDetailsStep(h: SmsLogin) {
  const t = h.t
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    h.clearErrors()
    const v = readNameEmail(h, e.target as HTMLFormElement)
    if (v) void h.submitDetails(v.name, v.email)
  }
  return html`<p>${t.detailsIntro}</p>
    <form part="form" novalidate @submit=${submit}>
      ${nameField(t)} ${emailField(t)} ${submitButton(t.createAccount, h.req.pending, t)}
    </form>`
}
