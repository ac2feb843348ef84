/**
 * Failover between the configured providers: pure logic, no storage. Providers are tried one at
 * a time in the order given (the admin's priority), among those that can take the destination and
 * channel. `failed` (retryable) moves on; `sent` and `rejected` stop. Nothing runs in parallel and
 * nothing is retried, so one route sends at most one message that a provider accepted.
 */
import { DEFAULT_TIMEOUT_MS } from './http.js'
import type { Channel, OutboundMessage, ProviderClient, ProviderName, SendResult } from './types.js'

export interface ConfiguredProvider {
  name: ProviderName
  client: ProviderClient
  credentials: Record<string, string>
  baseUrl?: string
  /** The admin's switch for the voice channel. */
  voice: boolean
}

export interface Attempt {
  provider: ProviderName
  status: 'sent' | 'rejected' | 'failed'
  messageId?: string
  error?: string
  /** Milliseconds the try took. */
  ms: number
}

export type RouteResult =
  | { outcome: 'sent'; provider: ProviderName; messageId: string; attempts: Attempt[] }
  /** `rejected`: a provider refused for good (invalid or opted-out number, credentials…). */
  | { outcome: 'rejected'; attempts: Attempt[] }
  /** `unavailable`: nobody eligible, or every eligible provider failed (503 provider_unavailable). */
  | { outcome: 'unavailable'; attempts: Attempt[] }

export interface RouteOptions {
  fetch: typeof fetch
  /** Per provider call; default 5000 ms. */
  timeoutMs?: number
  /** The receipt URL for a provider (`…/v1/webhooks/{provider}`), for those that take one per send. */
  statusCallbackUrl?: (provider: ProviderName) => string | undefined
  /** Milliseconds, for `Attempt.ms`; injected so tests and runtimes agree. */
  now?: () => number
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
  const now = options.now ?? (() => Date.now())
  const attempts: Attempt[] = []
  for (const p of eligibleProviders(providers, msg.to, msg.channel)) {
    const started = now()
    let result: SendResult
    try {
      result = await p.client.send(msg, {
        credentials: p.credentials,
        baseUrl: p.baseUrl,
        fetch: options.fetch,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        statusCallbackUrl: options.statusCallbackUrl?.(p.name),
      })
    } catch {
      // Clients do not throw; if one does, its message may hold anything, so it is not kept.
      result = { status: 'failed', error: `${p.name}: unexpected client error` }
    }
    const ms = Math.max(0, now() - started)
    if (result.status === 'sent') {
      attempts.push({ provider: p.name, status: 'sent', messageId: result.messageId, ms })
      return { outcome: 'sent', provider: p.name, messageId: result.messageId, attempts }
    }
    attempts.push({ provider: p.name, status: result.status, error: result.error, ms })
    if (result.status === 'rejected') return { outcome: 'rejected', attempts }
  }
  return { outcome: 'unavailable', attempts }
}
