import { html, nothing } from 'lit'
import type { TemplateResult } from 'lit'
import type { VerificationController } from '../controllers/verification.js'
import type { Strings } from '../i18n/index.js'
import { submitButton } from './messages.js'

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
}

const DEAD_ENDS = new Set([
  'too_many_attempts',
  'verification_expired',
  'verification_used',
  'verification_not_found',
])

/** Takes the digits of whatever was typed or pasted, up to the code length. */
function digits(text: string, max: number): string {
  return text.replace(/\D/g, '').slice(0, max)
}

/**
 * The code step: one field (`autocomplete=one-time-code`, numeric keyboard) that takes a pasted
 * code and submits by itself when complete; a countdown, then resend and call-me.
 */
export function codeEntry(o: CodeEntryOptions): TemplateResult {
  const { t, vc } = o
  const v = vc.current
  const len = vc.codeLength
  const deadEnd = o.errorCode !== undefined && DEAD_ENDS.has(o.errorCode)
  const fill = (input: HTMLInputElement, text: string) => {
    input.value = digits(text, len)
    if (input.value.length === len && !o.pending) o.onCode(input.value)
  }
  const submit = (e: Event) => {
    e.preventDefault()
    const input = (e.target as HTMLFormElement).elements.namedItem('code') as HTMLInputElement
    if (input.value.length === len) o.onCode(input.value)
    else input.focus()
  }
  const paste = (e: ClipboardEvent) => {
    const text = e.clipboardData?.getData('text')
    if (!text) return
    e.preventDefault()
    fill(e.target as HTMLInputElement, text)
  }
  return html`
    <p>${v ? (v.channel === 'voice' ? t.callPlaced(v.to) : t.codeSent(v.to)) : nothing}</p>
    <form part="form" novalidate @submit=${submit}>
      <label for="code">${t.codeLabel}</label>
      <input
        id="code"
        name="code"
        class="code"
        part="code"
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
      ${submitButton(t.verify, o.pending, t)}
    </form>
    <div class="row">
      ${
        deadEnd
          ? html`<button type="button" class="link" @click=${() => vc.restart()}>
              ${t.resend}
            </button>`
          : vc.countdown.remaining > 0
            ? html`<p class="muted" aria-live="off">${t.resendIn(vc.countdown.remaining)}</p>`
            : html`<button type="button" class="link" @click=${() => vc.resend('sms')}>
                  ${t.resend}
                </button>
                ${
                  o.voice
                    ? html`<button type="button" class="link" @click=${() => vc.resend('voice')}>
                        ${t.callMe}
                      </button>`
                    : nothing
                }`
      }
      ${
        o.onBack
          ? html`<button type="button" class="link" @click=${o.onBack}>${t.changeNumber}</button>`
          : nothing
      }
    </div>
  `
}
