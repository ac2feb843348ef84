/**
 * Clickatell's error answers (docs/providers.md): `errorCode`/`error`, sometimes inside a 200.
 * Worth another provider: 18/19 internal error, 43 rate limit, and 20 insufficient balance (our
 * account at Clickatell, not the destination: another provider can deliver, and a top-up fixes
 * it without touching the configuration). Every other code is about the request or the
 * integration and gives the same answer on every try.
 */
import { is2xx, isRetryable, statusReason, type FailureReason } from '../reasons.js'
import type { Classify } from '../types.js'

const CODES: Record<string, FailureReason> = {
  18: 'temporary',
  19: 'temporary',
  20: 'balance',
  43: 'rate_limited',
  1: 'auth', // bad or missing key
  2: 'auth', // account inactive
  3: 'auth', // integration inactive
  7: 'auth', // IP address not approved
  25: 'invalid_number', // invalid recipient
  26: 'opted_out',
  44: 'config', // bad `from`
  45: 'config', // `from` not a two-way number of the integration
}

export const classify: Classify = ({ status, code, text }) => {
  // No error in the body at all: a 2xx without an id says nothing went out.
  if (code === undefined && text === undefined) {
    return is2xx(status) ? 'unexpected' : (statusReason(status) ?? 'refused')
  }
  const known = code !== undefined && Object.hasOwn(CODES, code) ? CODES[code] : undefined
  if (known && isRetryable(known)) return known
  // One API's errors may come as text alone.
  if (code === undefined && /balance|credit/i.test(text ?? '')) return 'balance'
  if (code === undefined && /rate limit|too many|throttl/i.test(text ?? '')) return 'rate_limited'
  const momentary = statusReason(status)
  if (momentary) return momentary
  if (known) return known
  // The in-200 "Invalid recipient address" has no code.
  if (code === undefined && /^\s*invalid recipient/i.test(text ?? '')) return 'invalid_number'
  return 'refused'
}
