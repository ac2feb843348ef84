/**
 * Twilio's error answers (docs/providers.md): `{code, message}` with a 4xx or 5xx, `code` a number.
 * Its own "try again later" codes and any 5xx/429/408 are retryable. Every other code is about
 * this request, and sending it again, here or elsewhere, gives the same answer. Twilio has no
 * balance error: an account out of funds is suspended (10001/20003), so it is `auth`.
 */
import { is2xx, statusReason, type FailureReason } from '../reasons.js'
import type { Classify } from '../types.js'

const CODES: Record<string, FailureReason> = {
  20429: 'rate_limited', // too many requests
  20500: 'temporary', // internal error
  20503: 'temporary', // service unavailable
  21211: 'invalid_number', // invalid To
  21612: 'invalid_number', // unroutable
  21614: 'invalid_number', // not a mobile number
  13223: 'invalid_number', // invalid number for a call
  13224: 'invalid_number',
  21610: 'opted_out', // the recipient replied STOP
  20003: 'auth', // authenticate (also a suspended account)
  10001: 'auth', // account not active
  21212: 'config', // invalid From
  21606: 'config', // From is not a Twilio number able to send
  21608: 'config', // an unverified number on a trial account
}

export const classify: Classify = ({ status, code }) => {
  const momentary = statusReason(status)
  if (momentary) return momentary
  if (code === undefined) return is2xx(status) ? 'unexpected' : 'refused'
  return (Object.hasOwn(CODES, code) ? CODES[code] : undefined) ?? 'refused'
}
