/**
 * The claims of an access token (README, "Verifying tokens in your backend"; docs/api.md):
 * `sub` (the user), `sid` (the session), `auth_time` (OpenID Connect Core §2: the latest proof of
 * a factor, so a site backend can ask for a recent one itself), `amr` (RFC 8176: the factors of
 * that proof) and `phone_verified` (whether the account's number is verified), with `iss`, `aud`,
 * `iat` and `exp` (15 minutes).
 */
import { jwtVerify, type JWTPayload } from 'jose'
import { base64url } from '../crypto/random.js'
import type { MfaMethod } from '../../shared/schemas.js'
import type { SigningKey } from './signing-key.js'

const enc = new TextEncoder()
const jsonPart = (value: object) => base64url(enc.encode(JSON.stringify(value)))

export const ACCESS_TTL_S = 900
export const AUDIENCE = 'sms-auth'

/**
 * Our factors as RFC 8176 §2 names them: `sms`, `pwd`, `otp` (TOTP). A backup code has no
 * registered value: it is `backup_code` (the name docs/api.md gives the factor).
 */
export const AMR_VALUES: Record<MfaMethod, string> = {
  sms: 'sms',
  password: 'pwd',
  totp: 'otp',
  backup_code: 'backup_code',
}

/** The `amr` claim of a proof by `methods`: their values, and `mfa` when two or more were used. */
export function amrClaim(methods: readonly MfaMethod[]): string[] {
  const values = [...new Set(methods.map((m) => AMR_VALUES[m]))]
  return values.length > 1 ? [...values, 'mfa'] : values
}

/**
 * The claims of an access token as a backend reads them (edge/server verifies them; this file
 * signs them). Declared once here.
 */
export interface AccessTokenClaims {
  iss: string
  aud: string
  sub: string
  sid: string
  iat: number
  exp: number
  /** Seconds since the epoch: the latest proof of a factor. */
  auth_time: number
  /** RFC 8176 values (AMR_VALUES), plus `mfa` when two or more factors were used. */
  amr: string[]
  phone_verified: boolean
}

/** What an access token says about its session (the user's part is read when it is signed). */
export interface TokenSubject {
  userId: string
  sessionId: string
  /** The latest proof of a factor (ms). */
  authAt: number
  amr: readonly MfaMethod[]
  phoneVerified: boolean
}

/**
 * The token, signed with the key's engine (edge/crypto/engine.ts). The compact JWS is put
 * together here rather than by jose's SignJWT, which signs through Web Crypto only: the header
 * and claims are the ones SignJWT wrote, in its order (tests/edge/crypto/engine.test.ts).
 */
export async function signAccessToken(
  key: SigningKey,
  issuer: string,
  now: number,
  t: TokenSubject,
): Promise<string> {
  const iat = Math.floor(now / 1000)
  const header = { alg: 'ES256', kid: key.kid, typ: 'JWT' }
  const claims = {
    sid: t.sessionId,
    auth_time: Math.floor(t.authAt / 1000),
    amr: amrClaim(t.amr),
    phone_verified: t.phoneVerified,
    iss: issuer,
    aud: AUDIENCE,
    sub: t.userId,
    iat,
    exp: iat + ACCESS_TTL_S,
  } satisfies AccessTokenClaims
  const input = `${jsonPart(header)}.${jsonPart(claims)}`
  return `${input}.${base64url(await key.sign(enc.encode(input)))}`
}

/**
 * The payload of an access token signed by us, or null: signature with our key only (ES256
 * allow-list, so `alg: none` and HS256-with-the-public-key are refused), issuer, audience, expiry,
 * and a `sub` and `sid`. Whether its session is still live is the caller's question.
 */
export async function verifyAccessToken(
  key: SigningKey,
  issuer: string,
  token: string,
  now: number,
): Promise<(JWTPayload & { sub: string; sid: string }) | null> {
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['ES256'],
      issuer,
      audience: AUDIENCE,
      currentDate: new Date(now),
    })
    const { sub, sid } = payload
    if (!sub || typeof sid !== 'string') return null
    return { ...payload, sub, sid }
  } catch {
    return null
  }
}
