/**
 * Failover between the configured providers: pure logic, no storage. Providers are tried one at
 * a time in the order given (the admin's priority), among those that can take the destination and
 * channel. `failed` (retryable) moves on; `sent` and `rejected` stop. A timeout (`unknown`: the
 * provider may have taken the message) stops too, unless the admin turned `failoverAfterTimeout`
 * on for that provider, accepting that the user may get two messages. Nothing runs in parallel
 * and nothing is retried, and the whole route runs within one time budget: each call gets its
 * own timeout, never more than what is left of the budget.
 */
import { DEFAULT_TIMEOUT_MS } from './http.js'
import type { FailureReason } from './reasons.js'
import type { ProviderName } from './registry.js'
import type { Channel, OutboundMessage, ProviderClient, SendResult } from './types.js'

/** The whole route, failover included (the user gets an answer within it). */
export const DEFAULT_BUDGET_MS = 8000
/**
 * Less than this left of the budget and the next provider is not called: a request cut off this
 * early would time out for sure, and a timed-out request may still deliver.
 */
export const MIN_ATTEMPT_MS = 100

export interface ConfiguredProvider {
  name: ProviderName
  client: ProviderClient
  credentials: Record<string, string>
  baseUrl?: string
  /** The admin's switch for the voice channel. */
  voice: boolean
  /** The admin's switch: after a timeout of this provider, try the next one (default off). */
  failoverAfterTimeout?: boolean
}

export interface Attempt {
  provider: ProviderName
  /** `timeout`: no answer in time, the message may still be delivered. */
  status: 'sent' | 'rejected' | 'failed' | 'timeout'
  messageId?: string
  error?: string
  /** Why it was refused (its provider's errors.ts); the router's own skips have none. */
  reason?: FailureReason
  /** Milliseconds the try took. */
  ms: number
}

export type RouteResult =
  | { outcome: 'sent'; provider: ProviderName; messageId: string; attempts: Attempt[] }
  /** `rejected`: a provider refused for good (invalid or opted-out number, credentials…). */
  | { outcome: 'rejected'; attempts: Attempt[] }
  /**
   * `unknown`: `provider` timed out and failover after a timeout is off for it: the message may
   * arrive, so no other provider is asked (docs/security.md, case T38).
   */
  | { outcome: 'unknown'; provider: ProviderName; attempts: Attempt[] }
  /**
   * `unavailable`: nobody eligible, or every eligible provider failed or timed out, or the budget
   * ran out (503 provider_unavailable). See `mayHaveSent` for timeouts among the attempts.
   */
  | { outcome: 'unavailable'; attempts: Attempt[] }

export interface RouteOptions {
  fetch: typeof fetch
  /** Per provider call; default 5000 ms, and never more than what is left of the budget. */
  timeoutMs?: number
  /** The whole route, every provider tried included; default 8000 ms. */
  budgetMs?: number
  /** The receipt URL for a provider (`…/v1/webhooks/{provider}`), for those that take one per send. */
  statusCallbackUrl?: (provider: ProviderName) => string | undefined
  /**
   * Milliseconds on a monotonic clock, for `Attempt.ms` and the budget (the timeouts are real
   * time, so this is too); default `performance.now()`, on every target runtime.
   */
  now?: () => number
}

/** Whether a message may have reached someone: a provider took it, or one timed out. */
export function mayHaveSent(result: RouteResult): boolean {
  if (result.outcome === 'sent' || result.outcome === 'unknown') return true
  return result.attempts.some((a) => a.status === 'timeout')
}

/** The providers that may carry `msg`, in the order given, each name once. */
export function eligibleProviders(
  providers: readonly ConfiguredProvider[],
  to: string,
  channel: Channel,
): ConfiguredProvider[] {
  const seen = new Set<ProviderName>()
  return providers.filter((p) => {
    if (seen.has(p.name)) return false
    const ok =
      p.client.channels.includes(channel) &&
      (channel !== 'voice' || p.voice) &&
      p.client.eligible(to, channel)
    if (ok) seen.add(p.name)
    return ok
  })
}

export async function route(
  providers: readonly ConfiguredProvider[],
  msg: OutboundMessage,
  options: RouteOptions,
): Promise<RouteResult> {
  const now = options.now ?? (() => performance.now())
  const perCall = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const deadline = now() + (options.budgetMs ?? DEFAULT_BUDGET_MS)
  const attempts: Attempt[] = []
  for (const p of eligibleProviders(providers, msg.to, msg.channel)) {
    const started = now()
    const left = Math.floor(deadline - started)
    if (left < MIN_ATTEMPT_MS) {
      // Never called, so certainly not sent: recorded so the admin sees why it was skipped.
      attempts.push({
        provider: p.name,
        status: 'failed',
        error: `${p.name}: not tried, the send budget was spent`,
        ms: 0,
      })
      continue
    }
    let result: SendResult
    try {
      result = await p.client.send(msg, {
        credentials: p.credentials,
        baseUrl: p.baseUrl,
        fetch: options.fetch,
        timeoutMs: Math.min(perCall, left),
        statusCallbackUrl: options.statusCallbackUrl?.(p.name),
      })
    } catch {
      // Clients do not throw; if one does, its message may hold anything, so it is not kept.
      result = {
        status: 'failed',
        error: `${p.name}: unexpected client error`,
        reason: 'temporary',
      }
    }
    const ms = Math.max(0, Math.round(now() - started))
    if (result.status === 'sent') {
      attempts.push({ provider: p.name, status: 'sent', messageId: result.messageId, ms })
      return { outcome: 'sent', provider: p.name, messageId: result.messageId, attempts }
    }
    if (result.status === 'unknown') {
      attempts.push({ provider: p.name, status: 'timeout', error: result.error, ms })
      if (!p.failoverAfterTimeout) return { outcome: 'unknown', provider: p.name, attempts }
      continue
    }
    const { status, error, reason } = result
    attempts.push({ provider: p.name, status, error, reason, ms })
    if (result.status === 'rejected') return { outcome: 'rejected', attempts }
  }
  return { outcome: 'unavailable', attempts }
}
