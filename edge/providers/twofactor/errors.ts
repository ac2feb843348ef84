/**
 * 2Factor.in's error answers (docs/providers.md): `{"Status":"Error","Details":…}`, texts only.
 * "Invalid API Key" and "Invalid Phone Number…" are permanent. Balance, credit or quota errors
 * are retryable: the account at 2Factor.in is empty, not the destination wrong, so another
 * provider can still deliver. Rate limits and 5xx/429 likewise. Anything else (DLT or template
 * mismatch, a number in DND…) is a refusal of this request: permanent.
 */
import { is2xx, statusReason } from '../reasons.js'
import type { Classify } from '../types.js'

export const classify: Classify = ({ status, text }) => {
  // No envelope: not an answer we understand.
  if (text === undefined) return is2xx(status) ? 'unexpected' : (statusReason(status) ?? 'refused')
  if (/api key/i.test(text)) return 'auth'
  if (/phone number|mobile number/i.test(text)) {
    return /^\s*invalid phone number/i.test(text) ? 'invalid_number' : 'refused'
  }
  if (/balance|credit|quota|insufficient/i.test(text)) return 'balance'
  if (/limit|too many|throttl/i.test(text)) return 'rate_limited'
  const momentary = statusReason(status)
  if (momentary) return momentary
  return /^\s*number is in dnd/i.test(text) ? 'opted_out' : 'refused'
}
