/**
 * Who a new verification is for, per purpose: the destination number (checked against the
 * site's countries and screened by type for the channel), the account behind it, the guessing
 * budget its checks charge and whether that budget is locked.
 */
import { peekTicket, ticketHash } from '../accounts/tickets.js'
import { findByVerifiedPhone, findUser, type UserRow } from '../accounts/users.js'
import type { Ctx } from '../context.js'
import { ApiError, rateLimited } from '../http/errors.js'
import { lockedFor } from '../limits/guesses.js'
import { refund, reportTo, takeAll } from '../limits/limits.js'
import { limitOf, PHONE_PROBES_PER_ACCOUNT, PHONE_PROBES_PER_ADDRESS } from '../limits/policy.js'
import { phoneHash, type Normalised } from '../phone.js'
import { requireFresh } from '../sessions/reauth.js'
import { resolvePhone } from '../test-numbers/resolve.js'
import type { Caller } from './common.js'
import {
  destination,
  typed,
  typedTarget,
  type Site,
  type StartInput,
  type Target,
} from './destination.js'
import { resetTarget } from './reset-target.js'

export { destination, type Site, type StartInput, type Target } from './destination.js'

/** A target that is an account: its budget is the account's, its lock the account's. */
async function ofAccount(
  ctx: Ctx,
  n: Normalised,
  userId: string,
  sessionId: string | null,
  ticket: string | null,
  now: number,
  testCode: string | null,
): Promise<Target> {
  return {
    phone: n.e164,
    masked: n.masked,
    phoneHash: phoneHash(ctx.keys, n.e164),
    userId,
    sessionId,
    ticket,
    lockedUntil: now + (await lockedFor(ctx.db, userId, now)),
    silent: false,
    testCode,
  }
}

/** The account's own verified phone (mfa, change_phone, reauth). */
async function accountPhone(
  ctx: Ctx,
  user: UserRow,
  input: StartInput,
  site: Site,
  now: number,
  sessionId: string | null,
  ticket: string | null = null,
): Promise<Target> {
  if (!user.phoneVerified || !user.phone)
    throw new ApiError('forbidden', 'This account has no verified phone.')
  const { n, testCode } = await resolvePhone(site.listed, user.phone, undefined, (u) =>
    destination(ctx, u, site.settings, input.channel),
  )
  return ofAccount(ctx, n, user.id, sessionId, ticket, now, testCode)
}

async function signedIn(ctx: Ctx, caller: Caller): Promise<UserRow> {
  const id = caller.admin?.userId ?? caller.auth?.userId
  const user = id ? await findUser(ctx.db, id) : null
  if (!user) throw new ApiError('unauthorized')
  return user
}

/** The target of a start; `site` is the request's configuration snapshot (settings.ts siteConfig). */
export async function resolveTarget(
  ctx: Ctx,
  input: StartInput,
  caller: Caller,
  site: Site,
  now: number,
): Promise<Target> {
  return targetOf(ctx, input, caller, site, now).catch((err: unknown) => {
    // Destination refusals are security decisions (T03): logged with their reason, not the number.
    if (
      err instanceof ApiError &&
      (err.code === 'invalid_phone' || err.code === 'country_not_allowed')
    )
      ctx.log('verification.refused', {
        reason: err.code,
        detail: err.detail ?? null,
        purpose: input.purpose,
        channel: input.channel,
      })
    throw err
  })
}

async function targetOf(
  ctx: Ctx,
  input: StartInput,
  caller: Caller,
  site: Site,
  now: number,
): Promise<Target> {
  const { settings } = site
  switch (input.purpose) {
    case 'register':
    case 'login': {
      if (input.purpose === 'login' && !settings.phoneLogin)
        throw new ApiError('forbidden', 'Sign-in by phone is turned off on this site.')
      if (input.purpose === 'register' && !settings.phoneRegistration)
        throw new ApiError('forbidden', 'Registration by phone is turned off on this site.')
      // A login to a disabled account is answered alike and sends nothing, as for no account.
      return typedTarget(
        ctx,
        input,
        site,
        (user) => input.purpose === 'login' && (!user || user.disabledAt !== null),
      )
    }
    case 'mfa': {
      if (!input.mfaTicket)
        throw new ApiError('invalid_request', 'mfaTicket is required', {
          errors: [{ path: 'mfaTicket', message: 'Required' }],
        })
      const t = await peekTicket(ctx, input.mfaTicket, 'mfa', now)
      const user = t?.userId ? await findUser(ctx.db, t.userId) : null
      if (!t || !user)
        throw new ApiError('unauthorized', 'The sign-in step has expired. Start again.')
      // docs/api.md Policies: an SMS sign-in is one factor; the second must be a different one.
      if (t.firstFactor === 'sms')
        throw new ApiError('forbidden', 'Finish with your authenticator app or a backup code.')
      // The verification refers to the ticket by its hash: a bearer secret is never stored.
      return accountPhone(ctx, user, input, site, now, null, ticketHash(input.mfaTicket))
    }
    case 'change_phone':
    case 'reauth': {
      if (!caller.auth) throw new ApiError('unauthorized')
      const user = await signedIn(ctx, caller)
      if (!user.phoneVerified)
        throw new ApiError('forbidden', 'There is no verified phone on this account.')
      return accountPhone(ctx, user, input, site, now, caller.auth.sessionId)
    }
    case 'enroll':
      return enrollTarget(ctx, input, caller, site, now)
    case 'password_reset':
      return resetTarget(ctx, input, caller, site, now)
  }
}

async function enrollTarget(
  ctx: Ctx,
  input: StartInput,
  caller: Caller,
  site: Site,
  now: number,
): Promise<Target> {
  if (!caller.auth && !caller.admin) throw new ApiError('unauthorized')
  const user = await signedIn(ctx, caller)
  if (caller.auth) {
    if (user.phoneVerified && user.phoneChangeUntil <= now)
      throw new ApiError('forbidden', 'Prove the current phone first (purpose change_phone).')
    // Adding a first phone binds a new factor: a fresh proof (a phone change has just made one).
    if (!user.phoneVerified) requireFresh(caller.auth, user, now)
  }
  const { n, testCode } = await typed(ctx, input, site)
  if (caller.auth) await probeGuard(ctx, user.id, caller.address, n.e164, now)
  else {
    const owner = await findByVerifiedPhone(ctx.db, n.e164)
    if (owner && owner.id !== user.id) throw new ApiError('phone_taken')
  }
  return ofAccount(ctx, n, user.id, caller.auth?.sessionId ?? null, null, now, testCode)
}

/**
 * `phone_taken` tells whether a number has an account, so its answers are limited per account and
 * per address. A slot of both limits is taken before the owner is looked up (so parallel probes
 * cannot pass together) and given back when the number turns out to be free.
 */
async function probeGuard(ctx: Ctx, userId: string, address: string, e164: string, now: number) {
  const limits = [
    limitOf(PHONE_PROBES_PER_ACCOUNT, userId),
    limitOf(PHONE_PROBES_PER_ADDRESS, address),
  ]
  const taken = await takeAll(ctx.db, limits, now, reportTo(ctx.log))
  if (!taken.ok)
    throw rateLimited(taken.retryAfterMs, 'Too many numbers tried. Try again tomorrow.')
  const owner = await findByVerifiedPhone(ctx.db, e164)
  if (owner && owner.id !== userId) throw new ApiError('phone_taken')
  await refund(ctx.db, limits, now)
}
