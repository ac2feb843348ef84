/**
 * What the four clients share: one HTTP exchange under a timeout, the body read whatever the
 * status, and error strings that can be stored and logged (no credentials, codes or numbers).
 */
import { isRetryable, type FailureReason } from './reasons.js'
import type { Channel, OutboundMessage, ProviderClient, SendContext, SendResult } from './types.js'

export const DEFAULT_TIMEOUT_MS = 5000

export type Answer =
  { ok: true; status: number; json: unknown; text: string } | { ok: false; result: SendResult }

/**
 * One request; the timeout covers the headers and the body. A network error (refused, reset) is
 * `failed` (retryable); a timeout is `unknown`: the provider may have taken the message and only
 * its answer is missing (docs/security.md, case T38). The thrown error is never echoed: its message can
 * carry the URL, and 2Factor.in puts the API key and the code in the path.
 */
export async function exchange(ctx: SendContext, url: string, init: RequestInit): Promise<Answer> {
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS
  try {
    const signal = AbortSignal.timeout(timeoutMs)
    const res = await ctx.fetch(url, { ...init, signal, redirect: 'manual' })
    const text = await res.text()
    return { ok: true, status: res.status, json: parseJson(text), text }
  } catch (err) {
    const name = err instanceof Error ? err.name : ''
    const timedOut = name === 'TimeoutError' || name === 'AbortError'
    return {
      ok: false,
      result: timedOut
        ? unknown(`timeout after ${timeoutMs} ms`)
        : failure('temporary', 'network error'),
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A field as a non-empty string (numbers too: some providers send codes as numbers). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}

export function sent(messageId: string): SendResult {
  return { status: 'sent', messageId }
}

/** A refusal: `failed` (another provider may do better) or `rejected`, as the reason says. */
export function failure(reason: FailureReason, error: string): SendResult {
  return isRetryable(reason)
    ? { status: 'failed', error, reason }
    : { status: 'rejected', error, reason }
}

export function unknown(error: string): SendResult {
  return { status: 'unknown', error }
}

/** The documented origin, or the configured one (scheme and host only: the paths stay ours). */
export function originOf(baseUrl: string | undefined, fallback: string): string | null {
  if (!baseUrl) return fallback
  try {
    const url = new URL(baseUrl)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null
  } catch {
    return null
  }
}

/** The first required credential that is missing, if any. */
/**
 * What every client checks before its call: its required credentials are set, and the origin it
 * calls (the documented one, or the integration's `baseUrl`) is usable. The origin, or the
 * refusal to answer with.
 */
export function callOrigin(
  name: string,
  ctx: SendContext,
  required: readonly string[],
  documented: string,
): string | SendResult {
  const missing = missingCredential(ctx.credentials, required)
  if (missing) return failure('config', `${name}: credential ${missing} is not set`)
  return originOf(ctx.baseUrl, documented) ?? failure('config', `${name}: invalid baseUrl`)
}

/**
 * A provider's client from what is its own: the call it makes, given the origin to call. Every
 * send first goes through `callOrigin`, so no client can skip the credential and origin checks.
 */
export type HttpCall = (
  msg: OutboundMessage,
  ctx: SendContext,
  origin: string,
) => Promise<SendResult>

export function httpClient(spec: {
  name: string
  channels: readonly Channel[]
  origin: string
  credentials: ProviderClient['credentials']
  eligible?: ProviderClient['eligible']
  call: HttpCall
}): ProviderClient {
  const { call, eligible = (to) => E164.test(to), ...rest } = spec
  return {
    ...rest,
    eligible,
    send: async (msg, ctx) => {
      const origin = callOrigin(spec.name, ctx, spec.credentials.required, spec.origin)
      return typeof origin === 'string' ? call(msg, ctx, origin) : origin
    },
  }
}

export function missingCredential(
  credentials: Record<string, string>,
  required: readonly string[],
): string | undefined {
  return required.find((key) => !credentials[key])
}

/**
 * A provider's error text made safe to store: every credential value, the code and the
 * destination are cut out, and so is any run of 4 digits or more (codes, numbers); then trimmed.
 */
export function clean(text: unknown, msg: OutboundMessage, ctx: SendContext): string {
  if (typeof text !== 'string') return ''
  let out = text
  const secrets = [...Object.values(ctx.credentials), msg.code ?? '', msg.to, digitsOf(msg.to)]
  for (const secret of secrets.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***')
  }
  out = out
    .replace(/\d{4,}/g, '***')
    .replace(/\s+/g, ' ')
    .trim()
  return out.length > 160 ? `${out.slice(0, 157)}...` : out
}

/** `name: detail`, or just `name` when the provider said nothing usable. */
export function describe(prefix: string, detail: string): string {
  return detail ? `${prefix}: ${detail}` : prefix
}

export function digitsOf(e164: string): string {
  return e164.replace(/\D/g, '')
}

export function base64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** Strict E.164: a plus, a country code, at most 15 digits. */
export const E164 = /^\+[1-9]\d{6,14}$/

/** A number as a receipt gives it (`+…` or international digits), in E.164; or undefined. */
export function asE164(value: string | undefined): string | undefined {
  const e164 = value ? `+${digitsOf(value)}` : ''
  return E164.test(e164) ? e164 : undefined
}
