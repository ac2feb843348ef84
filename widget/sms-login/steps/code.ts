import { html } from 'lit'
import { codeEntry } from '../../parts/code-entry.js'
import type { SmsLogin } from '../sms-login.js'

export function renderCodeStep(h: SmsLogin) {
  // The SMS second factor goes to the account's phone: no other number, but the other factors.
  const second = h.second?.bySms ? h.second : undefined
  const entry = codeEntry({
    t: h.t,
    vc: h.vc,
    pending: h.req.pending,
    voice: h.config?.channels?.includes('voice') ?? true,
    errorCode: h.req.error?.code,
    onCode: (code) => void h.submitCode(code),
    onBack: second ? undefined : () => h.back(),
  })
  return second ? html`${entry}${second.links()}` : entry
}
