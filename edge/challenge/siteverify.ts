/**
 * One siteverify call (the three providers take the same form fields: `secret`, `response`,
 * `remoteip`) and the checks on its answer: success, the hostname is one of the site's, the action
 * is ours (Turnstile, reCAPTCHA), the score is high enough (reCAPTCHA v3). No answer, a 5xx or an
 * answer that is not JSON: the provider is down, and the start fails closed (503). A refusal of
 * our own secret is no user's fault either: 503, logged as misconfigured.
 */
import { CHALLENGE_ACTION, type ChallengeProvider } from '../../shared/enums.js'
import type { Ctx } from '../context.js'
import { RECAPTCHA_MIN_SCORE, SITEVERIFY_TIMEOUT_MS } from '../limits/policy.js'
import { CHALLENGES, verifyUrl } from './providers.js'

export type Verdict =
  | { ok: true }
  | { ok: false; reason: 'failed' | 'hostname' | 'action' | 'score' }
  | { ok: false; reason: 'unavailable' | 'misconfigured' }

const OUR_FAULT = ['missing-input-secret', 'invalid-input-secret', 'sitekey-secret-mismatch']

export async function siteverify(
  ctx: Ctx,
  call: {
    provider: ChallengeProvider
    secret: string
    token: string
    remoteip: string | null
    baseUrl: string | null
    /** The hostnames a token may have been made on (the site's origins). */
    hostnames: (host: string) => boolean
  },
): Promise<Verdict> {
  const form = new URLSearchParams({ secret: call.secret, response: call.token })
  if (call.remoteip && call.remoteip !== 'unknown') form.set('remoteip', call.remoteip)
  let body: Record<string, unknown>
  try {
    const res = await ctx.fetch(verifyUrl(call.provider, call.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: AbortSignal.timeout(SITEVERIFY_TIMEOUT_MS),
      redirect: 'manual',
    })
    const text = await res.text()
    if (res.status >= 300) return { ok: false, reason: 'unavailable' }
    const parsed = JSON.parse(text) as unknown
    if (typeof parsed !== 'object' || parsed === null) return { ok: false, reason: 'unavailable' }
    body = parsed as Record<string, unknown>
  } catch {
    // Refused, reset, timed out, not JSON: the error itself is never echoed (it can carry the URL).
    return { ok: false, reason: 'unavailable' }
  }
  const codes = Array.isArray(body['error-codes']) ? body['error-codes'].map(String) : []
  if (codes.some((c) => OUR_FAULT.includes(c))) return { ok: false, reason: 'misconfigured' }
  if (body.success !== true) return { ok: false, reason: 'failed' }
  const spec = CHALLENGES[call.provider]
  if (typeof body.hostname !== 'string' || !call.hostnames(body.hostname))
    return { ok: false, reason: 'hostname' }
  if (spec.action && body.action !== CHALLENGE_ACTION) return { ok: false, reason: 'action' }
  if (spec.score && !(typeof body.score === 'number' && body.score >= RECAPTCHA_MIN_SCORE))
    return { ok: false, reason: 'score' }
  return { ok: true }
}

/**
 * Whether a token made on `host` was made on one of the site's pages: the public URL's host, or
 * an `allowedOrigins` entry's (a wildcard entry `https://*.example.com` takes its subdomains).
 */
export function siteHostnames(publicUrl: string, allowedOrigins: string[]) {
  const exact = new Set<string>()
  const suffixes: string[] = []
  for (const o of [publicUrl, ...allowedOrigins]) {
    const wild = o.match(/^[a-z]+:\/\/\*(\.[^:/]+)/)
    if (wild) suffixes.push(wild[1]!)
    else
      try {
        exact.add(new URL(o).hostname)
      } catch {
        // An entry the settings schema let through is an origin; nothing else can be here.
      }
  }
  return (host: string) => {
    const h = host.toLowerCase()
    return exact.has(h) || suffixes.some((s) => h.endsWith(s) && h.length > s.length)
  }
}
