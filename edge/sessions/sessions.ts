/**
 * Sessions: an ES256 access JWT (15 min) plus an opaque refresh token that rotates on every use.
 * Refresh tokens are stored as SHA-256 hashes; presenting one that was already used revokes the
 * whole session (the token family), as OAuth 2.0 Security BCP §4.14 recommends, past a short
 * grace for two tabs refreshing at once (refresh.ts). The token's claims: claims.ts.
 */
import type { Client, InStatement } from '@libsql/client'
import type { MfaMethod, Session } from '../../shared/schemas.js'
import { sha256Hex, type Keys } from '../crypto/keys.js'
import { newId, newToken } from '../crypto/random.js'
import { eventStatement } from '../events/outbox.js'
import { ApiError } from '../http/errors.js'
import { ACCESS_TTL_S, signAccessToken, verifyAccessToken } from './claims.js'
import type { ClientStamp } from './device.js'
import type { SigningKey } from './signing-key.js'

export { ACCESS_TTL_S, AUDIENCE } from './claims.js'
/** NIST SP 800-63B-4 §2.2.3: reauthenticate at least every 24 h at AAL2; we keep 30 days at AAL1. */
export const SESSION_TTL_MS = 30 * 24 * 3600_000

export interface SessionIssuer {
  db: Client
  key: SigningKey
  /** The server keys: a rotated refresh token's successor is sealed under them (refresh.ts). */
  keys: Keys
  issuer: string
  now: number
  /** The request's client (remember-client.ts): a new session's row is stamped with it. */
  client?: ClientStamp
}

/** The factors of a session's latest proof (sign-in or step-up), as docs/security.md names them. */
export type ProofMethod = MfaMethod

/** A session row's `amr` column (comma-separated) as a list. */
export function amrOf(column: unknown): ProofMethod[] {
  const value = String(column ?? '')
  return value ? (value.split(',') as ProofMethod[]) : []
}

/** The new session's account: its id, and whether its number is verified (`phone_verified`). */
export interface SessionUser {
  id: string
  phoneVerified: boolean
}

/** A new session made ready for a write: its rows, and the tokens to hand out once they are in. */
export interface PreparedSession {
  /** The new session's id (a batch may guard its other statements on the row's existence). */
  id: string
  /** The session row and its first refresh token; with `ifChanged` in prepareSession, each is
   * written only if the statement before it in the batch changed a row. */
  statements: InStatement[]
  /** Signs the access token (independent of the write, so it can run alongside it). */
  sign(): Promise<Session>
}

/**
 * A new session, proven now by `amr` (the sign-in's factors). With `ifChanged`, each row is
 * written only if the statement before it in the batch changed a row.
 */
export async function prepareSession(
  s: SessionIssuer,
  user: SessionUser,
  amr: ProofMethod[],
  ifChanged = false,
): Promise<PreparedSession> {
  const id = newId('ses')
  const userId = user.id
  const refresh = newToken('rt')
  const guard = ifChanged ? ' WHERE changes() = 1' : ''
  const client = s.client
  if (client) client.inSession = true
  return {
    id,
    statements: [
      {
        sql: `INSERT INTO sessions (id, user_id, created_at, expires_at, auth_at, amr,
                device, client_address, last_used_at)
              SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?${guard}`,
        args: [
          ...[id, userId, s.now, s.now + SESSION_TTL_MS, s.now, amr.join(',')],
          ...(client ? [client.device, client.address, s.now] : [null, null, null]),
        ],
      },
      {
        sql: `INSERT INTO refresh_tokens (hash, session_id, created_at) SELECT ?, ?, ?${guard}`,
        args: [sha256Hex(refresh), id, s.now],
      },
      await eventStatement(
        s.keys,
        'session.created',
        { userId, sessionId: id, methods: amr },
        s.now,
        true,
      ),
    ],
    sign: async () => ({
      accessToken: await signAccessToken(s.key, s.issuer, s.now, {
        userId,
        sessionId: id,
        authAt: s.now,
        amr,
        phoneVerified: user.phoneVerified,
      }),
      tokenType: 'Bearer',
      expiresIn: ACCESS_TTL_S,
      refreshToken: refresh,
    }),
  }
}

/** Ends one session; its `session.revoked` event is written with it (if it was still live). */
export async function revokeSession(
  { db, keys }: { db: Client; keys: Keys },
  s: { userId: string; sessionId: string },
  now: number,
  reason: string,
): Promise<void> {
  await db.batch(
    [
      {
        sql: 'UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
        args: [now, reason, s.sessionId],
      },
      await eventStatement(keys, 'session.revoked', { ...s, reason }, now, true),
    ],
    'write',
  )
}

/**
 * Verifies an access token (claims.ts: our key, ES256 only, issuer, audience, expiry) and that its
 * session row is live.
 */
export async function authenticate(
  db: Client,
  key: SigningKey,
  issuer: string,
  token: string,
  now: number,
): Promise<Authenticated> {
  const claims = await verifyAccessToken(key, issuer, token, now)
  if (!claims)
    throw new ApiError('unauthorized', 'The access token is missing, invalid or expired.')
  const { sub, sid } = claims
  const r = await db.execute({
    sql: `SELECT auth_at, amr FROM sessions
          WHERE id = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > ?`,
    args: [sid, sub, now],
  })
  const row = r.rows[0]
  if (!row) throw new ApiError('unauthorized', 'This session has ended. Sign in again.')
  return { userId: sub, sessionId: sid, authAt: Number(row.auth_at), amr: amrOf(row.amr) }
}

/** A signed-in caller, with the time and factors of its session's latest proof. */
export interface Authenticated {
  userId: string
  sessionId: string
  authAt: number
  amr: ProofMethod[]
}
