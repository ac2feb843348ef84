/**
 * Verify an sms-auth access token in a site's own backend (docs/guides/backend.md).
 * ES256 only, audience `sms-auth`, the issuer you name, keys from the edge's JWKS (cached per URL)
 * or a public key you hold. No `node:` import: it runs on Node, Deno, Bun and Workers.
 */
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type CryptoKey,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose'
import { AUDIENCE, type AccessTokenClaims } from '../sessions/claims.js'
import { ApiError, problemResponse } from '../http/errors.js'

export type { AccessTokenClaims } from '../sessions/claims.js'

/** Where the keys come from: the edge's `<publicUrl>/.well-known/jwks.json`, or a key you hold. */
export type KeySource =
  | { jwksUrl: string | URL; publicKey?: never }
  | { publicKey: CryptoKey | KeyObject | Uint8Array; jwksUrl?: never }

export type VerifyOptions = KeySource & {
  /** The edge's public URL (its `iss`), e.g. `https://shop.example/auth`. */
  issuer: string
  /** Defaults to `sms-auth`. */
  audience?: string
  /** Seconds of clock skew accepted on `exp`/`iat`; default 5, at most 60. */
  clockTolerance?: number
  /** The time to verify at (tests). */
  currentDate?: Date
}

export type VerifyFailure = 'missing' | 'expired' | 'invalid'

/** Why a token was refused: `missing` (no token), `expired`, `invalid` (anything else). */
export class AccessTokenError extends Error {
  override name = 'AccessTokenError'
  constructor(
    readonly reason: VerifyFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

const remoteSets = new Map<string, JWTVerifyGetKey>()

/** One cached key set per JWKS URL (jose refetches it on an unknown `kid`, at most every 30 s). */
function remoteSet(url: string | URL): JWTVerifyGetKey {
  const href = new URL(url).href
  let set = remoteSets.get(href)
  if (!set) {
    set = createRemoteJWKSet(new URL(href))
    remoteSets.set(href, set)
  }
  return set
}

function isClaims(p: Record<string, unknown>): p is Record<string, unknown> & AccessTokenClaims {
  return (
    typeof p.sub === 'string' &&
    typeof p.sid === 'string' &&
    typeof p.iss === 'string' &&
    typeof p.iat === 'number' &&
    typeof p.exp === 'number' &&
    typeof p.auth_time === 'number' &&
    Array.isArray(p.amr) &&
    p.amr.every((v) => typeof v === 'string') &&
    typeof p.phone_verified === 'boolean'
  )
}

/** The token's claims, or throws AccessTokenError. */
export async function verifyAccessToken(
  token: string | null | undefined,
  opts: VerifyOptions,
): Promise<AccessTokenClaims> {
  if (!token) throw new AccessTokenError('missing', 'No access token')
  const audience = opts.audience ?? AUDIENCE
  const clockTolerance = Math.min(Math.max(opts.clockTolerance ?? 5, 0), 60)
  const verifyOpts = {
    algorithms: ['ES256'],
    issuer: opts.issuer,
    audience,
    clockTolerance,
    ...(opts.currentDate ? { currentDate: opts.currentDate } : {}),
  }
  try {
    const { payload } = opts.jwksUrl
      ? await jwtVerify(token, remoteSet(opts.jwksUrl), verifyOpts)
      : await jwtVerify(token, opts.publicKey!, verifyOpts)
    const aud = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud
    const claims = { ...payload, aud }
    if (!isClaims(claims)) throw new AccessTokenError('invalid', 'Not an sms-auth access token')
    return claims
  } catch (err) {
    if (err instanceof AccessTokenError) throw err
    if (err instanceof joseErrors.JWTExpired)
      throw new AccessTokenError('expired', 'Access token expired', { cause: err })
    throw new AccessTokenError('invalid', 'Invalid access token', { cause: err })
  }
}

/** The bearer token of an `Authorization` header, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const m = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header ?? '')
  return m ? m[1]! : null
}

/** The 401 a refused request gets (problem+json, code `unauthorized`, RFC 6750 challenge). */
export function unauthorizedResponse(err: AccessTokenError): Response {
  const challenge =
    err.reason === 'missing'
      ? 'Bearer'
      : `Bearer error="invalid_token", error_description="${err.reason === 'expired' ? 'expired' : 'invalid'}"`
  return problemResponse(new ApiError('unauthorized', err.message), {
    'www-authenticate': challenge,
  })
}
