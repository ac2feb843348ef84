/**
 * The pumping breaker (docs/security.md "The pumping breaker"; Twilio Fraud Guard's idea): per
 * destination prefix (shared/phone.ts destinationPrefix, the number less its last 4 digits, as the
 * per-prefix limit counts it), first codes sent versus verified within a sliding window. A prefix
 * with enough sends that convert too little is blocked for a cool-down that doubles at each trip;
 * enough tripped prefixes of one country block the country. A blocked start is answered like any
 * limit (429 `rate_limited`, Retry-After). The numbers and their reasons: policy.ts BREAKER_*.
 *
 * The hot path reads one or two rows by primary key (is the prefix or its country blocked?); a
 * send's row joins the start's batch and its approval the check's; the trip is judged after the
 * answer (ctx.defer), so a start's answer takes as long whether or not it trips anything. A trip
 * writes its audit row and its webhook event (`breaker.tripped`) in the batch of its block.
 */
import type { Client, InStatement, ResultSet } from '@libsql/client'
import type { BreakerKind } from '../../shared/breaker-schemas.js'
import type { Settings } from '../../shared/schemas.js'
import { destinationPrefix } from '../../shared/phone.js'
import { auditStatement } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import type { Keys } from '../crypto/keys.js'
import { eventStatement } from '../events/outbox.js'
import { rateLimited } from '../http/errors.js'
import { parseLoose } from '../phone.js'
import { BREAKER_MAX_COOLDOWN_MS, breakerCooldownMs, breakerWindowMs } from './policy.js'

export type { BreakerKind } from '../../shared/breaker-schemas.js'

/** Where a number falls for the breaker. */
export interface BreakerScopes {
  /** `+4479460`: the number less its last 4 digits. */
  prefix: string
  /** The prefix's HMAC, as `rate_events` and `breaker_sends` key it (no number part in clear). */
  prefixKey: string
  /** ISO 3166 region of the number (`ZZ` when its metadata names none). */
  country: string
}

/** The HMAC key of a destination prefix (the per-prefix limit's key and the breaker's counts). */
export const prefixKeyOf = (deps: { keys: Keys }, prefix: string) =>
  deps.keys.digest('lookupHmac', `prefix:${prefix}`)

export function breakerScopes(deps: { keys: Keys }, e164: string): BreakerScopes {
  const prefix = destinationPrefix(e164)
  return {
    prefix,
    prefixKey: prefixKeyOf(deps, prefix),
    country: parseLoose(e164)?.country ?? 'ZZ',
  }
}

/**
 * How long the number's prefix (or its country) stays blocked, 0 when not: a prefix marked safe is
 * never blocked, its country's block included.
 */
export async function blockedFor(
  db: Client,
  sc: BreakerScopes,
  settings: Settings,
  now: number,
): Promise<number> {
  if (!settings.breakerEnabled) return 0
  const r = await db.execute({
    sql: `SELECT kind, until, safe FROM breaker_blocks
          WHERE (kind = 'prefix' AND label = ?) OR (kind = 'country' AND label = ?)`,
    args: [sc.prefix, sc.country],
  })
  let until = 0
  for (const row of r.rows) {
    if (Number(row.safe)) {
      if (row.kind === 'prefix') return 0
      continue
    }
    until = Math.max(until, Number(row.until))
  }
  return Math.max(0, until - now)
}

/** Throws `rate_limited` when the prefix or its country is blocked (counted as limit `breaker`). */
export async function refuseIfBlocked(
  ctx: Ctx,
  sc: BreakerScopes,
  settings: Settings,
  now: number,
  detail: string,
): Promise<void> {
  const wait = await blockedFor(ctx.db, sc, settings, now)
  if (!wait) return
  ctx.log('limit.refused', { limit: 'breaker' })
  throw rateLimited(wait, detail)
}

/** A first code sent: its row for the counts, written only if the verification was (its batch). */
export function sentStatement(id: string, sc: BreakerScopes, now: number): InStatement {
  return {
    sql: `INSERT INTO breaker_sends (verification_id, prefix_key, country, at)
          SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM verifications WHERE id = ?)`,
    args: [id, sc.prefixKey, sc.country, now, id],
  }
}

/** A send no provider took is no send: it leaves the counts (an outage trips nothing). */
export async function forgetSend(db: Client, id: string): Promise<void> {
  await db.execute({ sql: 'DELETE FROM breaker_sends WHERE verification_id = ?', args: [id] })
}

/** The approval's write: the send converted (only if `won`, the caller whose approval landed). */
export function verifiedStatement(
  id: string,
  won: { sql: string; args: Record<string, string | number | null> },
): InStatement {
  return {
    sql: `UPDATE breaker_sends SET verified = 1 WHERE verification_id = :id AND ${won.sql}`,
    args: { ...won.args, id },
  }
}

interface Figures {
  sent: number
  verified: number
}

const tripping = (f: Figures, s: Settings) =>
  f.sent >= s.breakerMinSends && f.verified * 100 < s.breakerThresholdPercent * f.sent

/** After a send: trips the prefix, then its country, when their figures say so. */
/**
 * The send's statements for its write batch: its row, then (breaker on) the prefix's figures read
 * in the same transaction, so that judging them after the answer costs no round trip of its own.
 * Give the batch's last result to `judge`.
 */
export function sendStatements(
  id: string,
  sc: BreakerScopes,
  settings: Settings,
  now: number,
): InStatement[] {
  const sent = sentStatement(id, sc, now)
  return settings.breakerEnabled
    ? [sent, figuresStatement('prefix', sc.prefix, sc, settings, now)]
    : [sent]
}

/**
 * Trips the prefix (and then the country) if the figures say so. `prefixFigures`: the prefix's
 * figures read in the send's batch (`sendStatements`), else they are read here.
 */
export async function judge(
  ctx: Ctx,
  sc: BreakerScopes,
  settings: Settings,
  now: number,
  prefixFigures?: ResultSet,
) {
  if (!settings.breakerEnabled) return
  const prefix = await judgeScope(ctx, 'prefix', sc.prefix, sc, settings, now, false, prefixFigures)
  if (!prefix) return
  const since = now - breakerWindowMs(settings)
  const r = await ctx.db.execute({
    sql: `SELECT count(*) AS n FROM breaker_blocks
          WHERE country = ? AND kind = 'prefix' AND last_trip_at > ?`,
    args: [sc.country, since],
  })
  if (Number(r.rows[0]?.n ?? 0) >= settings.breakerCountryTrips)
    await judgeScope(ctx, 'country', sc.country, sc, settings, now, true)
}

/**
 * One read: the scope's block, if any, and its figures since the window's start or the last trip's
 * end, whichever is later (one statement, not two round trips on every first send).
 */
function figuresStatement(
  kind: BreakerKind,
  label: string,
  sc: BreakerScopes,
  settings: Settings,
  now: number,
): InStatement {
  const column = kind === 'prefix' ? 'prefix_key' : 'country'
  return {
    sql: `SELECT b.until, b.safe, b.counted_from, b.trips, b.last_trip_at,
                 count(s.at) AS sent, coalesce(sum(s.verified), 0) AS verified
          FROM (SELECT 1) AS one
          LEFT JOIN breaker_blocks b ON b.kind = :kind AND b.label = :label
          LEFT JOIN breaker_sends s
            ON s.${column} = :scope AND s.at >= max(:since, coalesce(b.counted_from, 0))`,
    args: {
      kind,
      label,
      since: now - breakerWindowMs(settings),
      scope: kind === 'prefix' ? sc.prefixKey : sc.country,
    },
  }
}

/** Trips one scope if its figures say so (or `force`): true when this call tripped it. */
async function judgeScope(
  ctx: Ctx,
  kind: BreakerKind,
  label: string,
  sc: BreakerScopes,
  settings: Settings,
  now: number,
  force = false,
  figures?: ResultSet,
): Promise<boolean> {
  const read = figures ?? (await ctx.db.execute(figuresStatement(kind, label, sc, settings, now)))
  const row = read.rows[0]!
  const b = row.until === null ? undefined : row
  if (b && (Number(b.safe) || Number(b.until) > now)) return false
  const f = { sent: Number(row.sent), verified: Number(row.verified) }
  if (!force && !tripping(f, settings)) return false
  // Trips within the longest cool-down of the last one double the next; older ones are forgotten.
  const recent = b && Number(b.last_trip_at ?? 0) > now - BREAKER_MAX_COOLDOWN_MS
  const trips = recent ? Number(b.trips) + 1 : 1
  const cooldown = breakerCooldownMs(settings, trips)
  const until = now + cooldown
  const conversion = f.sent ? Math.round((f.verified / f.sent) * 1000) / 1000 : 0
  // The webhook event and the audit row are written only by the upsert that tripped (changes()).
  const event = await eventStatement(
    ctx.keys,
    'breaker.tripped',
    {
      kind,
      scope: label,
      country: sc.country,
      ...f,
      conversion,
      until: new Date(until).toISOString(),
      trips,
    },
    now,
    true,
  )
  // Guarded: of concurrent judges, one trips (the block's end is in the past until it does).
  const [tripped] = await ctx.db.batch(
    [
      {
        sql: `INSERT INTO breaker_blocks
                (kind, label, country, until, since, last_trip_at, counted_from, trips, sent, verified)
              VALUES (:kind, :label, :country, :until, :now, :now, :until, :trips, :sent, :verified)
              ON CONFLICT (kind, label) DO UPDATE SET until = :until, since = :now,
                last_trip_at = :now, counted_from = :until, trips = :trips, sent = :sent,
                verified = :verified
              WHERE safe = 0 AND until <= :now`,
        args: { kind, label, country: sc.country, until, now, trips, ...f },
      },
      event,
      auditStatement(
        ctx,
        {
          actor: 'system:breaker',
          action: 'breaker.tripped',
          outcome: 'blocked',
          detail: {
            kind,
            [kind]: label,
            country: sc.country,
            sent: f.sent,
            verified: f.verified,
            conversion,
            cooldownSeconds: cooldown / 1000,
            trips,
          },
        },
        true,
      ),
    ],
    'write',
  )
  if (tripped!.rowsAffected !== 1) return false
  ctx.log('breaker.tripped', { kind, trips, sent: f.sent, verified: f.verified })
  return true
}
