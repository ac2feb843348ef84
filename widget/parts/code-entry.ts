import { html, nothing } from 'lit'
import type { TemplateResult } from 'lit'
import type { Busy, VerificationController } from '../controllers/verification.js'
import type { Strings } from '../i18n/index.js'
import { linkButton, submitButton } from './messages.js'

export interface CodeEntryOptions {
  t: Strings
  vc: VerificationController
  pending: boolean
  /** Whether the API offers voice calls (from `/v1/config`). */
  voice: boolean
  /** The last error code, to offer a fresh code after lockout or expiry. */
  errorCode?: string
  onCode: (code: string) => void
  onBack?: () => void
  /** The way back's label (default: "Use a different number"). */
  backLabel?: string
}

/** Where the code went, the number reading left to right inside any sentence (Arabic too). */
function sentLine(t: Strings, vc: VerificationController): TemplateResult {
  const [before, after = ''] = vc.sentText(t, '\u0000').split('\u0000')
  return html`${before}<span dir="ltr">${vc.destination}</span>${after}`
}

/** Takes the digits of whatever was typed or pasted, up to the code length. */
function digits(text: string, max: number): string {
  return text.replace(/\D/g, '').slice(0, max)
}

/**
 * The code step: one field (`autocomplete=one-time-code`, numeric keyboard) that takes a pasted
 * code and submits by itself when complete; a countdown, then resend and call-me. While a request
 * is on its way the control that asked for it shows it, and nothing is sent twice.
 */
export function codeEntry(o: CodeEntryOptions): TemplateResult {
  const { t, vc } = o
  const v = vc.current
  const len = vc.codeLength
  const deadEnd = vc.deadEnd
  const busy = (b: Busy) => o.pending && vc.busy === b
  const fill = (input: HTMLInputElement, text: string) => {
    input.value = digits(text, len)
    if (input.value.length === len && !o.pending) o.onCode(input.value)
  }
  const submit = (e: Event) => {
    e.preventDefault()
    if (o.pending) return
    const input = (e.target as HTMLFormElement).elements.namedItem('code') as HTMLInputElement
    if (input.value.length === len && !input.disabled) o.onCode(input.value)
    else input.focus()
  }
  const paste = (e: ClipboardEvent) => {
    const text = e.clipboardData?.getData('text')
    if (!text) return
    e.preventDefault()
    fill(e.target as HTMLInputElement, text)
  }
  return html`
    <p>${v ? sentLine(t, vc) : nothing}</p>
    <form part="form" novalidate @submit=${submit}>
      <label for="code" part="label">${t.codeLabel}</label>
      <input
        id="code"
        name="code"
        class="code"
        part="input code"
        type="text"
        dir="ltr"
        autocomplete="one-time-code"
        inputmode="numeric"
        pattern="[0-9]*"
        spellcheck="false"
        aria-describedby="error"
        aria-invalid=${o.errorCode === 'invalid_code' ? 'true' : 'false'}
        ?disabled=${deadEnd}
        @input=${(e: Event) => fill(e.target as HTMLInputElement, (e.target as HTMLInputElement).value)}
        @paste=${paste}
      />
      ${submitButton(t.verify, o.pending && (vc.busy === 'check' || vc.busy === undefined), t)}
    </form>
    <div class="row">
      ${
        deadEnd
          ? linkButton(t.resend, () => vc.restart(), busy('new'), t, 'code-new')
          : vc.countdown.remaining > 0
            ? html`<p class="muted" part="countdown" aria-live="off">
                ${t.resendIn(vc.countdown.remaining)}
              </p>`
            : html`${linkButton(t.resend, () => vc.resend('sms'), busy('sms'), t)}
              ${o.voice ? linkButton(t.callMe, () => vc.resend('voice'), busy('voice'), t) : nothing}`
      }
      ${o.onBack ? linkButton(o.backLabel ?? t.changeNumber, o.onBack, false, t) : nothing}
    </div>
  `
}
