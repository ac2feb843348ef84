/**
 * Step-up ("reverification", OWASP MFA cheat sheet "Changing MFA Factors", docs/security.md, Step-up): a
 * sensitive change needs a proof of an enrolled factor made within the last 5 minutes in this
 * session. Signing in is such a proof; so is `POST /v1/me/reauth` (password, TOTP or backup code)
 * or an approved `reauth` verification (SMS or voice). A proof stamps the session row with its
 * time and method, so it is bound to this session and holds on every instance.
 */
import type { InStatement } from '@libsql/client'
import type { ReauthMethod } from '../../shared/errors.js'
import type { UserRow } from '../accounts/users.js'
import { ApiError } from '../http/errors.js'
import { REAUTH_WINDOW_MS } from '../limits/policy.js'
import type { Authenticated, ProofMethod } from './sessions.js'

/** The factors this account can prove now, in the order the widget offers them. */
export function proofMethods(u: UserRow): ReauthMethod[] {
  const methods: ReauthMethod[] = []
  if (u.phoneVerified && u.phone) methods.push('sms')
  if (u.totpEnabled) methods.push('totp')
  if (u.passwordHash) methods.push('password')
  if (u.backupRemaining > 0) methods.push('backup_code')
  return methods
}

/**
 * Throws `reauthentication_required` unless this session proved a factor within the window (and,
 * with `method`, that factor: replacing an authenticator app needs a code from the current one).
 */
export function requireFresh(
  auth: Authenticated,
  user: UserRow,
  now: number,
  method?: ProofMethod,
): void {
  const fresh = auth.authAt > now - REAUTH_WINDOW_MS
  if (fresh && (!method || auth.amr.includes(method))) return
  const methods = method ? [method] : proofMethods(user)
  throw new ApiError(
    'reauthentication_required',
    method === 'totp'
      ? 'Enter a current code from your authenticator app to replace it.'
      : 'Confirm it is you: prove one of your sign-in factors again.',
    { methods },
  )
}

/** Stamps a fresh proof on the session (a live one only). */
export function stampStatement(sessionId: string, method: ProofMethod, now: number): InStatement {
  return {
    sql: 'UPDATE sessions SET auth_at = ?, amr = ? WHERE id = ? AND revoked_at IS NULL',
    args: [now, method, sessionId],
  }
}

/** When a proof stamped now stops counting. */
export const freshUntil = (now: number) => new Date(now + REAUTH_WINDOW_MS).toISOString()
