import { codeEntry } from '../../parts/code-entry.js'
import type { SmsLogin } from '../sms-login.js'

export function renderCodeStep(h: SmsLogin) {
  return codeEntry({
    t: h.t,
    vc: h.vc,
    pending: h.req.pending,
    voice: h.config?.channels?.includes('voice') ?? true,
    errorCode: h.req.error?.code,
    onCode: (code) => void h.submitCode(code),
    onBack: () => h.back(),
  })
}
