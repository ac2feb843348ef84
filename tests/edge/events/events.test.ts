/**
 * Events to the site's backend, end to end through the API: endpoints configured with the admin
 * token, events written with their change, delivered by `deliverEvents()` to a real receiver that
 * verifies each with standardwebhooks. The app's clock moves for the retries; nothing sleeps.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { JITTER, LEASE_MS, MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../../edge/events/schedule.js'
import { PREVIOUS_SECRET_MS } from '../../../edge/events/endpoints.js'
import { phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { recordingClient } from '../../helpers/recorder.js'
import { receiver } from './receiver.js'

let t: TestApp
let hook: Awaited<ReturnType<typeof receiver>>
let n = 0

beforeAll(async () => {
  t = await testApp()
  hook = await receiver()
})
afterAll(async () => {
  await hook.close()
  t.close()
})
afterEach(async () => {
  // Each test starts with no endpoint, an empty outbox and an answering receiver.
  for (const e of (await t.admin('GET', '/v1/admin/event-endpoints')).body.endpoints)
    await t.admin('DELETE', `/v1/admin/event-endpoints/${e.id}`)
  await t.db.execute('UPDATE event_outbox SET fanned_at = 0 WHERE fanned_at IS NULL')
  hook.received.length = 0
  hook.secrets.length = 0
  hook.answer(200)
})

async function endpoint(body: Record<string, unknown> = {}) {
  const r = await t.admin('POST', '/v1/admin/event-endpoints', { url: hook.url, ...body })
  expect(r.status, r.text).toBe(201)
  hook.secrets.push(r.body.secret)
  return r.body as { endpoint: { id: string }; secret: string }
}

const outbox = async (type: string) =>
  (
    await t.db.execute({
      sql: 'SELECT id FROM event_outbox WHERE type = ? ORDER BY created_at',
      args: [type],
    })
  ).rows

describe('event endpoints', () => {
  it('creates with a whsec_ secret shown once, sealed at rest, and lists without it', async () => {
    const { endpoint: e, secret } = await endpoint({ types: ['user.created'] })
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const list = await t.admin('GET', '/v1/admin/event-endpoints')
    expect(list.body.endpoints).toEqual([
      expect.objectContaining({ id: e.id, url: hook.url, types: ['user.created'], enabled: true }),
    ])
    expect(list.text).not.toContain(secret.slice(6))
    const stored = await t.db.execute('SELECT secret_sealed FROM event_endpoints')
    expect(String(stored.rows[0]!.secret_sealed)).toMatch(/^v2\./)
    expect(String(stored.rows[0]!.secret_sealed)).not.toContain(secret.slice(6))
  })

  it('refuses bad input with problem+json and its paths, and needs the admin token', async () => {
    const http = await t.admin('POST', '/v1/admin/event-endpoints', { url: 'http://example.com/h' })
    expect(http.status).toBe(400)
    expect(http.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(http.body.errors).toEqual([{ path: 'url', message: expect.any(String) }])
    const type = await t.admin('POST', '/v1/admin/event-endpoints', {
      url: hook.url,
      types: ['user.exploded'],
    })
    expect(type.status).toBe(400)
    expect(type.body.errors[0].path).toBe('types.0')
    const junk = await t.admin('POST', '/v1/admin/event-endpoints', { url: 'not a url' })
    expect(junk.body.errors).toEqual([{ path: 'url', message: 'not an absolute URL' }])
    expect((await t.admin('PATCH', '/v1/admin/event-endpoints/ep_nope', {})).status).toBe(404)
    expect((await t.admin('POST', '/v1/admin/event-deliveries/dlv_nope/resend')).status).toBe(404)
    const anon = await t.call('GET', '/v1/admin/event-endpoints')
    expect(anon.status).toBe(401)
  })

  it('refuses http in production, even to 127.0.0.1', async () => {
    const prod = await testApp({
      env: { SMS_AUTH_MODE: 'production', SMS_AUTH_PUBLIC_URL: 'https://auth.example.com' },
    })
    try {
      const r = await prod.admin('POST', '/v1/admin/event-endpoints', { url: hook.url })
      expect(r.status).toBe(400)
      expect(r.body.errors).toEqual([{ path: 'url', message: 'must be https' }])
      const ok = await prod.admin('POST', '/v1/admin/event-endpoints', {
        url: 'https://backend.example.com/hooks',
      })
      expect(ok.status).toBe(201)
    } finally {
      prod.close()
    }
  })
})

describe('delivery', () => {
  it('a registration sends a user.created whose signature verifies, then session.created', async () => {
    await endpoint()
    const phone = phoneNo(++n)
    const { user } = await registerByPhone(t, phone, 'Asha', 'asha-events@example.com')
    const [event] = await outbox('user.created')
    expect(event).toBeDefined()
    const report = await t.api.deliverEvents()
    expect(report).toMatchObject({ attempted: 2, succeeded: 2 })
    const types = hook.received.map((r) => r.verified[0]?.type)
    expect(types.sort()).toEqual(['session.created', 'user.created'])
    const created = hook.received.find((r) => r.verified[0]?.type === 'user.created')!
    expect(created.id).toBe(event!.id)
    expect(created.id).toMatch(/^evt_/)
    expect(created.verified[0]).toEqual({
      id: event!.id,
      type: 'user.created',
      timestamp: new Date(t.clock.now).toISOString(),
      data: { userId: user.id, phone, email: 'asha-events@example.com', methods: ['sms'] },
    })
    expect(created.body).not.toMatch(/"(code|token|accessToken|refreshToken|password)"/)
    // Delivered once: a second run finds nothing due.
    expect(await t.api.deliverEvents()).toMatchObject({ attempted: 0 })
    expect(hook.received).toHaveLength(2)
  })

  it('a tampered body or another secret does not verify', async () => {
    await endpoint({ types: ['user.created'] })
    await registerByPhone(t, phoneNo(++n))
    await t.api.deliverEvents()
    const [got] = hook.received
    const { verifyEvent } = await import('../../../docs/snippets/events/verify.js')
    expect(verifyEvent(hook.secrets[0]!, got!.body, got!.headers)).not.toBeNull()
    expect(verifyEvent(hook.secrets[0]!, got!.body.replace('user', 'usr'), got!.headers)).toBeNull()
    const other = 'whsec_' + Buffer.from('x'.repeat(32)).toString('base64')
    expect(verifyEvent(other, got!.body, got!.headers)).toBeNull()
  })

  it('a failed registration (email taken) leaves no event', async () => {
    await registerByPhone(t, phoneNo(++n), 'A', 'taken-events@example.com')
    const before = (await outbox('user.created')).length
    await expect(registerByPhone(t, phoneNo(++n), 'B', 'taken-events@example.com')).rejects.toThrow(
      /email_taken/,
    )
    expect(await outbox('user.created')).toHaveLength(before)
  })

  it('retries a failing receiver on the backoff schedule, then fails; resend sends the same id', async () => {
    const { endpoint: e } = await endpoint({ types: ['user.created'] })
    hook.answer(500)
    await registerByPhone(t, phoneNo(++n))
    expect(await t.api.deliverEvents()).toMatchObject({ attempted: 1, succeeded: 0 })
    for (const delay of RETRY_DELAYS_MS) {
      // Not yet due just before the delay, due once delay and the largest jitter have passed.
      t.clock.advance(delay - 1)
      expect(await t.api.deliverEvents()).toMatchObject({ attempted: 0 })
      t.clock.advance(Math.ceil(delay * JITTER) + 1)
      expect(await t.api.deliverEvents()).toMatchObject({ attempted: 1 })
    }
    expect(hook.received).toHaveLength(MAX_ATTEMPTS)
    expect(new Set(hook.received.map((r) => r.id)).size).toBe(1)
    t.clock.advance(24 * 3600_000)
    expect(await t.api.deliverEvents()).toMatchObject({ attempted: 0 })

    const page = await t.admin('GET', `/v1/admin/event-endpoints/${e.id}/deliveries`)
    expect(page.status).toBe(200)
    const [d] = page.body.deliveries
    expect(d).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS, nextAttemptAt: null })
    expect(d.log).toHaveLength(MAX_ATTEMPTS)
    expect(d.log[0]).toMatchObject({ status: 500, error: 'HTTP 500' })

    hook.answer(204)
    const resend = await t.admin('POST', `/v1/admin/event-deliveries/${d.id}/resend`)
    expect(resend.status).toBe(202)
    expect(await t.api.deliverEvents()).toMatchObject({ attempted: 1, succeeded: 1 })
    expect(hook.received.at(-1)!.id).toBe(d.eventId)
    expect(hook.received.at(-1)!.verified[0]).not.toBeNull()
    const after = await t.admin('GET', `/v1/admin/event-endpoints/${e.id}/deliveries`)
    expect(after.body.deliveries[0]).toMatchObject({ state: 'succeeded', attempts: 1 })
    expect(after.body.deliveries[0].log).toHaveLength(MAX_ATTEMPTS + 1)
  })

  it('an unreachable endpoint is retried too (no answer: status null)', async () => {
    const { endpoint: e } = await endpoint()
    await t.admin('PATCH', `/v1/admin/event-endpoints/${e.id}`, {
      url: 'http://127.0.0.1:9/closed',
      types: ['user.created'],
    })
    await registerByPhone(t, phoneNo(++n))
    expect(await t.api.deliverEvents()).toMatchObject({ attempted: 1, succeeded: 0 })
    const page = await t.admin('GET', `/v1/admin/event-endpoints/${e.id}/deliveries`)
    expect(page.body.deliveries[0]).toMatchObject({ state: 'pending', attempts: 1 })
    expect(page.body.deliveries[0].log[0]).toMatchObject({ status: null })
  })

  it('after a rotation both secrets verify for 24 h, then only the new one', async () => {
    const { endpoint: e, secret: old } = await endpoint({ types: ['user.created'] })
    const rotated = await t.admin('POST', `/v1/admin/event-endpoints/${e.id}/rotate-secret`)
    expect(rotated.status).toBe(200)
    expect(rotated.body.secret).not.toBe(old)
    expect(rotated.body.endpoint.previousSecretUntil).toBe(
      new Date(t.clock.now + PREVIOUS_SECRET_MS).toISOString(),
    )
    hook.secrets.push(rotated.body.secret)
    await registerByPhone(t, phoneNo(++n))
    await t.api.deliverEvents()
    const [both] = hook.received
    expect(both!.headers['webhook-signature']!.split(' ')).toHaveLength(2)
    expect(both!.verified.map((v) => v?.type)).toEqual(['user.created', 'user.created'])

    t.clock.advance(PREVIOUS_SECRET_MS + 1)
    await registerByPhone(t, phoneNo(++n))
    await t.api.deliverEvents()
    const later = hook.received.at(-1)!
    expect(later.headers['webhook-signature']!.split(' ')).toHaveLength(1)
    expect(later.verified.map((v) => v?.type ?? null)).toEqual([null, 'user.created'])
  })

  it('a disabled endpoint receives nothing; one of other types neither', async () => {
    const { endpoint: off } = await endpoint({ enabled: false })
    await endpoint({ types: ['factor.enabled'] })
    await registerByPhone(t, phoneNo(++n))
    expect(await t.api.deliverEvents()).toMatchObject({ fanned: 0, attempted: 0 })
    expect(hook.received).toEqual([])
    const page = await t.admin('GET', `/v1/admin/event-endpoints/${off.id}/deliveries`)
    expect(page.body).toEqual({ deliveries: [], nextBefore: null })
  })

  it('logout and refresh-token reuse send session.revoked', async () => {
    await endpoint({ types: ['session.revoked'] })
    const a = await registerByPhone(t, phoneNo(++n))
    const b = await registerByPhone(t, phoneNo(++n))
    const out = await t.call('DELETE', '/v1/sessions/current', undefined, {
      authorization: `Bearer ${a.session.accessToken}`,
    })
    expect(out.status).toBe(204)
    expect(
      (await t.call('POST', '/v1/sessions/refresh', { refreshToken: b.session.refreshToken }))
        .status,
    ).toBe(200)
    // Past the two-tab grace, the spent token again: reuse ends the session.
    t.clock.advance(3600_000)
    expect(
      (await t.call('POST', '/v1/sessions/refresh', { refreshToken: b.session.refreshToken }))
        .status,
    ).toBe(401)
    await t.api.deliverEvents()
    const got = hook.received.map((r) => r.verified[0]!.data)
    expect(got).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: a.user.id, reason: 'logout' }),
        expect.objectContaining({ userId: b.user.id, reason: 'refresh_reuse' }),
      ]),
    )
    expect(got).toHaveLength(2)
  })

  it('two instances running at once deliver each event once', async () => {
    await endpoint({ types: ['user.created'] })
    const other = await testApp({ db: t.db, clock: t.clock })
    for (let i = 0; i < 3; i++) await registerByPhone(t, phoneNo(++n))
    const [x, y] = await Promise.all([t.api.deliverEvents(), other.api.deliverEvents()])
    expect(x.attempted + y.attempted).toBe(3)
    expect(new Set(hook.received.map((r) => r.id)).size).toBe(3)
    expect(hook.received).toHaveLength(3)
  })
})

describe('the timer every 5 s', () => {
  it('a run with nothing to do only reads (no write lock)', async () => {
    await endpoint()
    await t.api.deliverEvents()
    const rec = recordingClient(t.db)
    const watched = await testApp({ db: rec.db, clock: t.clock })
    rec.statements.length = 0
    expect(await watched.api.deliverEvents()).toEqual({ fanned: 0, attempted: 0, succeeded: 0 })
    expect(rec.statements.map((s) => s.sql).filter((q) => !/^\s*SELECT\b/i.test(q))).toEqual([])
    expect(rec.statements.length).toBeGreaterThan(0)
  })
})

describe('retention', () => {
  it('the delivery log, finished deliveries and delivered events go after the retention days', async () => {
    const { endpoint: e } = await endpoint({ types: ['user.created'] })
    await registerByPhone(t, phoneNo(++n))
    await t.api.deliverEvents()
    const rows = async () =>
      Promise.all(
        ['event_attempts', 'event_deliveries', 'event_outbox'].map(async (table) =>
          Number((await t.db.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n),
        ),
      )
    const before = await rows()
    expect(before.every((c) => c > 0)).toBe(true)
    t.clock.advance(31 * 86_400_000)
    await t.api.maintain()
    expect(await rows()).toEqual([0, 0, 0])
    const page = await t.admin('GET', `/v1/admin/event-endpoints/${e.id}/deliveries`)
    expect(page.body.deliveries).toEqual([])
  })
})

describe('failures of the server itself', () => {
  it('a delivery held by an instance that died is taken over once its lease lapses', async () => {
    const { endpoint: e } = await endpoint({ types: ['user.created'] })
    hook.answer(503)
    await registerByPhone(t, phoneNo(++n))
    await t.api.deliverEvents()
    // Another instance claimed the retry, then died before recording it.
    t.clock.advance(RETRY_DELAYS_MS[0] * (1 + JITTER) + 1)
    await t.db.execute({
      sql: `UPDATE event_deliveries SET lease_by = 'ins_dead', lease_until = ? WHERE endpoint_id = ?`,
      args: [t.clock.now + LEASE_MS, e.id],
    })
    hook.answer(200)
    expect(await t.api.deliverEvents()).toMatchObject({ attempted: 0 })
    t.clock.advance(LEASE_MS)
    expect(await t.api.deliverEvents()).toMatchObject({ attempted: 1, succeeded: 1 })
    expect(hook.received.map((r) => r.id)).toEqual([hook.received[0]!.id, hook.received[0]!.id])
  })

  it('database down: the delivery fails closed (nothing sent, no 500), the event waits for the next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-auth-events-'))
    const url = `file:${join(dir, 'db.sqlite')}`
    const first = await testApp({ dbUrl: url })
    let second: TestApp | undefined
    try {
      const made = await first.admin('POST', '/v1/admin/event-endpoints', {
        url: hook.url,
        types: ['user.created'],
      })
      hook.secrets.push(made.body.secret)
      await registerByPhone(first, phoneNo(++n))
      first.db.close()
      await expect(first.api.deliverEvents()).rejects.toThrow()
      expect(hook.received).toEqual([])
      for (const [method, path] of [
        ['GET', '/v1/admin/event-endpoints'],
        ['GET', `/v1/admin/event-endpoints/${made.body.endpoint.id}/deliveries`],
        ['POST', '/v1/admin/event-endpoints/x/rotate-secret'],
      ] as const) {
        const r = await first.admin(method, path)
        expect(r.status, `${method} ${path}`).toBe(503)
        expect(r.body.code).toBe('database_unavailable')
      }
      // The database back (an instance on it again): the event was kept and goes out now.
      second = await testApp({ dbUrl: url })
      expect(await second.api.deliverEvents()).toMatchObject({ attempted: 1, succeeded: 1 })
      expect(hook.received[0]!.verified[0]?.type).toBe('user.created')
    } finally {
      second?.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
