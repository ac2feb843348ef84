import { html, nothing } from 'lit'
import { until } from 'lit/directives/until.js'
import { submitButton } from '../parts/messages.js'
import type { PhoneVerify } from './phone-verify.js'

/** A new set of backup codes, shown once, with copy and download. */
export function renderCodesView(h: PhoneVerify) {
  const t = h.t
  const codes = h.newCodes ?? []
  const text = codes.join('\n') + '\n'
  // Said only once the clipboard took the codes: where it refuses (no permission, an insecure page)
  // the user is told to copy them another way.
  const copy = async () => {
    const ok = await navigator.clipboard?.writeText(text).then(
      () => true,
      () => false,
    )
    if (ok) h.say(t.copied)
    else h.showFieldError(t.copyFailed)
  }
  const href = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`
  return html`<p>${t.backupShownOnce}</p>
    <ul class="codes" part="codes" aria-label=${t.backupTitle}>
      ${codes.map((c) => html`<li><code dir="ltr">${c}</code></li>`)}
    </ul>
    <div class="row">
      <button type="button" class="link" part="link" @click=${copy}>${t.copy}</button>
      <a class="link" part="link" href=${href} download="backup-codes.txt">${t.download}</a>
      <button type="button" class="primary" part="button" @click=${() => h.cancel()}>
        ${t.done}
      </button>
    </div>`
}

async function qrDataUrl(url: string): Promise<string> {
  const { default: qrcode } = await import('qrcode-generator')
  const qr = qrcode(0, 'M')
  qr.addData(url)
  qr.make()
  return qr.createDataURL(4, 2)
}

const qrCache = new Map<string, Promise<string>>()

/** TOTP set-up: the QR code of the otpauth URL (drawn lazily), the key, and a confirming code. */
export function renderTotpView(h: PhoneVerify) {
  const t = h.t
  const setup = h.totp
  if (!setup) return nothing
  let qr = qrCache.get(setup.otpauthUrl)
  if (!qr) qrCache.set(setup.otpauthUrl, (qr = qrDataUrl(setup.otpauthUrl)))
  const submit = (e: Event) => {
    e.preventDefault()
    if (h.req.pending) return
    h.clearErrors()
    const input = (e.target as HTMLFormElement).elements.namedItem('totp-code') as HTMLInputElement
    const code = input.value.replace(/\D/g, '')
    if (code.length !== 6) return h.showFieldError(t.required)
    void h.account?.verifyTotp(code)
  }
  return html`<p>${t.totpScan}</p>
    ${until(
      qr.then(
        (src) => html`<img class="qr" src=${src} alt=${t.totpTitle} width="180" height="180" />`,
      ),
      html`<p class="muted">${t.loading}</p>`,
    )}
    <p class="muted">${t.totpKey} <code class="secret" dir="ltr">${setup.secret}</code></p>
    <form part="form" novalidate @submit=${submit}>
      <label for="totp-code" part="label">${t.totpLabel}</label>
      <input
        id="totp-code"
        name="totp-code"
        part="input code"
        class="code"
        dir="ltr"
        autocomplete="one-time-code"
        inputmode="numeric"
        maxlength="6"
        aria-describedby="error"
      />
      ${submitButton(t.verify, h.req.pending, t)}
    </form>
    <button type="button" class="link" part="link" @click=${() => h.cancel()}>${t.cancel}</button>`
}
