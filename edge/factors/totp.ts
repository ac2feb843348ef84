/**
 * TOTP (RFC 6238: SHA-1, 30 s steps, 6 digits, ±1 step) on the maintained `otpauth` library,
 * which runs on every target runtime. Seeds are 160 bits (RFC 4226 §4 R6), sealed at rest with
 * AES-256-GCM; a step once accepted is never accepted again (RFC 6238 §5.2): the last accepted
 * step moves forward in one guarded UPDATE (claimTotpStep, accounts/users.ts), so concurrent requests
 * cannot both use it.
 */
import { Secret, TOTP } from 'otpauth'
import type { Deps } from '../deps.js'
import type { Keys } from '../crypto/keys.js'
import { openOrNull, seal } from '../crypto/seal.js'

export const PERIOD_S = 30
export const WINDOW = 1

export function newSecret(): string {
  return new Secret({ size: 20 }).base32
}

/**
 * The Key URI Format's label splits at its first colon, written `:` or `%3A` (authenticator apps
 * and `otpauth` decode first), so neither part may hold one: a site name such as "Acme: Shop"
 * is shown as "Acme Shop" in the label, and given as it is in the `issuer` parameter.
 */
const labelPart = (s: string) => s.replace(/\s*:\s*/g, ' ').trim()

/** `otpauth://totp/Issuer:account?issuer=…`, each part percent-encoded. */
export function otpauthUrl(secret: string, issuer: string, account: string): string {
  const e = encodeURIComponent
  const shown = labelPart(issuer)
  const label = shown ? `${e(shown)}:${e(labelPart(account))}` : e(labelPart(account))
  const seed = Secret.fromBase32(secret).base32
  return (
    `otpauth://totp/${label}?issuer=${e(issuer)}&secret=${seed}` +
    `&algorithm=SHA1&digits=6&period=${PERIOD_S}`
  )
}

/** The time step a code matches within ±1 step of `now`, or null. Only 6 ASCII digits can match. */
export function matchStep(secret: string, code: string, now: number): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null
  const totp = new TOTP({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_S,
  })
  const delta = totp.validate({ token: code, timestamp: now, window: WINDOW })
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_S) + delta
}

export const sealSecret = (keys: Keys, secret: string) => seal(keys, secret)

/**
 * The user's seed, opened; null when there is none, or when no accepted secret opens it (logged
 * without the value): then no code matches, and the account signs in with its other factors.
 */
export async function loadSecret(
  deps: Pick<Deps, 'db' | 'keys' | 'log'>,
  userId: string,
  column: 'totp_secret_sealed' | 'totp_pending_sealed',
): Promise<string | null> {
  const r = await deps.db.execute({
    sql: `SELECT ${column} AS s FROM users WHERE id = ?`,
    args: [userId],
  })
  const sealed = r.rows[0]?.s
  if (sealed === null || sealed === undefined) return null
  const seed = await openOrNull(deps.keys, String(sealed))
  if (seed === null) deps.log('sealed.unreadable', { what: column, userId })
  return seed
}
