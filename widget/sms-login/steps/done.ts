import { html } from 'lit'
import type { SmsLogin } from '../sms-login.js'

export function renderDoneStep(h: SmsLogin) {
  const t = h.t
  return html`<p class="success">${t.signedInAs(h.user?.name ?? '')}</p>
    <button type="button" class="primary" part="button" @click=${() => h.logout()}>
      ${t.signOut}
    </button>`
}
