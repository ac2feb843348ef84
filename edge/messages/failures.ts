/**
 * Why a message did not go out, in the terms the callers act on: a number the providers refuse
 * (`invalid_phone`), or our own trouble (`provider_unavailable`), and whether it may arrive anyway.
 */
import { ApiError } from '../http/errors.js'

/** No provider took the message; `mayHaveSent` when one timed out on the way (it may arrive). */
export class NotDelivered extends ApiError {
  constructor(
    code: 'provider_unavailable' | 'invalid_phone',
    detail: string,
    readonly mayHaveSent: boolean,
  ) {
    super(code, detail)
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

/**
 * The clients' documented codes and texts for "this destination cannot take messages" (see
 * shared/providers.md §1.5, §2.6, §3.4, §4.1): Twilio 21211 invalid To, 21610 opted out, 21612
 * unroutable, 21614 not a mobile, 13223/13224 invalid number for calls; Clickatell 25/26 and its
 * in-200 "Invalid recipient address"; Smstools 103/106/131; 2Factor.in invalid number and DND.
 */
const NUMBER_REJECTIONS = [
  /^twilio (?:21211|21610|21612|21614|13223|13224)\b/,
  /^clickatell (?:25|26)\b/,
  /^clickatell: invalid recipient/i,
  /^smstools (?:103|106|131)\b/,
  /^twofactor: (?:invalid phone number|number is in dnd)/i,
]

export function numberRejected(error: string | undefined): boolean {
  return error !== undefined && NUMBER_REJECTIONS.some((re) => re.test(error))
}
