/**
 * Why a message did not go out, in the terms the callers act on: a number the providers refuse
 * (`invalid_phone`), or our own trouble (`provider_unavailable`), and whether it may arrive anyway.
 */
import { ApiError } from '../http/errors.js'

/** What a `provider_unavailable` 503 asks for in `Retry-After`, in seconds. */
export const PROVIDER_RETRY_AFTER_S = 30

/** No provider took the message; `mayHaveSent` when one timed out on the way (it may arrive). */
export class NotDelivered extends ApiError {
  constructor(
    code: 'provider_unavailable' | 'invalid_phone',
    detail: string,
    readonly mayHaveSent: boolean,
  ) {
    super(
      code,
      detail,
      code === 'provider_unavailable' ? { retryAfter: PROVIDER_RETRY_AFTER_S } : {},
    )
  }
}

/**
 * Whether `err` means that no message went out because of us (every provider failed, none is
 * configured, our account was refused): the limits the send took can be given back. A number a
 * provider refused (`invalid_phone`) keeps counting, so probing numbers stays bounded.
 */
export function nothingSent(err: unknown): boolean {
  return err instanceof NotDelivered && err.code === 'provider_unavailable' && !err.mayHaveSent
}
