/**
 * The bot challenge on a start (docs/security.md "The bot challenge"): off; always; or adaptive,
 * asked only when the start shows risk (risk.ts). When asked, the start must carry a token that
 * the provider's siteverify passes, made on one of the site's hosts for our action, never used
 * before. It fails closed: with the provider down, or our key refused, a start that needs the
 * challenge answers 503 `challenge_unavailable` (Retry-After); one that does not is not slowed.
 */
import type { Settings } from '../../shared/schemas.js'
import type { Ctx } from '../context.js'
import { ApiError, rateLimited } from '../http/errors.js'
import { CHALLENGE_RETRY_AFTER_MS } from '../limits/policy.js'
import { getSettings } from '../settings/settings.js'
import { noteRefusal, riskOf, type RiskScope } from './risk.js'
import { siteHostnames, siteverify } from './siteverify.js'
import { openSecret, readChallenge, spendToken } from './store.js'

export { challenged } from '../../shared/challenge-action.js'

const unavailable = () =>
  rateLimited(
    CHALLENGE_RETRY_AFTER_MS,
    'The bot check cannot be made right now.',
    'challenge_unavailable',
  )

export async function challengeGate(
  ctx: Ctx,
  s: Settings,
  token: string | undefined,
  scope: RiskScope,
  now: number,
): Promise<void> {
  if (s.challengeMode === 'off' || !s.challengeSiteKey) return
  if (s.challengeMode === 'adaptive') {
    const signal = await riskOf(ctx, s, scope, now)
    if (!signal) return
    if (!token) ctx.log('challenge.asked', { signal })
  }
  if (!token)
    throw new ApiError(
      'challenge_required',
      'Complete the bot challenge, then send the start again with its challengeToken.',
    )
  const stored = await readChallenge(ctx.db)
  const secret = await openSecret(ctx.keys, stored)
  if (!secret) {
    ctx.log('challenge.misconfigured', { reason: 'no_secret' })
    throw unavailable()
  }
  const verdict = await siteverify(ctx, {
    provider: s.challengeProvider,
    secret,
    token,
    remoteip: scope.address,
    baseUrl: stored.baseUrl,
    hostnames: siteHostnames(ctx.config.publicUrl, s.allowedOrigins),
  })
  if (!verdict.ok) {
    if (verdict.reason === 'unavailable' || verdict.reason === 'misconfigured') {
      ctx.log(`challenge.${verdict.reason}`, { provider: s.challengeProvider })
      throw unavailable()
    }
    ctx.log('challenge.refused', { reason: verdict.reason })
    await refusedBy(ctx, s, scope.address, now)
    throw new ApiError('challenge_required', 'The bot challenge was not passed. Try it again.')
  }
  if (!(await spendToken(ctx.db, token, now))) {
    ctx.log('challenge.refused', { reason: 'replay' })
    await refusedBy(ctx, s, scope.address, now)
    throw new ApiError(
      'challenge_required',
      'That challenge token was already used. Complete the challenge again.',
    )
  }
  ctx.log('challenge.passed', { provider: s.challengeProvider })
}

/** A refusal, noted for the adaptive mode's `refusals` signal while that mode is on. */
async function refusedBy(ctx: Ctx, s: Settings, address: string, now: number): Promise<void> {
  if (s.challengeMode === 'adaptive') await noteRefusal(ctx, address, now)
}

const LIMITS: ReadonlySet<string> = new Set(['rate_limited', 'too_many_attempts'])

/** A start refused by a limit or the breaker: noted (risk.ts `refusals`), then rethrown. */
export async function noteIfLimited(ctx: Ctx, err: unknown, address: string): Promise<never> {
  if (err instanceof ApiError && LIMITS.has(err.code))
    await refusedBy(ctx, await getSettings(ctx.db), address, ctx.clock())
  throw err
}
