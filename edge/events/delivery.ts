/**
 * Delivery of the outbox, off the request path: the runtime entries call it on a timer
 * (maintenance/schedule.ts), a Workers cron or a test calls `App.deliverEvents()`. A run
 *  1. fans new events out: one `event_deliveries` row per event and enabled endpoint that wants
 *     its type, in one write (so an event is fanned out once, whichever instance runs);
 *  2. claims due deliveries with a lease (one guarded UPDATE … RETURNING: of instances running at
 *     once, each row goes to one of them; a lease that lapses, its holder dead, lets another retry);
 *  3. POSTs each, signed with the `standardwebhooks` library, and records the attempt: done on a
 *     2xx, else again later on the backoff of schedule.ts, failed after the last.
 * At least once: a holder that dies after the POST but before its record is retried after the lease.
 * A database that fails makes the run throw before anything is sent or after (the lease then
 * lapses): it fails closed, and the next run goes on.
 */
import { Webhook } from 'standardwebhooks'
import type { EventPayload, EventType } from '../../shared/events.js'
import type { Ctx } from '../context.js'
import { newId } from '../crypto/random.js'
import { openOrNull } from '../crypto/seal.js'
import { findEndpoint, signingSecrets, type EndpointRow } from './endpoints.js'
import { DELIVERY_TIMEOUT_MS, LEASE_MS, MAX_ATTEMPTS, nextAttemptAt } from './schedule.js'

export interface DeliveryReport {
  /** New deliveries fanned out from the outbox. */
  fanned: number
  /** Attempts made, and those of them that succeeded. */
  attempted: number
  succeeded: number
}

/** How often each instance runs the delivery (the first retry waits 5 s: schedule.ts). */
export const DELIVER_EVERY_MS = 5_000

/** Deliveries one run claims at most; the rest wait for the next run. */
export const DELIVERY_BATCH = 50

async function fanOut(ctx: Ctx, now: number): Promise<number> {
  const [inserted] = await ctx.db.batch(
    [
      {
        sql: `INSERT OR IGNORE INTO event_deliveries (id, event_id, endpoint_id, state, attempts, next_at, created_at)
              SELECT 'dlv_' || lower(hex(randomblob(16))), e.id, p.id, 'pending', 0, ?, ?
              FROM event_outbox e JOIN event_endpoints p ON p.enabled = 1
                AND (p.types = '' OR instr(',' || p.types || ',', ',' || e.type || ',') > 0)
              WHERE e.fanned_at IS NULL`,
        args: [now, now],
      },
      { sql: 'UPDATE event_outbox SET fanned_at = ? WHERE fanned_at IS NULL', args: [now] },
    ],
    'write',
  )
  return inserted!.rowsAffected
}

/** Whether events wait to be fanned out, and whether deliveries are due (both on an index). */
async function pendingWork(ctx: Ctx, now: number) {
  const r = await ctx.db.execute({
    sql: `SELECT EXISTS (SELECT 1 FROM event_outbox WHERE fanned_at IS NULL) AS unfanned,
            EXISTS (SELECT 1 FROM event_deliveries WHERE state = 'pending' AND next_at <= ?) AS due`,
    args: [now],
  })
  const row = r.rows[0]!
  return { unfanned: Number(row.unfanned) === 1, due: Number(row.due) === 1 }
}

interface Claimed {
  id: string
  eventId: string
  endpointId: string
  attempts: number
  type: EventType
  createdAt: number
  sealed: string
}

async function claim(ctx: Ctx, by: string, now: number): Promise<Claimed[]> {
  const r = await ctx.db.execute({
    sql: `UPDATE event_deliveries SET lease_by = :by, lease_until = :until
          WHERE id IN (SELECT d.id FROM event_deliveries d JOIN event_endpoints p ON p.id = d.endpoint_id
            WHERE d.state = 'pending' AND d.next_at <= :now AND p.enabled = 1
              AND (d.lease_until IS NULL OR d.lease_until <= :now)
            ORDER BY d.next_at LIMIT :n)
          RETURNING id, event_id, endpoint_id, attempts`,
    args: { by, until: now + LEASE_MS, now, n: DELIVERY_BATCH },
  })
  if (!r.rows.length) return []
  const ids = r.rows.map((row) => String(row.event_id))
  const events = await ctx.db.execute({
    sql: `SELECT id, type, created_at, data_sealed FROM event_outbox WHERE id IN (${ids.map(() => '?').join(',')})`,
    args: ids,
  })
  const byId = new Map(events.rows.map((e) => [String(e.id), e]))
  return r.rows.flatMap((row) => {
    const e = byId.get(String(row.event_id))
    if (!e) return []
    return [
      {
        id: String(row.id),
        eventId: String(row.event_id),
        endpointId: String(row.endpoint_id),
        attempts: Number(row.attempts),
        type: String(e.type) as EventType,
        createdAt: Number(e.created_at),
        sealed: String(e.data_sealed),
      },
    ]
  })
}

/** The body of an event, as sent and as signed. */
export function payloadOf(
  d: Pick<Claimed, 'eventId' | 'type' | 'createdAt'>,
  data: EventPayload['data'],
): string {
  const payload: EventPayload = {
    id: d.eventId,
    type: d.type,
    timestamp: new Date(d.createdAt).toISOString(),
    data,
  }
  return JSON.stringify(payload)
}

/**
 * The Standard Webhooks headers: one `v1,…` signature per secret, space-separated. The timestamp
 * is the system clock's: the receiver checks it against its own to refuse replays.
 */
export function signedHeaders(secrets: string[], id: string, body: string, at: Date) {
  return {
    'content-type': 'application/json',
    'user-agent': 'sms-auth-events/1',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' '),
  }
}

interface Outcome {
  status: number | null
  ms: number
  error: string | null
}

async function post(ctx: Ctx, endpoint: EndpointRow, d: Claimed, now: number): Promise<Outcome> {
  const secrets = await signingSecrets(ctx, endpoint, now)
  if (!secrets.length) return { status: null, ms: 0, error: 'secret unreadable: rotate it' }
  // Sealed under a secret this instance does not hold (a rotation rolling out): tried again later.
  const data = await openOrNull(ctx.keys, d.sealed)
  if (data === null) return { status: null, ms: 0, error: 'event unreadable by this instance' }
  const body = payloadOf(d, JSON.parse(data) as EventPayload['data'])
  const began = performance.now()
  const ms = () => Math.round(performance.now() - began)
  try {
    const res = await ctx.fetch(endpoint.url, {
      method: 'POST',
      headers: signedHeaders(secrets, d.eventId, body, new Date()),
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    })
    await res.body?.cancel().catch(() => {})
    const ok = res.status >= 200 && res.status < 300
    return { status: res.status, ms: ms(), error: ok ? null : `HTTP ${res.status}` }
  } catch (err) {
    const name = err instanceof Error ? err.name : 'Error'
    return { status: null, ms: ms(), error: name === 'TimeoutError' ? 'timeout' : name }
  }
}

async function record(ctx: Ctx, by: string, d: Claimed, o: Outcome, now: number) {
  const attempts = d.attempts + 1
  const ok = o.error === null
  const next = ok ? null : attempts >= MAX_ATTEMPTS ? null : nextAttemptAt(attempts, now)
  const state = ok ? 'succeeded' : next === null ? 'failed' : 'pending'
  await ctx.db.batch(
    [
      {
        sql: `UPDATE event_deliveries SET state = ?, attempts = ?, next_at = ?, lease_by = NULL,
                lease_until = NULL WHERE id = ? AND lease_by = ?`,
        args: [state, attempts, next, d.id, by],
      },
      {
        sql: `INSERT INTO event_attempts (delivery_id, at, status, duration_ms, error)
              SELECT ?, ?, ?, ?, ? WHERE changes() > 0`,
        args: [d.id, now, o.status, o.ms, o.error],
      },
    ],
    'write',
  )
  return ok
}

/** The delivery run of one instance; a call while one is under way gets that run. */
export function deliveryJob(ctx: Ctx): () => Promise<DeliveryReport> {
  const instance = newId('ins')
  let running: Promise<DeliveryReport> | null = null
  const run = async (): Promise<DeliveryReport> => {
    const now = ctx.clock()
    // A read first: a run with nothing to do (most of them) takes no write lock.
    const work = await pendingWork(ctx, now)
    const fanned = work.unfanned ? await fanOut(ctx, now) : 0
    const claimed = work.due || fanned ? await claim(ctx, instance, now) : []
    const endpoints = new Map<string, EndpointRow | null>()
    let succeeded = 0
    await Promise.all(
      claimed.map(async (d) => {
        if (!endpoints.has(d.endpointId))
          endpoints.set(d.endpointId, await findEndpoint(ctx, d.endpointId).catch(() => null))
        const endpoint = endpoints.get(d.endpointId)
        if (!endpoint) return
        const outcome = await post(ctx, endpoint, d, now)
        if (await record(ctx, instance, d, outcome, ctx.clock())) succeeded++
        else
          ctx.log('events.delivery_failed', {
            endpoint: d.endpointId,
            type: d.type,
            status: outcome.status,
            error: outcome.error,
          })
      }),
    )
    if (fanned || claimed.length)
      ctx.log('events.run', { fanned, attempted: claimed.length, succeeded })
    return { fanned, attempted: claimed.length, succeeded }
  }
  return () => {
    running ??= run().finally(() => (running = null))
    return running
  }
}
