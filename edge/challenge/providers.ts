/**
 * The three bot challenges, as their documentation describes them: where the browser loads the
 * script, where the server verifies a token, and whether a token carries the action it was made
 * for. A `baseUrl` (PUT /v1/admin/challenge) replaces the origin of both; the paths stay.
 */
import type { ChallengeProvider } from '../../shared/enums.js'

export interface ChallengeSpec {
  /** The documented origin of the script. */
  scriptOrigin: string
  /** Path and query of the script (`{siteKey}` filled in). */
  scriptPath: string
  /** The documented origin of siteverify. */
  verifyOrigin: string
  verifyPath: string
  /** Tokens name the action the page gave (`action` in the siteverify answer). */
  action: boolean
  /** The answer carries a score (reCAPTCHA v3), checked against RECAPTCHA_MIN_SCORE. */
  score: boolean
}

export const CHALLENGES: Record<ChallengeProvider, ChallengeSpec> = {
  // https://developers.cloudflare.com/turnstile/get-started/server-side-validation/
  turnstile: {
    scriptOrigin: 'https://challenges.cloudflare.com',
    scriptPath: '/turnstile/v0/api.js?render=explicit',
    verifyOrigin: 'https://challenges.cloudflare.com',
    verifyPath: '/turnstile/v0/siteverify',
    action: true,
    score: false,
  },
  // https://docs.hcaptcha.com/#verify-the-user-response-server-side
  hcaptcha: {
    scriptOrigin: 'https://js.hcaptcha.com',
    scriptPath: '/1/api.js?render=explicit',
    verifyOrigin: 'https://api.hcaptcha.com',
    verifyPath: '/siteverify',
    action: false,
    score: false,
  },
  // https://developers.google.com/recaptcha/docs/v3 and /docs/verify
  recaptcha: {
    scriptOrigin: 'https://www.google.com',
    scriptPath: '/recaptcha/api.js?render={siteKey}',
    verifyOrigin: 'https://www.google.com',
    verifyPath: '/recaptcha/api/siteverify',
    action: true,
    score: true,
  },
}

export function scriptUrl(p: ChallengeProvider, siteKey: string, baseUrl: string | null): string {
  const spec = CHALLENGES[p]
  return (
    (baseUrl ?? spec.scriptOrigin) +
    spec.scriptPath.replace('{siteKey}', encodeURIComponent(siteKey))
  )
}

export function verifyUrl(p: ChallengeProvider, baseUrl: string | null): string {
  const spec = CHALLENGES[p]
  return (baseUrl ?? spec.verifyOrigin) + spec.verifyPath
}
