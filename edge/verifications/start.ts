/** POST /v1/verifications: a new verification and its first code. */
import type { Verification } from '../../shared/schemas.js'
import { audit, auditStatement } from '../audit/audit.js'
import { siteConfig } from '../settings/settings.js'
import type { Ctx } from '../context.js'
import { newId, newTimedId, randomDigits } from '../crypto/random.js'
import { ApiError, rateLimited } from '../http/errors.js'
import {
  breakerScopes,
  forgetSend,
  judge,
  refuseIfBlocked,
  sendStatements,
} from '../limits/breaker.js'
import { webOtpHost } from '../http/origin.js'
import {
  refund,
  refusedRetryAfter,
  reportTo,
  takeAllStatement,
  takeOrThrow,
  type CheckedLimit,
} from '../limits/limits.js'
import {
  attemptsPerVerification,
  codeTtlMs,
  GUESS_BUDGET,
  limitOf,
  resendCooldownMs,
  SENDS_PER_TEST_NUMBER,
} from '../limits/policy.js'
import { deliver, prepareConsoleDelivery } from '../messages/deliver.js'
import { nothingSent } from '../messages/failures.js'
import {
  actorOf,
  codeHash,
  codeMessage,
  isAnonymous,
  sendsAfterAnswer,
  startLimits,
  testMark,
  TOO_MANY_CODES,
  view,
  type Caller,
} from './common.js'
import { seal } from './sealed.js'
import { challenged, challengeGate } from '../challenge/gate.js'
import {
  capCondition,
  capRefusal,
  chargeOf,
  release,
  reserveStatement,
  STARTED_GUARD,
} from '../spend/cap.js'
import * as store from './store.js'
import type { VerificationRow } from './store.js'
import { resolveTarget, type StartInput } from './target.js'

export type { StartInput } from './target.js'

export async function startVerification(
  ctx: Ctx,
  input: StartInput,
  caller: Caller,
): Promise<Verification> {
  const now = ctx.clock()
  // One read of the configuration's version: the settings, the prices and the test numbers.
  const config = await siteConfig(ctx)
  const { settings, prices } = config
  const target = await resolveTarget(ctx, input, caller, config, now)
  // A listed test number skips the send limits (policy.ts SENDS_PER_TEST_NUMBER), never the
  // attempt cap nor the guessing budget: those are the check's.
  const test = target.testCode
  const limits =
    test !== null
      ? [limitOf(SENDS_PER_TEST_NUMBER, target.phoneHash)]
      : (target.limits ??
        startLimits(ctx, settings, target.phone, target.phoneHash, caller.address))
  // The pumping breaker guards numbers a caller chose (not a reset by email, to the account's own
  // number; not a test number): a blocked prefix answers a silent start as it does a real one.
  const scopes = test === null && !target.limits ? breakerScopes(ctx, target.phone) : null
  if (scopes) await refuseIfBlocked(ctx, scopes, settings, now, TOO_MANY_CODES)
  // The bot challenge guards the same starts (edge/challenge/gate.ts).
  if (scopes && challenged(input))
    await challengeGate(
      ctx,
      settings,
      input.challengeToken,
      {
        address: caller.address,
        prefixKey: scopes.prefixKey,
        subject: GUESS_BUDGET.subject(target.userId, target.phoneHash),
      },
      now,
    )
  const locked = Math.max(0, target.lockedUntil - now)
  const anonymous = isAnonymous(input.purpose)
  // A locked account (or number) is sent nothing. Its owner, signed in or past a first factor,
  // is told; for register and login it must look like any other answer (docs/security.md).
  if (locked && !anonymous) {
    await takeOrThrow(ctx.db, limits, now, TOO_MANY_CODES, reportTo(ctx.log))
    throw rateLimited(locked, 'Too many failed attempts on this account.')
  }
  const silent = target.silent || locked > 0
  const id = newTimedId('ver', now)
  const code = test ?? randomDigits(settings.codeLength)
  const locale = input.locale ?? 'en'
  const v: VerificationRow = {
    id,
    purpose: input.purpose,
    phoneHash: target.phoneHash,
    phoneMasked: target.masked,
    sealed: null,
    // A silent verification holds a hash no code can match.
    codeHash: codeHash(ctx, id, input.purpose, silent ? `silent:${newId('x')}` : code),
    userId: target.userId,
    sessionId: target.sessionId,
    ticket: target.ticket,
    channel: input.channel,
    // A test number's code keeps the length it was listed with, should codeLength change since.
    codeLength: code.length,
    attempts: 0,
    maxAttempts: attemptsPerVerification(settings),
    sends: 1,
    createdAt: now,
    expiresAt: now + codeTtlMs(settings),
    resendAt: now + resendCooldownMs(settings, 1),
    approvedAt: null,
    locale,
    silent,
    // Kept for every later send of this code, whatever Origin a resend comes with.
    webOtpHost: webOtpHost(
      caller.origin,
      settings.allowedOrigins,
      new URL(ctx.config.publicUrl).origin,
    ),
    test: test !== null,
  }
  const msg = codeMessage(ctx, input.channel, target.phone, code, settings, v)
  // The same work whether or not a message will go: the answer's time tells nothing.
  const [sealed, consoleSend] = await Promise.all([
    seal(ctx.keys, { phone: target.phone, code }),
    test === null ? prepareConsoleDelivery(ctx, msg, id) : null,
  ])
  v.sealed = sealed
  // A send's estimated cost, checked against the spend cap in the limits' statement and recorded
  // in the same batch (edge/spend/cap.ts); a test number's costs nothing and skips the cap.
  const charge = test === null ? chargeOf({ prices }, target.phone, input.channel, silent) : null
  // One write: the limits (all or none), then the verification and its audit row only if every
  // limit was taken, then (console) the outbox row and its record.
  const written = await ctx.db.batch(
    [
      takeAllStatement(limits, now, charge && capCondition(settings, charge, now)),
      store.insertStatement(v, caller.address, limits.length),
      auditStatement(
        ctx,
        {
          actor: actorOf(caller),
          action: 'verification.start',
          outcome: 'sent',
          userId: target.userId,
          phoneMasked: target.masked,
          address: caller.address,
          detail: { purpose: input.purpose, channel: input.channel, id, ...testMark(v) },
        },
        true,
      ),
      ...(silent ? [] : (consoleSend?.statements ?? [])),
      ...(charge && !silent ? [reserveStatement(id, charge, now, STARTED_GUARD)] : []),
      // A silent verification sends nothing, so it costs nothing: the breaker does not count it.
      ...(scopes && !silent ? sendStatements(id, scopes, settings, now) : []),
    ],
    'write',
  )
  if (written[0]!.rowsAffected !== limits.length) {
    const capped = charge && (await capRefusal(ctx, settings, charge, now))
    if (capped) throw capped
    throw rateLimited(
      await refusedRetryAfter(ctx.db, limits, now, reportTo(ctx.log)),
      TOO_MANY_CODES,
    )
  }
  ctx.log('verification.started', { purpose: input.purpose, channel: input.channel })
  // The prefix's figures, read in the batch (its last result), judged after the answer.
  const judged = scopes && !silent && judge(ctx, scopes, settings, now, written.at(-1))
  if (judged) ctx.defer(judged.catch(() => ctx.log('breaker.judge_failed')))
  // Nothing goes to a test number, by any provider, the console included.
  if (silent || v.test) return view(v)
  if (consoleSend) consoleSend.sent()
  else if (sendsAfterAnswer(input.purpose)) {
    // Off the request path, so a login to a number with an account takes as long to answer as
    // one to a number without (docs/security.md, enumeration). A failed send is audited; the user
    // can ask again or for a call.
    ctx.defer(afterAnswer().then(() => sendOrForget(ctx, v, msg, caller, limits, false)))
  } else await sendOrForget(ctx, v, msg, caller, limits, true)
  return view(v)
}

/** Lets the answer go out first (setTimeout exists on every target runtime). */
const afterAnswer = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/**
 * Sends the first code. When no provider takes it, a verification answered on the request path is
 * dropped and the error answered; if nothing can have gone out, the limits it took are given back
 * (address, number and prefix), so a retry after an outage works at once. One sent after the
 * answer (login) stays, and keeps its limits: they must count a login to a number with an account
 * like one without (docs/security.md, enumeration); the user can ask again or for a call. A send
 * whose answer never came (`unknown`) is no failure: the code may arrive, the verification stays.
 */
async function sendOrForget(
  ctx: Ctx,
  v: VerificationRow,
  msg: ReturnType<typeof codeMessage>,
  caller: Caller,
  limits: CheckedLimit[],
  onRequestPath: boolean,
) {
  try {
    await deliver(ctx, msg, v.id)
  } catch (err) {
    await forgetSend(ctx.db, v.id)
    if (onRequestPath) await store.deleteVerification(ctx.db, v.id)
    if (onRequestPath && nothingSent(err)) await refund(ctx.db, limits, v.createdAt)
    if (onRequestPath && nothingSent(err)) await release(ctx.db, v.id, v.createdAt)
    await audit(ctx, {
      actor: 'public',
      action: 'verification.send',
      outcome: 'provider_unavailable',
      userId: v.userId,
      phoneMasked: v.phoneMasked,
      address: caller.address,
      detail: { id: v.id },
    })
    if (onRequestPath) throw err
  }
}
