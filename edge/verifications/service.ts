/** Start, resend and check: the rules around the SQL state machine of store.ts. */
import type { Settings, Verification } from '../../shared/schemas.js'
import { destinationPrefix } from '../../shared/phone.js'
import { audit, auditStatement } from '../admin/audit.js'
import { getSettings } from '../admin/settings.js'
import { afterFirstFactor, completeSignIn, type SignInResult } from '../accounts/sign-in.js'
import { issueTicket, peekTicket, spendTicket } from '../accounts/tickets.js'
import {
  findByVerifiedPhone,
  findUser,
  isUniqueViolation,
  publicUser,
  type UserRow,
} from '../accounts/users.js'
import { issuer, type Ctx } from '../context.js'
import { constantTimeEqual, hmacHex } from '../crypto/keys.js'
import { newId, randomDigits } from '../crypto/random.js'
import { ApiError, rateLimited } from '../http/errors.js'
import { lockedFor, recordFailure } from '../limits/account.js'
import {
  prune,
  refusedRetryAfter,
  takeAll,
  takeAllStatement,
  type CheckedLimit,
} from '../limits/limits.js'
import { codeText, voiceText } from '../messages/text.js'
import { sendNotice } from '../messages/notice.js'
import { deliver, prepareConsoleDelivery } from '../messages/deliver.js'
import type { OutboundMessage } from '../providers/types.js'
import { assertCountryAllowed, maskE164, normalisePhone } from '../phone.js'
import { prepareSession, revokeOtherSessions, type PreparedSession } from '../sessions/sessions.js'
import * as store from './store.js'
import type { Purpose, VerificationRow } from './store.js'

const MINUTE = 60_000
/** Twilio Verify: at most 5 sends per verification. */
export const MAX_SENDS = 5
/** Twilio Verify: 5 new verifications per phone per 10 minutes. */
const PER_PHONE = { limit: 5, windowMs: 10 * MINUTE }
/** login.gov allows 25 per 5 min per IP; we allow 30 per 10 min per client address. */
const PER_ADDRESS = { limit: 30, windowMs: 10 * MINUTE }
/** SMS pumping: 10 distinct numbers per destination prefix per hour unless codes there get verified. */
const PER_PREFIX = { limit: 10, windowMs: 60 * MINUTE }
/** How long an approved change_phone lets the account enrol a new number. */
export const PHONE_CHANGE_WINDOW_MS = 10 * MINUTE

export interface StartInput {
  purpose: Purpose
  phone?: string
  country?: string
  channel: 'sms' | 'voice'
  locale?: string
  mfaTicket?: string
}

export interface Caller {
  address: string
  /** The signed-in user, for enroll and change_phone. */
  auth?: { userId: string; sessionId: string }
}

async function codeHash(ctx: Ctx, id: string, purpose: string, code: string): Promise<string> {
  return hmacHex(ctx.keys.codeHmac, `${id}|${purpose}|${code}`)
}

function view(v: VerificationRow, masked?: string): Verification {
  return {
    id: v.id,
    purpose: v.purpose,
    channel: v.channel,
    to: masked ?? maskE164(v.phone),
    codeLength: v.codeLength,
    expiresAt: new Date(v.expiresAt).toISOString(),
    resendAt: new Date(v.resendAt).toISOString(),
    attemptsLeft: Math.max(0, v.maxAttempts - v.attempts),
  }
}

/** Works out the destination and the account behind a new verification. */
async function resolveTarget(
  ctx: Ctx,
  input: StartInput,
  caller: Caller,
  settings: Settings,
  now: number,
) {
  const { db } = ctx
  const needPhone = () => {
    if (!input.phone)
      throw new ApiError('invalid_request', 'phone is required for this purpose', {
        errors: [{ path: 'phone', message: 'Required' }],
      })
    const n = normalisePhone(input.phone, input.country ?? settings.defaultCountry)
    assertCountryAllowed(n, settings)
    return n
  }
  switch (input.purpose) {
    case 'register':
    case 'login': {
      if (input.purpose === 'login' && !settings.phoneLogin)
        throw new ApiError('forbidden', 'Sign-in by phone is turned off on this site.')
      if (input.purpose === 'register' && !settings.phoneRegistration)
        throw new ApiError('forbidden', 'Registration by phone is turned off on this site.')
      const n = needPhone()
      const user = await findByVerifiedPhone(db, n.e164)
      return {
        phone: n.e164,
        masked: n.masked,
        userId: user?.id ?? null,
        lockedUntil: user?.lockedUntil ?? 0,
        ticket: null,
        silent: input.purpose === 'login' && !user,
      }
    }
    case 'mfa': {
      if (!input.mfaTicket)
        throw new ApiError('invalid_request', 'mfaTicket is required', {
          errors: [{ path: 'mfaTicket', message: 'Required' }],
        })
      const t = await peekTicket(db, input.mfaTicket, 'mfa', now)
      const user = t?.userId ? await findUser(db, t.userId) : null
      if (!t || !user)
        throw new ApiError('unauthorized', 'The sign-in step has expired. Start again.')
      // API.md Policies: an SMS sign-in is one factor; the second must be a different one.
      if (t.firstFactor === 'sms')
        throw new ApiError('forbidden', 'Finish with your authenticator app or a backup code.')
      if (!user.phoneVerified || !user.phone)
        throw new ApiError('forbidden', 'This account has no verified phone.')
      return {
        phone: user.phone,
        masked: maskE164(user.phone),
        userId: user.id,
        lockedUntil: user.lockedUntil,
        ticket: input.mfaTicket,
        silent: false,
      }
    }
    case 'enroll': {
      if (!caller.auth) throw new ApiError('unauthorized')
      const user = await findUser(db, caller.auth.userId)
      if (!user) throw new ApiError('unauthorized')
      if (user.phoneVerified && user.phoneChangeUntil <= now) {
        throw new ApiError('forbidden', 'Prove the current phone first (purpose change_phone).')
      }
      const n = needPhone()
      const owner = await findByVerifiedPhone(db, n.e164)
      if (owner && owner.id !== user.id) throw new ApiError('phone_taken')
      return {
        phone: n.e164,
        masked: n.masked,
        userId: user.id,
        lockedUntil: user.lockedUntil,
        ticket: null,
        silent: false,
      }
    }
    case 'change_phone': {
      if (!caller.auth) throw new ApiError('unauthorized')
      const user = await findUser(db, caller.auth.userId)
      if (!user) throw new ApiError('unauthorized')
      if (!user.phoneVerified || !user.phone)
        throw new ApiError('forbidden', 'There is no verified phone to change.')
      return {
        phone: user.phone,
        masked: maskE164(user.phone),
        userId: user.id,
        lockedUntil: user.lockedUntil,
        ticket: null,
        silent: false,
      }
    }
  }
}

function limitsFor(phone: string, address: string): CheckedLimit[] {
  return [
    { key: `addr:${address}`, ...PER_ADDRESS },
    { key: `prefix:${destinationPrefix(phone)}`, ...PER_PREFIX, sub: phone },
    { key: `phone:${phone}`, ...PER_PHONE },
  ]
}

async function applyLimits(ctx: Ctx, limits: CheckedLimit[], now: number): Promise<void> {
  const limited = await takeAll(ctx.db, limits, now)
  if (!limited.ok) throw rateLimited(limited.retryAfterMs, TOO_MANY_CODES)
}

const TOO_MANY_CODES = 'Too many codes requested. Try again later.'

function message(
  ctx: Ctx,
  v: VerificationRow,
  code: string,
  settings: Settings,
  locale: string,
): OutboundMessage {
  const text =
    v.channel === 'voice'
      ? voiceText(settings, code, locale)
      : codeText(settings, ctx.config.publicUrl, code, locale)
  return { to: v.phone, channel: v.channel, text, code, kind: 'code', locale }
}

async function send(
  ctx: Ctx,
  v: VerificationRow,
  code: string,
  settings: Settings,
  locale: string,
) {
  return deliver(ctx, message(ctx, v, code, settings, locale), v.id)
}

export async function startVerification(
  ctx: Ctx,
  input: StartInput,
  caller: Caller,
): Promise<Verification> {
  const now = ctx.clock()
  const settings = await getSettings(ctx.db)
  const target = await resolveTarget(ctx, input, caller, settings, now)
  if (Math.random() < 0.01) await prune(ctx.db, now)
  const limits = limitsFor(target.phone, caller.address)
  let silent = target.silent
  const locked = Math.max(0, target.lockedUntil - now)
  // A locked account gets no codes; for an anonymous login it looks like any other answer.
  if (locked && input.purpose !== 'login') {
    await applyLimits(ctx, limits, now)
    throw rateLimited(locked, 'Too many failed attempts on this account.')
  }
  if (locked) silent = true
  const id = newId('ver')
  const code = randomDigits(settings.codeLength)
  const ttl = settings.codeTtlSeconds * 1000
  const v: VerificationRow = {
    id,
    purpose: input.purpose,
    phone: target.phone,
    userId: target.userId,
    ticket: target.ticket,
    channel: input.channel,
    codeLength: settings.codeLength,
    codes: [],
    attempts: 0,
    maxAttempts: settings.maxAttempts,
    sends: 1,
    createdAt: now,
    expiresAt: now + ttl,
    resendAt: now + settings.resendCooldownSeconds * 1000,
    approvedAt: null,
  }
  const locale = input.locale ?? 'en'
  // A silent verification (no account behind a login) holds a hash no code can match.
  const [hash, consoleSend] = await Promise.all([
    codeHash(ctx, id, input.purpose, silent ? `silent:${newId('x')}` : code),
    // The development console provider cannot fail: its two rows join the write below.
    silent ? null : prepareConsoleDelivery(ctx, message(ctx, v, code, settings, locale), id),
  ])
  v.codes = [{ h: hash, e: now + ttl }]
  const masked = target.masked
  // One write: the limits (all or none), then the verification and its audit row only if every
  // limit was taken, then (console) the outbox row and its record.
  const [taken] = await ctx.db.batch(
    [
      takeAllStatement(limits, now),
      store.insertStatement(v, caller.address, limits.length),
      auditStatement(
        ctx,
        {
          actor: caller.auth ? `user:${caller.auth.userId}` : 'public',
          action: 'verification.start',
          outcome: 'sent',
          userId: target.userId,
          phoneMasked: masked,
          address: caller.address,
          detail: { purpose: input.purpose, channel: input.channel, id },
        },
        true,
      ),
      ...(consoleSend?.statements ?? []),
    ],
    'write',
  )
  if (taken!.rowsAffected !== limits.length)
    throw rateLimited(await refusedRetryAfter(ctx.db, limits, now), TOO_MANY_CODES)
  if (consoleSend) consoleSend.sent()
  else if (!silent) {
    try {
      await send(ctx, v, code, settings, locale)
    } catch (err) {
      await store.deleteVerification(ctx.db, id)
      await audit(ctx, {
        actor: 'public',
        action: 'verification.send',
        outcome: 'provider_unavailable',
        userId: target.userId,
        phoneMasked: masked,
        address: caller.address,
        detail: { id },
      })
      throw err
    }
  }
  return view(v, masked)
}

/** The problem for a verification that can take no more checks or sends. */
function closedError(v: VerificationRow, now: number): ApiError {
  if (v.approvedAt !== null) return new ApiError('verification_used')
  if (v.expiresAt <= now) return new ApiError('verification_expired', 'Ask for a new code.')
  if (v.attempts >= v.maxAttempts)
    return rateLimited(
      Math.max(1000, v.expiresAt - now),
      'Too many wrong codes. Ask for a new code.',
      'too_many_attempts',
    )
  return new ApiError('verification_used')
}

export async function resendVerification(
  ctx: Ctx,
  id: string,
  channel: 'sms' | 'voice' | undefined,
  locale: string,
) {
  const now = ctx.clock()
  const settings = await getSettings(ctx.db)
  const before = await store.getVerification(ctx.db, id)
  if (!before) throw new ApiError('verification_not_found')
  if (
    before.approvedAt !== null ||
    before.expiresAt <= now ||
    before.attempts >= before.maxAttempts
  )
    throw closedError(before, now)
  if (before.sends >= MAX_SENDS)
    throw rateLimited(
      before.expiresAt - now,
      'No more codes for this verification. Start again later.',
    )
  if (before.resendAt > now)
    throw rateLimited(before.resendAt - now, 'Wait a little before asking again.')
  let silent = before.userId === null && before.purpose === 'login'
  if (before.userId) {
    const locked = await lockedFor(ctx.db, before.userId, now)
    if (locked && before.purpose !== 'login')
      throw rateLimited(locked, 'Too many failed attempts on this account.')
    if (locked) silent = true
  }
  const code = randomDigits(before.codeLength)
  const hash = await codeHash(ctx, id, before.purpose, silent ? `silent:${newId('x')}` : code)
  // The cooldown grows: 30 s, 60 s, 120 s, … after each send.
  const next = now + settings.resendCooldownSeconds * 1000 * 2 ** before.sends
  const updated = await store.addCode(ctx.db, {
    id,
    code: { h: hash, e: now + settings.codeTtlSeconds * 1000 },
    now,
    nextResendAt: next,
    maxSends: MAX_SENDS,
    channel: channel ?? before.channel,
  })
  if (!updated) {
    const again = (await store.getVerification(ctx.db, id)) ?? before
    if (again.resendAt > now)
      throw rateLimited(again.resendAt - now, 'Wait a little before asking again.')
    throw closedError(again, now)
  }
  if (!silent) {
    try {
      await send(ctx, updated, code, settings, locale)
    } catch (err) {
      await store.undoCode(ctx.db, before, updated.sends)
      throw err
    }
  }
  await audit(ctx, {
    actor: 'public',
    action: 'verification.resend',
    outcome: 'sent',
    userId: before.userId,
    phoneMasked: maskE164(before.phone),
    detail: { channel: updated.channel, id },
  })
  return view(updated)
}

export type CheckResult =
  | { status: 'approved'; registrationTicket: string; phone: string }
  | ({ status: 'approved' } & SignInResult)
  | { status: 'approved'; user: Awaited<ReturnType<typeof publicUser>> }

export async function checkVerification(
  ctx: Ctx,
  id: string,
  code: string,
  caller: Caller,
): Promise<CheckResult> {
  const now = ctx.clock()
  // One guarded statement reserves the attempt (the fast path); only a refusal reads why.
  const v = await store.reserveAttempt(ctx.db, id, now, caller.auth?.userId ?? null)
  if (!v) throw await refusal(ctx, id, caller, now)
  // Only an exact string of ASCII digits of the right length can match; anything else is a
  // wrong code that still costs its attempt. Every stored hash is compared, without early exit.
  const wellFormed = code.length === v.codeLength && /^[0-9]+$/.test(code)
  const hash = await codeHash(ctx, id, v.purpose, wellFormed ? code : `malformed:${code.length}`)
  let match = false
  for (const c of v.codes) match = (constantTimeEqual(c.h, hash) && c.e > now) || match
  const masked = maskE164(v.phone)
  if (!match) {
    const lockMs = v.userId ? await recordFailure(ctx.db, v.userId, now) : 0
    await audit(ctx, {
      actor: 'public',
      action: 'verification.check',
      outcome: lockMs ? 'locked' : 'invalid_code',
      userId: v.userId,
      phoneMasked: masked,
      address: caller.address,
      detail: { purpose: v.purpose, id },
    })
    throw new ApiError('invalid_code', 'That code is not right.', {
      attemptsLeft: Math.max(0, v.maxAttempts - v.attempts),
    })
  }
  // A register or login of an account that needs no second factor ends in a session: the
  // account is read now, and the session joins the approval's write (afterFirstFactor's rule).
  let user: UserRow | null | undefined
  let direct: PreparedSession | null = null
  if (v.purpose === 'register' || v.purpose === 'login') {
    user = await findByVerifiedPhone(ctx.db, v.phone)
    if (user && !user.totpEnabled) direct = prepareSession(issuer(ctx), user.id, true)
  }
  // The approval and what follows from it, in one write: the audit row (and a session) only if
  // this caller won; a verified number stops counting towards its prefix; the account's failure
  // count resets.
  const won = `EXISTS (SELECT 1 FROM verifications WHERE id = :id AND approved_at = :now)`
  const reset = `UPDATE users SET failed_count = 0, lockouts = 0 WHERE id = :user AND (failed_count > 0 OR lockouts > 0) AND ${won}`
  const write = ctx.db.batch(
    [
      {
        sql: 'UPDATE verifications SET approved_at = :now WHERE id = :id AND approved_at IS NULL',
        args: { id, now },
      },
      auditStatement(
        ctx,
        {
          actor: 'public',
          action: 'verification.check',
          outcome: 'approved',
          userId: v.userId,
          phoneMasked: masked,
          address: caller.address,
          detail: { purpose: v.purpose, id },
        },
        true,
      ),
      ...(direct?.statements ?? []),
      {
        sql: `DELETE FROM rate_events WHERE key = :key AND sub = :phone AND ${won}`,
        args: { id, now, key: `prefix:${destinationPrefix(v.phone)}`, phone: v.phone },
      },
      { sql: reset, args: { id, now, user: v.userId } },
      ...(user && user.id !== v.userId ? [{ sql: reset, args: { id, now, user: user.id } }] : []),
    ],
    'write',
  )
  // The access token is signed while the write runs; it is handed out only if this caller won.
  const [[approval], session] = await Promise.all([write, direct?.sign()])
  if (approval!.rowsAffected !== 1) throw new ApiError('verification_used')
  if (user && session) return { status: 'approved', user: await publicUser(ctx.db, user), session }
  return approved(ctx, v, caller, now, user)
}

/** Why a check could not reserve an attempt, in the order a caller should learn it. */
async function refusal(ctx: Ctx, id: string, caller: Caller, now: number): Promise<ApiError> {
  const current = await store.getVerification(ctx.db, id)
  if (!current) return new ApiError('verification_not_found')
  if (
    current.approvedAt !== null ||
    current.expiresAt <= now ||
    current.attempts >= current.maxAttempts
  )
    return closedError(current, now)
  // enroll and change_phone belong to a signed-in account: other callers spend no attempt.
  if (current.purpose === 'enroll' || current.purpose === 'change_phone') {
    if (!caller.auth)
      return new ApiError('unauthorized', 'Sign in first (Authorization: Bearer <access token>).')
    if (caller.auth.userId !== current.userId)
      return new ApiError('forbidden', 'This verification belongs to another account.')
  }
  if (current.userId) {
    const locked = await lockedFor(ctx.db, current.userId, now)
    if (locked)
      return rateLimited(locked, 'Too many failed attempts on this account. Try again later.')
  }
  return new ApiError('verification_used')
}

async function approved(
  ctx: Ctx,
  v: VerificationRow,
  caller: Caller,
  now: number,
  /** For register and login: the account behind the phone, as read before the approval. */
  known?: UserRow | null,
): Promise<CheckResult> {
  const { db } = ctx
  switch (v.purpose) {
    case 'register':
    case 'login': {
      const user = known !== undefined ? known : await findByVerifiedPhone(db, v.phone)
      if (user) return { status: 'approved', ...(await afterFirstFactor(ctx, user, 'sms')) }
      if (v.purpose === 'login') throw new ApiError('verification_used')
      const registrationTicket = await issueTicket(
        db,
        { kind: 'registration', phone: v.phone },
        now,
      )
      return { status: 'approved', registrationTicket, phone: v.phone }
    }
    case 'mfa': {
      const t = v.ticket ? await spendTicket(db, v.ticket, 'mfa', now) : null
      const user = t?.userId === v.userId && v.userId ? await findUser(db, v.userId) : null
      if (!user) throw new ApiError('unauthorized', 'The sign-in step has expired. Start again.')
      return { status: 'approved', ...(await completeSignIn(ctx, user)) }
    }
    case 'enroll': {
      if (!v.userId || caller.auth?.userId !== v.userId)
        throw new ApiError('forbidden', 'This verification belongs to another account.')
      const user = await enrollPhone(ctx, v.userId, v.phone, caller.auth.sessionId, now)
      return { status: 'approved', user: await publicUser(db, user) }
    }
    case 'change_phone': {
      if (!v.userId || caller.auth?.userId !== v.userId)
        throw new ApiError('forbidden', 'This verification belongs to another account.')
      await db.execute({
        sql: 'UPDATE users SET phone_change_until = ? WHERE id = ?',
        args: [now + PHONE_CHANGE_WINDOW_MS, v.userId],
      })
      const user = await findUser(db, v.userId)
      if (!user) throw new ApiError('unauthorized')
      return { status: 'approved', user: await publicUser(db, user) }
    }
  }
}

/** Stores a verified phone; replaces the old one (and ends other sessions) after a change_phone. */
async function enrollPhone(
  ctx: Ctx,
  userId: string,
  phone: string,
  sessionId: string,
  now: number,
) {
  const before = await findUser(ctx.db, userId)
  if (!before) throw new ApiError('unauthorized')
  if (before.phoneVerified && before.phoneChangeUntil <= now)
    throw new ApiError('forbidden', 'Prove the current phone first (purpose change_phone).')
  try {
    await ctx.db.execute({
      sql: 'UPDATE users SET phone = ?, phone_verified = 1, phone_change_until = 0 WHERE id = ?',
      args: [phone, userId],
    })
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('phone_taken')
    throw err
  }
  const replaced = before.phoneVerified && before.phone && before.phone !== phone
  if (replaced) {
    await revokeOtherSessions(ctx.db, userId, sessionId, now)
    await sendNotice(ctx, before.phone!, 'phone_changed')
  }
  await audit(ctx, {
    actor: `user:${userId}`,
    action: replaced ? 'factor.phone.change' : 'factor.phone.enroll',
    outcome: 'ok',
    userId,
    phoneMasked: maskE164(phone),
  })
  const user = await findUser(ctx.db, userId)
  if (!user) throw new ApiError('unauthorized')
  return user
}
