/**
 * Sessions: an ES256 access JWT (15 min) plus an opaque refresh token that rotates on every use.
 * Refresh tokens are stored as SHA-256 hashes; presenting one that was already used revokes the
 * whole session (the token family), as OAuth 2.0 Security BCP §4.14 recommends.
 */
import { jwtVerify, SignJWT } from 'jose'
import type { Client } from '@libsql/client'
import type { MfaMethod, Session } from '../../shared/schemas.js'
import { sha256Hex } from '../crypto/keys.js'
import { newId, newToken } from '../crypto/random.js'
import { ApiError } from '../http/errors.js'
import type { SigningKey } from './signing-key.js'

export const ACCESS_TTL_S = 900
/** NIST SP 800-63B-4 §2.2.3: reauthenticate at least every 24 h at AAL2; we keep 30 days at AAL1. */
export const SESSION_TTL_MS = 30 * 24 * 3600_000
export const AUDIENCE = 'sms-auth'

export interface SessionIssuer {
  db: Client
  key: SigningKey
  issuer: string
  now: number
}

/** The factors of a session's latest proof (sign-in or step-up), as docs/security.md names them. */
export type ProofMethod = MfaMethod

async function accessToken(
  s: SessionIssuer,
  userId: string,
  sessionId: string,
  authAt: number,
): Promise<string> {
  const iat = Math.floor(s.now / 1000)
  // auth_time (OpenID Connect Core §2): site backends can ask for a recent proof themselves.
  return new SignJWT({ sid: sessionId, auth_time: Math.floor(authAt / 1000) })
    .setProtectedHeader({ alg: 'ES256', kid: s.key.kid, typ: 'JWT' })
    .setIssuer(s.issuer)
    .setAudience(AUDIENCE)
    .setSubject(userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TTL_S)
    .sign(s.key.privateKey)
}

function refreshTokenRow(token: string, sessionId: string, now: number) {
  return {
    sql: 'INSERT INTO refresh_tokens (hash, session_id, created_at) VALUES (?, ?, ?)',
    args: [sha256Hex(token), sessionId, now],
  }
}

async function refreshToken(db: Client, sessionId: string, now: number): Promise<string> {
  const token = newToken('rt')
  await db.execute(refreshTokenRow(token, sessionId, now))
  return token
}

/** A new session made ready for a write: its rows, and the tokens to hand out once they are in. */
export interface PreparedSession {
  /** The session row and its first refresh token; with `ifChanged` in prepareSession, each is
   * written only if the statement before it in the batch changed a row. */
  statements: { sql: string; args: (string | number)[] }[]
  /** Signs the access token (independent of the write, so it can run alongside it). */
  sign(): Promise<Session>
}

/**
 * A new session, proven now by `amr` (the sign-in's factors). With `ifChanged`, each row is
 * written only if the statement before it in the batch changed a row.
 */
export function prepareSession(
  s: SessionIssuer,
  userId: string,
  amr: ProofMethod[],
  ifChanged = false,
): PreparedSession {
  const id = newId('ses')
  const refresh = newToken('rt')
  const guard = ifChanged ? ' WHERE changes() = 1' : ''
  return {
    statements: [
      {
        sql: `INSERT INTO sessions (id, user_id, created_at, expires_at, auth_at, amr)
              SELECT ?, ?, ?, ?, ?, ?${guard}`,
        args: [id, userId, s.now, s.now + SESSION_TTL_MS, s.now, amr.join(',')],
      },
      {
        sql: `INSERT INTO refresh_tokens (hash, session_id, created_at) SELECT ?, ?, ?${guard}`,
        args: [sha256Hex(refresh), id, s.now],
      },
    ],
    sign: async () => ({
      accessToken: await accessToken(s, userId, id, s.now),
      tokenType: 'Bearer',
      expiresIn: ACCESS_TTL_S,
      refreshToken: refresh,
    }),
  }
}

export async function createSession(
  s: SessionIssuer,
  userId: string,
  amr: ProofMethod[],
): Promise<Session> {
  const p = prepareSession(s, userId, amr)
  const [session] = await Promise.all([p.sign(), s.db.batch(p.statements, 'write')])
  return session
}

export async function refreshSession(s: SessionIssuer, token: string): Promise<Session> {
  const hash = await sha256Hex(token)
  const spent = await s.db.execute({
    sql: `UPDATE refresh_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL
          RETURNING session_id`,
    args: [s.now, hash],
  })
  const sessionId = spent.rows[0]?.session_id
  if (sessionId === undefined) {
    // Reuse of a spent token: someone holds a copy. End the whole family.
    const reused = await s.db.execute({
      sql: `UPDATE sessions SET revoked_at = ?, revoked_reason = 'refresh_reuse'
            WHERE revoked_at IS NULL AND id = (SELECT session_id FROM refresh_tokens WHERE hash = ?)`,
      args: [s.now, hash],
    })
    throw new ApiError(
      'unauthorized',
      reused.rowsAffected
        ? 'This refresh token was already used; the session has ended.'
        : 'Unknown refresh token.',
    )
  }
  const r = await s.db.execute({
    sql: `SELECT user_id, auth_at FROM sessions
          WHERE id = ? AND revoked_at IS NULL AND expires_at > ?`,
    args: [String(sessionId), s.now],
  })
  const userId = r.rows[0]?.user_id
  if (userId === undefined) throw new ApiError('unauthorized', 'The session has ended.')
  const authAt = Number(r.rows[0]!.auth_at)
  return {
    accessToken: await accessToken(s, String(userId), String(sessionId), authAt),
    tokenType: 'Bearer',
    expiresIn: ACCESS_TTL_S,
    refreshToken: await refreshToken(s.db, String(sessionId), s.now),
  }
}

export async function revokeSession(
  db: Client,
  sessionId: string,
  now: number,
  reason: string,
): Promise<void> {
  await db.execute({
    sql: 'UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
    args: [now, reason, sessionId],
  })
}

/** Ends every session of the account but `keep` (phone change). */
export async function revokeOtherSessions(
  db: Client,
  userId: string,
  keep: string | null,
  now: number,
): Promise<void> {
  await db.execute({
    sql: `UPDATE sessions SET revoked_at = ?, revoked_reason = 'factor_change'
          WHERE user_id = ? AND revoked_at IS NULL AND id != ?`,
    args: [now, userId, keep ?? ''],
  })
}

/**
 * Verifies an access token: signature with our key only (ES256 allow-list, so `alg: none` and
 * HS256-with-the-public-key are refused), issuer, audience, expiry, and a live session row.
 */
export async function authenticate(
  db: Client,
  key: SigningKey,
  issuer: string,
  token: string,
  now: number,
): Promise<Authenticated> {
  let sub: string | undefined
  let sid: unknown
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['ES256'],
      issuer,
      audience: AUDIENCE,
      currentDate: new Date(now),
    })
    sub = payload.sub
    sid = payload.sid
  } catch {
    throw new ApiError('unauthorized', 'The access token is missing, invalid or expired.')
  }
  if (!sub || typeof sid !== 'string') throw new ApiError('unauthorized')
  const r = await db.execute({
    sql: `SELECT auth_at, amr FROM sessions
          WHERE id = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > ?`,
    args: [sid, sub, now],
  })
  const row = r.rows[0]
  if (!row) throw new ApiError('unauthorized', 'This session has ended. Sign in again.')
  const amr = String(row.amr)
  return {
    userId: sub,
    sessionId: sid,
    authAt: Number(row.auth_at),
    amr: (amr ? amr.split(',') : []) as ProofMethod[],
  }
}

/** A signed-in caller, with the time and factors of its session's latest proof. */
export interface Authenticated {
  userId: string
  sessionId: string
  authAt: number
  amr: ProofMethod[]
}
