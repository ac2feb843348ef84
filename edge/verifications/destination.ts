/** What a start asks for, and the destination rules every send to a number follows. */
import type { Settings } from '../../shared/schemas.js'
import type { SiteConfig } from '../settings/settings.js'
import { findStartTarget, type UserRow } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { ApiError } from '../http/errors.js'
import { phoneSubject } from '../limits/guesses.js'
import type { KeyedLimit } from '../limits/policy.js'
import { resolvePhone, type Resolved } from '../test-numbers/resolve.js'
import {
  assertCountryAllowed,
  phoneHash,
  screenDestination,
  type Channel,
  type Normalised,
} from '../phone.js'
import type { Purpose } from './store.js'

export interface StartInput {
  purpose: Purpose
  phone?: string
  country?: string
  channel: Channel
  locale?: string
  mfaTicket?: string
  /** password_reset: the account's email instead of a number. */
  email?: string
  /** The bot challenge's token (edge/challenge/gate.ts). */
  challengeToken?: string
}

export interface Target {
  phone: string
  masked: string
  phoneHash: string
  userId: string | null
  sessionId: string | null
  ticket: string | null
  lockedUntil: number
  /** A login to a number without an account: answered alike, nothing sent. */
  silent: boolean
  /** The limits a start takes, when not the number's (common.ts startLimits): a reset by email. */
  limits?: KeyedLimit[]
  /** A listed test number's fixed code (edge/test-numbers/): nothing is sent, ever. */
  testCode: string | null
}

/** What resolving a target reads of the request's configuration snapshot (one version read). */
export type Site = Pick<SiteConfig, 'settings' | 'listed'>

/** Checks a number a verification would send to: the site's countries, then its type. */
export function destination(ctx: Ctx, n: Normalised, settings: Settings, channel: Channel) {
  assertCountryAllowed(n, settings, ctx.config.mode)
  screenDestination(n, channel)
}

/** The number a caller typed; a listed test number skips the destination checks (no send). */
export async function typed(ctx: Ctx, input: StartInput, site: Site): Promise<Resolved> {
  if (!input.phone)
    throw new ApiError('invalid_request', 'phone is required for this purpose', {
      errors: [{ path: 'phone', message: 'Required' }],
    })
  const { settings, listed } = site
  return resolvePhone(listed, input.phone, input.country ?? settings.defaultCountry, (n) =>
    destination(ctx, n, settings, input.channel),
  )
}

/**
 * The target of a number the caller typed (register, login, a reset by number): the account with
 * that verified phone, if any, and its lock; `silent(user)` says when nothing may be sent.
 */
export async function typedTarget(
  ctx: Ctx,
  input: StartInput,
  site: Site,
  silent: (user: UserRow | null) => boolean,
): Promise<Target> {
  const { n, testCode } = await typed(ctx, input, site)
  const hash = phoneHash(ctx.keys, n.e164)
  const { user, lockedUntil } = await findStartTarget(ctx.db, n.e164, phoneSubject(hash))
  return {
    phone: n.e164,
    masked: n.masked,
    phoneHash: hash,
    userId: user?.id ?? null,
    sessionId: null,
    ticket: null,
    lockedUntil,
    silent: silent(user),
    testCode,
  }
}
