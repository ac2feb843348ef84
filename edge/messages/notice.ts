/**
 * Security notices by SMS (NIST SP 800-63B-4 §4.1.2.1: notify the subscriber of authenticator
 * changes through an independent channel). Best effort: a notice that cannot be delivered never
 * undoes the change that caused it. Every notice names its locale (no English default): the
 * verification's (its row) when one caused it, else the request's (http/locale.ts).
 */
import { siteConfig } from '../settings/settings.js'
import type { Ctx } from '../context.js'
import { deliver } from './deliver.js'
import { noticeText, type Notice } from './text.js'

export async function sendNotice(
  ctx: Ctx,
  to: string,
  notice: Notice,
  locale: string,
): Promise<void> {
  // A listed test number is sent nothing, notices included (edge/test-numbers/): the list and
  // the settings come from one read of the configuration's version.
  const { settings, listed } = await siteConfig(ctx)
  if ((await listed(to)) !== null) return
  const text = noticeText(notice, settings, locale)
  await deliver(ctx, { to, channel: 'sms', kind: 'notice', locale, text }, null).catch(
    () => undefined,
  )
}

/** A security notice to the account's verified phone, if it has one. */
export async function notifyAccount(
  ctx: Ctx,
  user: { phone: string | null; phoneVerified: boolean },
  notice: Notice,
  locale: string,
): Promise<void> {
  if (user.phoneVerified && user.phone) await sendNotice(ctx, user.phone, notice, locale)
}
