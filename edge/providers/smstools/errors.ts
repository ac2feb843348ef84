/**
 * Smstools' error answers (docs/providers.md): `{error, errorMsg}`, `error` a numeric code as a
 * string, or a sentence ("error parsing json"). Worth another provider: 105 "server problems,
 * retry later", and 108 "not enough credits" (our account at Smstools, not the destination).
 * All others are permanent: 102/109–112/114/118/121 are requests this provider always refuses.
 */
import { is2xx, isRetryable, statusReason, type FailureReason } from '../reasons.js'
import type { Classify } from '../types.js'

const CODES: Record<string, FailureReason> = {
  105: 'temporary',
  108: 'balance',
  103: 'invalid_number',
  106: 'invalid_number',
  131: 'opted_out',
  104: 'auth', // credentials
  116: 'auth', // access
  200: 'auth',
  1002: 'auth',
}

export const classify: Classify = ({ status, code }) => {
  if (code === undefined) return is2xx(status) ? 'unexpected' : (statusReason(status) ?? 'refused')
  const known = Object.hasOwn(CODES, code) ? CODES[code] : undefined
  if (known && isRetryable(known)) return known
  return statusReason(status) ?? known ?? 'refused'
}
