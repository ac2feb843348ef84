/**
 * Sliding-window limits kept in the database, so they hold across any number of instances.
 * Each check-and-count is one guarded INSERT … SELECT: SQLite (and sqld) run a statement
 * atomically, so concurrent requests can never both take the last slot.
 */
import type { Client } from '@libsql/client'
import { rateLimited } from '../http/errors.js'
import { MIN_RETRY_AFTER_MS, type KeyedLimit } from './policy.js'

export type LimitResult = { ok: true } | { ok: false; retryAfterMs: number }

export interface Limit {
  key: string
  /** The policy's name for it (edge/limits/policy.ts). */
  name: string
  limit: number
  windowMs: number
}

async function retryAfter(db: Client, l: Limit, now: number): Promise<number> {
  const r = await db.execute({
    sql: 'SELECT min(at) AS first FROM rate_events WHERE key = ? AND at > ?',
    args: [l.key, now - l.windowMs],
  })
  const first = Number(r.rows[0]?.first ?? now)
  return Math.max(MIN_RETRY_AFTER_MS, first + l.windowMs - now)
}

/** A limit on one key (policy.ts limitOf makes them); `sub` for distinct-value limits. */
export type CheckedLimit = KeyedLimit

/**
 * Takes several limits at once, all or none, in one statement: one round trip on the hot path,
 * and a refusal by one limit does not use up the others. On refusal, reads which limit refused.
 */
export async function takeAll(
  db: Client,
  limits: CheckedLimit[],
  now: number,
  onRefused?: OnRefused,
): Promise<LimitResult> {
  const r = await db.execute(takeAllStatement(limits, now))
  if (r.rowsAffected === limits.length) return { ok: true }
  return { ok: false, retryAfterMs: await refusedRetryAfter(db, limits, now, onRefused) }
}

/** Told the name of each limit that refused. */
export type OnRefused = (name: string) => void

/** A log sink as the limit refusals' reporter (the metrics count `limit.refused`). */
export const reportTo =
  (log: (event: string, fields?: Record<string, unknown>) => void): OnRefused =>
  (name) =>
    log('limit.refused', { limit: name })

/**
 * The one guarded INSERT of takeAll, to run first in a batch: it inserted `limits.length` rows
 * (so `changes()` equals that right after it) exactly when every limit passed. `also`: one more
 * condition with its named arguments, taken in the same statement (the spend cap, edge/spend/cap.ts).
 */
export function takeAllStatement(
  limits: CheckedLimit[],
  now: number,
  also?: { sql: string; args: Record<string, string | number | null> } | null,
) {
  const args: Record<string, string | number | null> = { ...also?.args, now }
  const rows: string[] = []
  const conds: string[] = []
  limits.forEach((l, i) => {
    args[`k${i}`] = l.key
    args[`s${i}`] = l.sub ?? null
    args[`w${i}`] = now - l.windowMs
    args[`n${i}`] = l.limit
    rows.push(`SELECT :k${i} AS key, :s${i} AS sub`)
    conds.push(
      l.sub === undefined
        ? `(SELECT count(*) FROM rate_events WHERE key = :k${i} AND at > :w${i}) < :n${i}`
        : `(EXISTS (SELECT 1 FROM rate_events WHERE key = :k${i} AND sub = :s${i} AND at > :w${i})
            OR (SELECT count(DISTINCT sub) FROM rate_events WHERE key = :k${i} AND at > :w${i}) < :n${i})`,
    )
  })
  if (also) conds.push(`(${also.sql})`)
  return {
    sql: `INSERT INTO rate_events (key, at, sub) SELECT key, :now, sub FROM (${rows.join(' UNION ALL ')})
          WHERE ${conds.join(' AND ')}`,
    args,
  }
}

/** After a refusal by takeAllStatement: how long until the limits that refused let one through. */
export async function refusedRetryAfter(
  db: Client,
  limits: CheckedLimit[],
  now: number,
  onRefused?: OnRefused,
): Promise<number> {
  let worst = 0
  for (const l of limits) {
    const since = now - l.windowMs
    const q = await db.execute({
      sql:
        l.sub === undefined
          ? 'SELECT count(*) AS n FROM rate_events WHERE key = ? AND at > ?'
          : 'SELECT count(DISTINCT sub) AS n FROM rate_events WHERE key = ? AND at > ?',
      args: [l.key, since],
    })
    if (Number(q.rows[0]?.n ?? 0) >= l.limit) {
      onRefused?.(l.name)
      worst = Math.max(worst, await retryAfter(db, l, now))
    }
  }
  return Math.max(MIN_RETRY_AFTER_MS, worst)
}

/** Takes every limit or throws `rate_limited` with the wait of the one that refused. */
export async function takeOrThrow(
  db: Client,
  limits: CheckedLimit[],
  now: number,
  detail: string,
  onRefused?: OnRefused,
): Promise<void> {
  const r = await takeAll(db, limits, now, onRefused)
  if (!r.ok) throw rateLimited(r.retryAfterMs, detail)
}

/**
 * Gives back one event of each limit taken at `now` (the counted thing did not happen); for a
 * distinct-value limit, the event of its value, so another value's event stays.
 */
export async function refund(db: Client, limits: CheckedLimit[], now: number): Promise<void> {
  await db.batch(
    limits.map((l) => ({
      sql: `DELETE FROM rate_events WHERE rowid IN
              (SELECT rowid FROM rate_events WHERE key = ? AND at = ? AND sub IS ? LIMIT 1)`,
      args: [l.key, now, l.sub ?? null],
    })),
    'write',
  )
}

/**
 * A distinct-value limit forgets one value: its events under the limit's key go, so it counts for
 * none (a number whose code was verified leaves its prefix's count). With `onlyIf`, a SQL
 * condition and its named arguments (e.g. "this caller's approval landed").
 */
export function forgetStatement(
  l: { key: string; sub?: string },
  onlyIf: { sql: string; args: Record<string, string | number | null> },
) {
  return {
    sql: `DELETE FROM rate_events WHERE key = :key AND sub = :sub AND ${onlyIf.sql}`,
    args: { ...onlyIf.args, key: l.key, sub: l.sub ?? null },
  }
}
