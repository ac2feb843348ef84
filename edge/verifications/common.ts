/** What start, resend and check share: the caller, the code's hash, keys of limits, the view. */
import type { Settings, Verification } from '../../shared/schemas.js'
import type { Channel } from '../../shared/enums.js'
import { destinationPrefix } from '../../shared/phone.js'
import type { Ctx } from '../context.js'
import type { Keys } from '../crypto/keys.js'
import { acceptedDigests } from '../crypto/keys.js'
import { ApiError } from '../http/errors.js'
import type { ClientStamp } from '../sessions/device.js'
import { prefixKeyOf } from '../limits/breaker.js'
import {
  limitOf,
  MESSAGES_PER_NUMBER,
  NUMBERS_PER_PREFIX,
  STARTS_PER_ADDRESS,
  type KeyedLimit,
} from '../limits/policy.js'
import { codeText, publicHost, voiceText } from '../messages/text.js'
import type { OutboundMessage } from '../providers/types.js'
import type { Authenticated } from '../sessions/sessions.js'
import type { Purpose, VerificationRow } from './store.js'

export interface Caller {
  address: string
  /** The signed-in caller (enroll, change_phone, reauth, and checks of those). */
  auth?: Authenticated
  /** An admin enrolling a phone for an account (no session, no step-up). */
  admin?: { userId: string; actor: string }
  /** The request's Origin header (start: it picks the WebOTP line's host). */
  origin?: string
  /** The client a session signed in by this check is stamped with (remember-client.ts). */
  client?: ClientStamp
}

/** Who a caller's audit rows name. */
export const actorOf = (caller: Caller): string =>
  caller.auth ? `user:${caller.auth.userId}` : caller.admin ? caller.admin.actor : 'public'

/** Purposes anyone may start: what they answer must not tell accounts (or their locks) apart. */
export const isAnonymous = (p: Purpose) =>
  p === 'register' || p === 'login' || p === 'password_reset'

/** Purposes whose code goes out after the answer: its time must not tell an account apart. */
export const sendsAfterAnswer = (p: Purpose) => p === 'login' || p === 'password_reset'

const codeInput = (id: string, purpose: string, code: string) => `${id}|${purpose}|${code}`

/** The digest a verification stores, under the current key (maintenance/reseal.ts re-keys it). */
export function codeHash(deps: { keys: Keys }, id: string, purpose: string, code: string): string {
  return deps.keys.digest('codeHmac', codeInput(id, purpose, code))
}

/** The digests a check accepts: the current key's, and during a rotation the others'. */
export function acceptedCodeHashes(
  deps: { keys: Keys },
  id: string,
  purpose: string,
  code: string,
) {
  return acceptedDigests(deps.keys, 'codeHmac', codeInput(id, purpose, code))
}

/** The per-number message limit (every send to the number, any purpose or channel). */
export const messagesLimit = (s: Settings, phoneHash: string) =>
  limitOf(MESSAGES_PER_NUMBER(s), phoneHash)

/** The number's place in its destination prefix's count, keyed so no part of it is in clear. */
export const prefixLimit = (ctx: Ctx, s: Settings, e164: string, phoneHash: string) =>
  limitOf(NUMBERS_PER_PREFIX(s), prefixKeyOf(ctx, destinationPrefix(e164)), phoneHash)

/** The number's entry in its prefix's count, whatever the limit (a verified number leaves it). */
export const prefixEntry = (ctx: Ctx, e164: string, phoneHash: string) => ({
  key: NUMBERS_PER_PREFIX.key(prefixKeyOf(ctx, destinationPrefix(e164))),
  sub: phoneHash,
})

/** What a new verification takes, all or none (policy.ts), under the site's settings. */
export function startLimits(
  ctx: Ctx,
  s: Settings,
  e164: string,
  phoneHash: string,
  address: string,
): KeyedLimit[] {
  return [
    limitOf(STARTS_PER_ADDRESS(s), address),
    prefixLimit(ctx, s, e164, phoneHash),
    messagesLimit(s, phoneHash),
  ]
}

/** What a test number's audit rows carry in `detail` (edge/test-numbers/): `{test: true}`. */
export const testMark = (v: { test: boolean }): Record<string, boolean> =>
  v.test ? { test: true } : {}

export const TOO_MANY_CODES = 'Too many codes requested. Try again later.'

/** The code's message; an SMS names `webOtpHost` (null: the public URL's host), a call no host. */
export function codeMessage(
  ctx: Ctx,
  channel: Channel,
  to: string,
  code: string,
  settings: Settings,
  v: Pick<VerificationRow, 'locale' | 'webOtpHost'>,
): OutboundMessage {
  const { locale } = v
  const text =
    channel === 'voice'
      ? voiceText(settings, code, locale)
      : codeText(settings, v.webOtpHost ?? publicHost(ctx.config.publicUrl), code, locale)
  return { to, channel, text, code, kind: 'code', locale }
}

export function view(v: VerificationRow): Verification {
  return {
    id: v.id,
    purpose: v.purpose,
    channel: v.channel,
    // A reset asked by email shows no number (reset-target.ts stores none to show).
    to: v.phoneMasked || null,
    codeLength: v.codeLength,
    expiresAt: new Date(v.expiresAt).toISOString(),
    resendAt: new Date(v.resendAt).toISOString(),
    attemptsLeft: attemptsLeft(v),
  }
}

const attemptsLeft = (v: VerificationRow) => Math.max(0, v.maxAttempts - v.attempts)

/** A wrong code, with the attempts the verification has left. */
export function wrongCode(v: VerificationRow): ApiError {
  return new ApiError('invalid_code', 'That code is not right.', { attemptsLeft: attemptsLeft(v) })
}
