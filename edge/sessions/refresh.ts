/**
 * POST /v1/sessions/refresh: rotation of the refresh token, single use (sessions.ts), with a grace
 * for two tabs refreshing at once (docs/security.md, Sessions).
 *
 * The winner spends the token and stores its successor in one write transaction: the successor's
 * SHA-256 digest as a new token row, and the successor itself sealed (AES-256-GCM under the server
 * key, crypto/seal.ts) on the spent row. A caller presenting the spent token again within
 * REFRESH_REUSE_GRACE_MS of its rotation, while the successor is still unused, gets that same
 * refresh token and a freshly signed access token for the same session, so the tabs converge on
 * one pair. Anything else is reuse: the session ends. The sealed successor is cleared as soon as
 * it stops being of use (the successor rotates, the session ends) and by the maintenance job after
 * the grace (maintenance/tasks.ts); a rotation of the secret never needs to re-seal it, since
 * SMS_AUTH_SECRET_PREVIOUS outlives the grace by far.
 */
import type { Row } from '@libsql/client'
import type { Session } from '../../shared/schemas.js'
import { sha256Hex } from '../crypto/keys.js'
import { newToken } from '../crypto/random.js'
import { openOrNull, seal } from '../crypto/seal.js'
import { eventStatement } from '../events/outbox.js'
import { ApiError } from '../http/errors.js'
import { REFRESH_REUSE_GRACE_MS } from '../limits/policy.js'
import { ACCESS_TTL_S, signAccessToken } from './claims.js'
import { amrOf, type SessionIssuer } from './sessions.js'

export async function refreshSession(s: SessionIssuer, token: string): Promise<Session> {
  const hash = sha256Hex(token)
  const next = newToken('rt')
  const [spent] = await s.db.batch(
    [
      {
        sql: `UPDATE refresh_tokens SET used_at = ?, successor_sealed = ?
              WHERE hash = ? AND used_at IS NULL RETURNING session_id`,
        args: [s.now, await seal(s.keys, next), hash],
      },
      {
        sql: `INSERT INTO refresh_tokens (hash, session_id, created_at)
              SELECT ?, session_id, ? FROM refresh_tokens WHERE hash = ? AND changes() = 1`,
        args: [sha256Hex(next), s.now, hash],
      },
      // The session's older spent tokens: their successors are spent now, so no grace is left.
      {
        sql: `UPDATE refresh_tokens SET successor_sealed = NULL
              WHERE session_id = (SELECT session_id FROM refresh_tokens WHERE hash = ?)
                AND successor_sealed IS NOT NULL AND hash != ? AND changes() = 1`,
        args: [hash, hash],
      },
    ],
    'write',
  )
  const won = spent!.rows[0]?.session_id
  if (won !== undefined) return pair(s, String(won), next)

  const r = await s.db.execute({
    sql: `SELECT session_id, used_at, successor_sealed,
            (SELECT user_id FROM sessions WHERE id = refresh_tokens.session_id) AS user_id
          FROM refresh_tokens WHERE hash = ?`,
    args: [hash],
  })
  const row = r.rows[0]
  if (!row) throw new ApiError('unauthorized', 'Unknown refresh token.')
  const sessionId = String(row.session_id)
  const successor = await graceSuccessor(s, row, sessionId)
  if (successor !== null) return pair(s, sessionId, successor)

  // Reuse of a spent token: someone holds a copy. End the whole family.
  const [reused] = await s.db.batch(
    [
      {
        sql: `UPDATE sessions SET revoked_at = ?, revoked_reason = 'refresh_reuse'
              WHERE id = ? AND revoked_at IS NULL`,
        args: [s.now, sessionId],
      },
      await eventStatement(
        s.keys,
        'session.revoked',
        { userId: String(row.user_id), sessionId, reason: 'refresh_reuse' },
        s.now,
        true,
      ),
      {
        sql: `UPDATE refresh_tokens SET successor_sealed = NULL
              WHERE session_id = ? AND successor_sealed IS NOT NULL`,
        args: [sessionId],
      },
    ],
    'write',
  )
  throw new ApiError(
    'unauthorized',
    reused!.rowsAffected
      ? 'This refresh token was already used; the session has ended.'
      : 'The session has ended.',
  )
}

/** The successor of a token spent within the grace, if it is still unused; null otherwise. */
async function graceSuccessor(
  s: SessionIssuer,
  row: Row,
  sessionId: string,
): Promise<string | null> {
  if (row.successor_sealed === null || row.used_at === null) return null
  if (Number(row.used_at) <= s.now - REFRESH_REUSE_GRACE_MS) return null
  // Unreadable (sealed under a secret this instance does not hold): no grace, fail closed.
  const successor = await openOrNull(s.keys, String(row.successor_sealed))
  if (successor === null) return null
  const unused = await s.db.execute({
    sql: 'SELECT 1 FROM refresh_tokens WHERE hash = ? AND session_id = ? AND used_at IS NULL',
    args: [sha256Hex(successor), sessionId],
  })
  return unused.rows.length ? successor : null
}

/** `refresh` with a new access token, if the session is live; `unauthorized` otherwise. */
async function pair(s: SessionIssuer, sessionId: string, refresh: string): Promise<Session> {
  const r = await s.db.execute({
    sql: `SELECT sessions.user_id, sessions.auth_at, sessions.amr, users.phone_verified
          FROM sessions JOIN users ON users.id = sessions.user_id
          WHERE sessions.id = ? AND sessions.revoked_at IS NULL AND sessions.expires_at > ?
            AND users.disabled_at IS NULL`,
    args: [sessionId, s.now],
  })
  const row = r.rows[0]
  if (!row) throw new ApiError('unauthorized', 'The session has ended.')
  return {
    accessToken: await signAccessToken(s.key, s.issuer, s.now, {
      userId: String(row.user_id),
      sessionId,
      authAt: Number(row.auth_at),
      amr: amrOf(row.amr),
      phoneVerified: Number(row.phone_verified) === 1,
    }),
    tokenType: 'Bearer',
    expiresIn: ACCESS_TTL_S,
    refreshToken: refresh,
  }
}
