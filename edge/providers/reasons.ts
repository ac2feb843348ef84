/**
 * Why a provider did not take a message, as a typed reason rather than a text to match: each
 * provider's `errors.ts` turns its own codes and words into one of these, and everything else
 * (the router, `invalid_phone` in messages/deliver.ts) reads the reason, never the text.
 */

/** Another provider may do better: the trouble is this provider's, or our account with it. */
export const RETRYABLE_REASONS = [
  /** Our account at the provider is out of credit: a top-up fixes it, another provider delivers. */
  'balance',
  'rate_limited',
  /** 5xx, an internal error, a refused or reset connection. */
  'temporary',
  /** An answer we do not understand (a 2xx without a message id, a proxy page). */
  'unexpected',
  /** This provider cannot carry this message as configured (2Factor.in notices without a sender id). */
  'cannot_carry',
] as const

/** The same answer on every try, here or elsewhere; the first two are about the number itself. */
export const PERMANENT_REASONS = [
  /** Not a valid, reachable or mobile number: the user's to fix (`invalid_phone`). */
  'invalid_number',
  /** The recipient opted out (STOP, DND): also `invalid_phone`. */
  'opted_out',
  /** Credentials refused, account inactive or suspended. */
  'auth',
  /** Our integration is wrong: a credential missing, a bad sender, an invalid base URL. */
  'config',
  /** A destination or channel this provider never takes. */
  'unsupported',
  /** Any other refusal of this request. */
  'refused',
] as const

export type RetryableReason = (typeof RETRYABLE_REASONS)[number]
export type PermanentReason = (typeof PERMANENT_REASONS)[number]
export type FailureReason = RetryableReason | PermanentReason

export function isRetryable(reason: FailureReason): reason is RetryableReason {
  return (RETRYABLE_REASONS as readonly string[]).includes(reason)
}

/** Whether the refusal is about the destination: the caller answers `invalid_phone`. */
export function refusesNumber(reason: FailureReason | undefined): boolean {
  return reason === 'invalid_number' || reason === 'opted_out'
}

/** 5xx, 429 and 408 are the provider's momentary trouble: another provider may do better. */
export function statusReason(status: number): RetryableReason | undefined {
  if (status === 429) return 'rate_limited'
  return status >= 500 || status === 408 ? 'temporary' : undefined
}

export const is2xx = (status: number): boolean => status >= 200 && status < 300
