/**
 * The hard spend cap (docs/security.md "Spend cap"). A send reserves its estimated cost in the
 * `spend_events` ledger in the same write batch as the start limits, and the limits' guarded INSERT
 * (limits.ts takeAllStatement) carries the cap's condition: "the UTC day's sum plus this send stays
 * within the daily cap, and the month's within the monthly". A write batch is one transaction, and
 * SQLite (sqld too) runs one writer at a time, so no two instances can both take the last cent.
 * Periods are UTC days and months.
 */
import type { Client, InStatement } from '@libsql/client'
import type { Channel } from '../../shared/enums.js'
import type { Micros } from '../../shared/money.js'
import type { Settings } from '../../shared/schemas.js'
import type { SpendStatus } from '../../shared/spend-schemas.js'
import { auditStatement } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { eventStatement } from '../events/outbox.js'
import { rateLimited } from '../http/errors.js'
import type { ConfigSnapshot } from '../settings/snapshot.js'
import { countryOf, priceIn } from './prices.js'

export interface Periods {
  day: string
  month: string
  /** When the UTC day and month that hold `now` end (ms). */
  dayEnds: number
  monthEnds: number
}

export function periodsOf(now: number): Periods {
  const d = new Date(now)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth()
  return {
    day: d.toISOString().slice(0, 10),
    month: d.toISOString().slice(0, 7),
    dayEnds: Date.UTC(y, m, d.getUTCDate() + 1),
    monthEnds: Date.UTC(y, m + 1, 1),
  }
}

/** What one send will cost and be recorded as. `micros` 0 with `check` only: a silent start. */
export interface SpendCharge {
  micros: Micros
  /** The cost the cap is checked with (a silent start checks what a real one would cost). */
  check: Micros
  channel: Channel
  country: string
}

/**
 * The charge of one send to `e164` on `channel`. A silent start (docs/security.md, enumeration) is
 * checked against the cap like a real one, so it answers alike, but records nothing.
 */
export function chargeOf(
  config: Pick<ConfigSnapshot, 'prices'>,
  e164: string,
  channel: Channel,
  silent: boolean,
): SpendCharge {
  const country = countryOf(e164)
  const price = priceIn(config.prices, country, channel)
  return { micros: silent ? 0 : price, check: price, channel, country }
}

const SUM = (col: 'period_day' | 'period_month', p: string) =>
  `(SELECT coalesce(sum(micros), 0) FROM spend_events WHERE ${col} = ${p})`

/**
 * The cap's condition, with named arguments (`:sp_*`), for the WHERE of a guarded statement; null
 * when neither cap is set.
 */
export function capCondition(
  settings: Settings,
  charge: SpendCharge,
  now: number,
): { sql: string; args: Record<string, string | number | null> } | null {
  const p = periodsOf(now)
  const conds: string[] = []
  const args: Record<string, string | number | null> = { sp_check: charge.check }
  if (settings.spendCapDaily != null) {
    conds.push(`${SUM('period_day', ':sp_day')} + :sp_check <= :sp_cap_day`)
    Object.assign(args, { sp_day: p.day, sp_cap_day: settings.spendCapDaily })
  }
  if (settings.spendCapMonthly != null) {
    conds.push(`${SUM('period_month', ':sp_month')} + :sp_check <= :sp_cap_month`)
    Object.assign(args, { sp_month: p.month, sp_cap_month: settings.spendCapMonthly })
  }
  return conds.length ? { sql: conds.join(' AND '), args } : null
}

/** The ledger row of one send, written only when `guard` (SQL; it may use `:vid`) holds. */
export function reserveStatement(
  verificationId: string,
  charge: SpendCharge,
  now: number,
  guard: string,
): InStatement {
  const p = periodsOf(now)
  return {
    sql: `INSERT INTO spend_events (at, period_day, period_month, micros, verification_id, channel, country)
          SELECT :at, :day, :month, :micros, :vid, :channel, :country WHERE ${guard}`,
    args: {
      at: now,
      day: p.day,
      month: p.month,
      micros: charge.micros,
      vid: verificationId,
      channel: charge.channel,
      country: charge.country,
    },
  }
}

/** The guard of a start's ledger row: its verification was written in this batch. */
export const STARTED_GUARD = 'EXISTS (SELECT 1 FROM verifications WHERE id = :vid)'

/**
 * Gives back a send's reservation when nothing can have gone out (the provider refused it before
 * sending): the cap counts what may cost, not what failed for sure.
 */
export async function release(db: Client, verificationId: string, at: number): Promise<void> {
  await db.execute({
    sql: `DELETE FROM spend_events WHERE rowid IN (SELECT rowid FROM spend_events
            WHERE verification_id = ? AND at = ? LIMIT 1)`,
    args: [verificationId, at],
  })
}

async function sums(db: Client, p: Periods): Promise<{ day: Micros; month: Micros }> {
  const r = await db.execute({
    sql: `SELECT ${SUM('period_day', '?')} AS day, ${SUM('period_month', '?')} AS month`,
    args: [p.day, p.month],
  })
  return { day: Number(r.rows[0]?.day ?? 0), month: Number(r.rows[0]?.month ?? 0) }
}

/**
 * After a refused start or resend: the `spend_cap_reached` error if a cap is why (null if not),
 * with Retry-After at the end of the period that is full; the period's alert (an event
 * `spend.cap_reached` and an audit row) is written the first time only.
 */
export async function capRefusal(ctx: Ctx, settings: Settings, charge: SpendCharge, now: number) {
  const p = periodsOf(now)
  const spent = await sums(ctx.db, p)
  const full: { kind: 'daily' | 'monthly'; period: string; cap: Micros; ends: number }[] = []
  if (settings.spendCapMonthly != null && spent.month + charge.check > settings.spendCapMonthly)
    full.push({
      kind: 'monthly',
      period: p.month,
      cap: settings.spendCapMonthly,
      ends: p.monthEnds,
    })
  if (settings.spendCapDaily != null && spent.day + charge.check > settings.spendCapDaily)
    full.push({ kind: 'daily', period: p.day, cap: settings.spendCapDaily, ends: p.dayEnds })
  const first = full[0]
  if (!first) return null
  ctx.log('spend.cap_reached', { cap: first.kind, period: first.period })
  for (const f of full) await alertOnce(ctx, f, f.kind === 'daily' ? spent.day : spent.month, now)
  return rateLimited(
    first.ends - now,
    `The ${first.kind} spend cap is reached; sending resumes when the UTC ${first.kind === 'daily' ? 'day' : 'month'} ends.`,
    'spend_cap_reached',
  )
}

async function alertOnce(
  ctx: Ctx,
  f: { kind: 'daily' | 'monthly'; period: string; cap: Micros },
  spent: Micros,
  now: number,
) {
  const detail = { cap: f.kind, period: f.period, capMicros: f.cap, spentMicros: spent }
  await ctx.db.batch(
    [
      {
        sql: 'INSERT INTO spend_alerts (period, at) VALUES (?, ?) ON CONFLICT DO NOTHING',
        args: [`${f.kind}:${f.period}`, now],
      },
      await eventStatement(ctx.keys, 'spend.cap_reached', detail, now, true),
      auditStatement(
        ctx,
        { actor: 'system', action: 'spend.cap_reached', outcome: 'refused', detail },
        true,
      ),
    ],
    'write',
  )
}

/** GET /v1/admin/spend. */
export async function spendStatus(
  db: Client,
  settings: Settings,
  now: number,
): Promise<SpendStatus> {
  const p = periodsOf(now)
  const spent = await sums(db, p)
  const reached = (s: Micros, cap: Micros | null) => cap !== null && s >= cap
  const iso = (ms: number) => new Date(ms).toISOString()
  const dayCap = settings.spendCapDaily ?? null
  const monthCap = settings.spendCapMonthly ?? null
  return {
    day: { period: p.day, spent: spent.day, cap: dayCap, resetsAt: iso(p.dayEnds) },
    month: { period: p.month, spent: spent.month, cap: monthCap, resetsAt: iso(p.monthEnds) },
    reached: reached(spent.day, dayCap) || reached(spent.month, monthCap),
  }
}
