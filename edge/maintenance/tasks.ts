/**
 * What the maintenance job removes, each as a bounded statement on an index (migration 0004), so a
 * batch costs the same on a table of a thousand rows or of ten million. Every task is idempotent:
 * a batch that two instances ran anyway (a claim that lapsed mid-run) only finds less to do.
 */
import type { Client, InStatement } from '@libsql/client'
import { LOCKED_FOR_GOOD } from '../limits/guesses.js'
import * as policy from '../limits/policy.js'
import { dropSealedStatement } from '../verifications/store.js'

const DAY_MS = 86_400_000

/**
 * How long an ended verification or session stays: a resend or check of an expired verification
 * reads its row to answer `verification_expired` rather than `verification_not_found`, and a
 * refresh token of a revoked session says the session ended; after a day, "not found" is as good.
 */
export const ENDED_GRACE_MS = DAY_MS

export interface Retention {
  /** Send records (`messages`), development outbox rows and idle guessing budgets. */
  days: number
  /** Audit rows. */
  auditDays: number
}

export const DEFAULT_RETENTION: Retention = { days: 30, auditDays: 365 }

/**
 * How long the Activity figures' daily rows stay (stats_daily and stats_refusals):
 * longer than the longest range one request reads (shared/stats-schemas.ts STATS_MAX_DAYS), so a
 * year back from any day of the last month can still be read whole.
 */
export const STATS_DAYS = 400

/** The longest window of any rate limit (edge/limits/policy.ts): older events count for none. */
export const LONGEST_WINDOW_MS = Math.max(
  ...Object.values(policy).flatMap((v) =>
    // A tuned window (a function of the settings) keeps its window fixed: only its limit tunes.
    (typeof v === 'object' || typeof v === 'function') && v !== null && 'windowMs' in v
      ? [v.windowMs]
      : [],
  ),
)

export interface Task {
  name: string
  /** One batch of at most `n` rows; resolves to the rows it changed. */
  run(db: Client, n: number): Promise<number>
}

/** A task of one statement. */
const single = (name: string, statement: (n: number) => InStatement): Task => ({
  name,
  run: async (db, n) => (await db.execute(statement(n))).rowsAffected,
})

/** Deletes rows of `table` matching `where` (which an index must serve), `n` at a time. */
const purge = (name: string, table: string, where: string, cut: number): Task =>
  single(name, (n) => ({
    sql: `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ?)`,
    args: [cut, n],
  }))

/**
 * Ended sessions and their refresh tokens. A session keeps every token it ever rotated through
 * (a used one presented again revokes it: sessions.ts), so the tokens go with their session, never
 * before. Both statements look only at the head of the ended sessions (the first `n` on the index,
 * oldest first): at most `n` of their tokens go, then those of them left without tokens. So each
 * walks at most `n` rows however large the backlog, and a session is never deleted with tokens
 * left behind; a session with many tokens keeps its place at the head until they are gone.
 */
const endedSessions = (name: string, column: string, cut: number): Task => {
  const head = `SELECT rowid, id FROM sessions WHERE ${column} <= ? ORDER BY ${column} LIMIT ?`
  return {
    name,
    run: async (db, n) => {
      const [tokens, sessions] = await db.batch(
        [
          {
            sql: `DELETE FROM refresh_tokens WHERE rowid IN (SELECT rowid FROM refresh_tokens
                    WHERE session_id IN (SELECT id FROM (${head})) LIMIT ?)`,
            args: [cut, n, n],
          },
          {
            sql: `DELETE FROM sessions WHERE rowid IN (SELECT head.rowid FROM (${head}) AS head
                    WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens WHERE session_id = head.id))`,
            args: [cut, n],
          },
        ],
        'write',
      )
      return tokens!.rowsAffected + sessions!.rowsAffected
    },
  }
}

/** The tasks of one run, with their cut-offs computed once from `now`. */
export function retentionTasks(r: Retention, now: number): Task[] {
  const ended = now - ENDED_GRACE_MS
  const kept = now - r.days * DAY_MS
  return [
    // No number or code of a verification outlives it (docs/security.md, what we do not keep).
    single('verifications.sealed', (n) => dropSealedStatement(now, n)),
    // A rotated refresh token's successor is kept sealed for the reuse grace only (sessions/refresh.ts).
    single('refresh_tokens.successor', (n) => ({
      sql: `UPDATE refresh_tokens SET successor_sealed = NULL WHERE rowid IN (SELECT rowid
              FROM refresh_tokens WHERE successor_sealed IS NOT NULL AND used_at <= ? LIMIT ?)`,
      args: [now - policy.REFRESH_REUSE_GRACE_MS, n],
    })),
    purge('verifications', 'verifications', 'expires_at <= ?', ended),
    // An expired ticket answers like an unknown one: it goes at once, its sealed number with it.
    purge('tickets', 'tickets', 'expires_at <= ?', now),
    endedSessions('sessions.expired', 'expires_at', ended),
    endedSessions('sessions.revoked', 'revoked_at', ended),
    purge('rate_events', 'rate_events', 'at < ?', now - LONGEST_WINDOW_MS),
    // The breaker's window is at most a day (shared/schemas.ts breakerWindowMinutes).
    purge('breaker_sends', 'breaker_sends', 'at < ?', now - policy.BREAKER_MAX_COOLDOWN_MS),
    // A passed token's hash outlives the token (edge/challenge/store.ts: single use).
    purge('challenge_tokens', 'challenge_tokens', 'at < ?', now - policy.CHALLENGE_TOKEN_KEEP_MS),
    // Idle and unlocked: neither a lock in force nor one for good (only a success or an admin
    // ends that). The literal bound is the partial index's own condition.
    single('guess_budgets', (n) => ({
      sql: `DELETE FROM guess_budgets WHERE rowid IN (SELECT rowid FROM guess_budgets
              WHERE locked_until < ${LOCKED_FOR_GOOD} AND locked_until <= ? AND updated_at <= ?
              LIMIT ?)`,
      args: [now, kept, n],
    })),
    purge('messages', 'messages', 'created_at <= ?', kept),
    purge('dev_outbox', 'dev_outbox', 'at <= ?', kept),
    purge('audit', 'audit', 'at <= ?', now - r.auditDays * DAY_MS),
    ...['stats_daily', 'stats_refusals'].map((table) =>
      single(table, (n) => ({
        sql: `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE day < ? LIMIT ?)`,
        args: [new Date(now - STATS_DAYS * DAY_MS).toISOString().slice(0, 10), n],
      })),
    ),

    // Events (events/delivery.ts): the log of attempts, finished deliveries, delivered events.
    purge('event_attempts', 'event_attempts', 'at <= ?', kept),
    purge('event_deliveries', 'event_deliveries', "created_at <= ? AND state != 'pending'", kept),
    purge('event_outbox', 'event_outbox', 'created_at <= ? AND fanned_at IS NOT NULL', kept),
  ]
}
