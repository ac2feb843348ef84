/**
 * Who a `password_reset` verification is for (docs/api.md, Account recovery). Anonymous and
 * enumeration-safe like a login: a number or an email with no account, or an account without a
 * verified phone, gets the same `201` and nothing is sent (a silent verification). By number, the
 * number's limits are a login's; by email, the answer never shows the account's number (`to` is
 * null) and the limits are keyed by the email (the same for an address with an account as for one
 * without, so a limit hit tells nothing either), as is the guessing budget of an email nobody has.
 */
import { findByEmail, normaliseEmail } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { ApiError } from '../http/errors.js'
import { lockedFor, phoneSubject } from '../limits/guesses.js'
import { limitOf, STARTS_PER_ADDRESS } from '../limits/policy.js'
import { normalisePhone } from '../phone.js'
import { messagesLimit, type Caller } from './common.js'
import { destination, typedTarget, type Site, type StartInput, type Target } from './destination.js'

/**
 * What a silent verification by email seals and "addresses": no message ever goes to it (a silent
 * verification's code matches nothing and is never sent), it only makes the same work.
 */
const NOBODY = '+919800000000'

/** The key an email stands for in limits and budgets (keyed: no email in clear at rest). */
export const emailSubject = (ctx: Ctx, email: string) =>
  ctx.keys.digest('lookupHmac', `email:${normaliseEmail(email)}`)

export async function resetTarget(
  ctx: Ctx,
  input: StartInput,
  caller: Caller,
  site: Site,
  now: number,
): Promise<Target> {
  if ((input.phone === undefined) === (input.email === undefined))
    throw new ApiError('invalid_request', 'Give the phone number or the email, not both.', {
      errors: [{ path: input.phone === undefined ? 'phone' : 'email', message: 'phone or email' }],
    })
  if (input.phone !== undefined) return typedTarget(ctx, input, site, (user) => !user)
  const { settings } = site
  const subject = emailSubject(ctx, input.email!)
  const user = await findByEmail(ctx.db, input.email!)
  let phone = user?.phoneVerified && user.phone ? user.phone : null
  // The account's number must take this channel; if not, silence (an error would tell that the
  // email has an account, and something of its number).
  if (phone)
    try {
      destination(ctx, normalisePhone(phone), settings, input.channel)
    } catch {
      phone = null
    }
  const owner = phone ? user! : null
  // One budget read either way: the same work for an email with an account as without.
  const locked = await lockedFor(ctx.db, owner?.id ?? phoneSubject(subject), now)
  return {
    phone: phone ?? NOBODY,
    // Not shown: whoever knows only the email must not learn the account's number.
    masked: '',
    phoneHash: subject,
    userId: owner?.id ?? null,
    sessionId: null,
    ticket: null,
    lockedUntil: locked ? now + locked : 0,
    silent: !owner,
    // By email the account's number is not screened for test numbers: it gets a real code.
    testCode: null,
    limits: [
      limitOf(STARTS_PER_ADDRESS(settings), caller.address),
      messagesLimit(settings, subject),
    ],
  }
}
