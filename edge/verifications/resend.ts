/**
 * POST /v1/verifications/{id}/resend: the same code again, on the channel asked (Twilio Verify's
 * behaviour, docs/security.md §resends): a verification has exactly one code, so resends never
 * multiply a guesser's odds, and "a code sent earlier keeps working" holds because it is the same.
 * Every resend counts towards the number's message limit; the cooldown doubles after each send.
 */
import type { Verification } from '../../shared/schemas.js'
import { audit } from '../audit/audit.js'
import { settingsOf } from '../settings/settings.js'
import { configSnapshot } from '../settings/snapshot.js'
import type { Ctx } from '../context.js'
import { rateLimited } from '../http/errors.js'
import { lockedFor, verificationSubject } from '../limits/guesses.js'
import { refund, refusedRetryAfter, reportTo } from '../limits/limits.js'
import { limitOf, resendCooldownMs, SENDS_PER_TEST_NUMBER } from '../limits/policy.js'
import { deliver, prepareConsoleDelivery } from '../messages/deliver.js'
import { nothingSent } from '../messages/failures.js'
import { normalisePhone, type Channel } from '../phone.js'
import {
  codeMessage,
  isAnonymous,
  messagesLimit,
  sendsAfterAnswer,
  testMark,
  TOO_MANY_CODES,
  view,
  type Caller,
} from './common.js'
import { refusal, refusalError } from './refusal.js'
import { unseal } from './sealed.js'
import * as store from './store.js'
import { destination } from './target.js'
import { capCondition, capRefusal, chargeOf, release, reserveStatement } from '../spend/cap.js'

export async function resendVerification(
  ctx: Ctx,
  id: string,
  channel: Channel | undefined,
  caller: Caller,
): Promise<Verification> {
  const now = ctx.clock()
  // One read of the configuration's version: the settings and the prices as of it.
  const config = await configSnapshot(ctx.db)
  const settings = settingsOf(config)
  const before = await store.getVerification(ctx.db, id)
  if (!before) throw refusalError('not_found', null, now)
  const refused = refusal(before, now, { op: 'resend' })
  if (refused) throw refused
  const secret = await unseal(ctx, before.sealed)
  if (!secret) throw refusalError('expired', before, now)
  const to = channel ?? before.channel
  // The same destination rules as the first send: a landline gets calls only, voice included. A
  // reset asked by email (no number shown) is answered alike instead: silent (reset-target.ts). A
  // test number's (edge/test-numbers/) are skipped, as at start: it is sent nothing.
  let hidden = false
  try {
    if (!before.test) destination(ctx, normalisePhone(secret.phone), settings, to)
  } catch (err) {
    if (before.phoneMasked !== '' || before.purpose !== 'password_reset') throw err
    hidden = true
  }
  const locked = await lockedFor(ctx.db, verificationSubject(before), now)
  if (locked && !isAnonymous(before.purpose))
    throw rateLimited(locked, 'Too many failed attempts on this account.')
  const silent = before.silent || locked > 0 || hidden
  const limit = before.test
    ? limitOf(SENDS_PER_TEST_NUMBER, before.phoneHash)
    : messagesLimit(settings, before.phoneHash)
  // A resend is a send: it is checked against the spend cap and records its cost (edge/spend/).
  const charge = before.test ? null : chargeOf(config, secret.phone, to, silent)
  const updated = await store.countResend(
    ctx.db,
    {
      id,
      now,
      nextResendAt: now + resendCooldownMs(settings, before.sends + 1),
      channel: to,
      limit,
    },
    charge
      ? {
          cond: capCondition(settings, charge, now),
          reserve: silent ? null : reserveStatement(id, charge, now, 'changes() = 1'),
        }
      : undefined,
  )
  if (!updated) {
    // The row says why, unless the number's message limit or the spend cap refused it.
    const again = (await store.getVerification(ctx.db, id)) ?? before
    const why = refusal(again, now, { op: 'resend' })
    if (why) throw why
    const capped = charge && (await capRefusal(ctx, settings, charge, now))
    if (capped) throw capped
    throw rateLimited(
      await refusedRetryAfter(ctx.db, [limit], now, reportTo(ctx.log)),
      TOO_MANY_CODES,
    )
  }
  if (!silent && !before.test) {
    const msg = codeMessage(ctx, to, secret.phone, secret.code, settings, before)
    const consoleSend = await prepareConsoleDelivery(ctx, msg, id)
    if (consoleSend) {
      // Its rows are written after a statement that changes exactly one row (their guard).
      await ctx.db.batch([store.touchStatement(id), ...consoleSend.statements], 'write')
      consoleSend.sent()
    } else if (sendsAfterAnswer(before.purpose)) ctx.defer(deliver(ctx, msg, id))
    else {
      try {
        await deliver(ctx, msg, id)
      } catch (err) {
        // Not sent: the resend does not count, nor its message to the number (a timeout does).
        await store.undoResend(ctx.db, before, updated.sends)
        if (nothingSent(err)) await refund(ctx.db, [limit], now)
        if (nothingSent(err)) await release(ctx.db, id, now)
        throw err
      }
    }
  }
  await audit(ctx, {
    actor: caller.auth ? `user:${caller.auth.userId}` : 'public',
    action: 'verification.resend',
    outcome: 'sent',
    userId: before.userId,
    phoneMasked: before.phoneMasked,
    address: caller.address,
    detail: { channel: updated.channel, id, ...testMark(before) },
  })
  return view(updated)
}
