/**
 * T40, libSQL primary unreachable: with sqld stopped or gone, every route answers a 503
 * `database_unavailable` problem with `Retry-After` within about 2 s, never a 500 and never a
 * hang; once sqld is back the same instance serves again, without a restart. The client is built
 * as the entries build it (an aborting fetch); the call timeout is set to 1 s by its variable.
 */
import { createClient, type Client } from '@libsql/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GuardedClient } from '../../../edge/db/guard.js'
import { abortingFetch, driverAbortMs } from '../../../edge/db/limits.js'
import {
  ADMIN_TOKEN,
  phoneNo,
  registerByPhone,
  testApp,
  type Res,
  type TestApp,
} from '../../helpers/app.js'
import { webhookToken } from '../../../edge/messages/webhook-token.js'
import { until } from '../../helpers/db.js'
import { expectProblem, fromAddress } from '../../helpers/extra.js'
import { freePort, startSqld, type Sqld } from '../../helpers/sqld.js'

const TIMEOUT_MS = 1_000
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
const form = { 'content-type': 'application/x-www-form-urlencoded' }

interface Probe {
  op: string
  path: string
  body?: unknown
  headers?: Record<string, string>
}

/** One request per operation of the OpenAPI document, each valid enough to reach the database. */
function probes(bearer: Record<string, string>): Probe[] {
  const code = { code: '123456' }
  return [
    { op: 'get /v1/config', path: '/v1/config' },
    { op: 'get /healthz', path: '/healthz' },
    { op: 'get /v1/dev/outbox', path: '/v1/dev/outbox?to=%2B919812345678' },
    {
      op: 'post /v1/verifications',
      path: '/v1/verifications',
      body: { purpose: 'login', phone: phoneNo(7001) },
    },
    { op: 'post /v1/verifications/{id}/resend', path: '/v1/verifications/ver_x/resend', body: {} },
    { op: 'post /v1/verifications/{id}/check', path: '/v1/verifications/ver_x/check', body: code },
    {
      op: 'post /v1/users',
      path: '/v1/users',
      body: { email: 'down@example.com', password: 'a long enough passphrase', name: 'Down' },
    },
    {
      op: 'post /v1/sessions',
      path: '/v1/sessions',
      body: { email: 'down@example.com', password: 'whatever' },
    },
    { op: 'post /v1/sessions/refresh', path: '/v1/sessions/refresh', body: { refreshToken: 'x' } },
    { op: 'delete /v1/sessions/current', path: '/v1/sessions/current', headers: bearer },
    {
      op: 'post /v1/sessions/introspect',
      path: '/v1/sessions/introspect',
      // A valid access token: only its session's row is left to read.
      body: { token: bearer.authorization!.replace(/^Bearer /, '') },
      headers: admin,
    },
    { op: 'get /v1/me', path: '/v1/me', headers: bearer },
    { op: 'get /v1/admin/settings', path: '/v1/admin/settings', headers: admin },
    {
      op: 'patch /v1/admin/settings',
      path: '/v1/admin/settings',
      body: { resendCooldownSeconds: 30 },
      headers: admin,
    },
    { op: 'get /v1/admin/audit', path: '/v1/admin/audit', headers: admin },
    { op: 'get /v1/admin/integrations', path: '/v1/admin/integrations', headers: admin },
    {
      op: 'put /v1/admin/integrations/{provider}',
      path: '/v1/admin/integrations/console',
      body: { enabled: true },
      headers: admin,
    },
    {
      op: 'post /v1/admin/integrations/{provider}/test',
      path: '/v1/admin/integrations/console/test',
      body: { phone: phoneNo(7002) },
      headers: admin,
    },
    {
      op: 'post /v1/webhooks/{provider}',
      path: '/v1/webhooks/twilio',
      body: 'MessageSid=SM1&MessageStatus=delivered',
      headers: form,
    },
    { op: 'post /v1/me/backup-codes', path: '/v1/me/backup-codes', headers: bearer },
    { op: 'get /v1/me/backup-codes', path: '/v1/me/backup-codes', headers: bearer },
    { op: 'post /v1/me/totp', path: '/v1/me/totp', headers: bearer },
    { op: 'delete /v1/me/totp', path: '/v1/me/totp', body: code, headers: bearer },
    { op: 'post /v1/me/totp/verify', path: '/v1/me/totp/verify', body: code, headers: bearer },
    { op: 'post /v1/mfa/totp', path: '/v1/mfa/totp', body: { mfaTicket: 'x', ...code } },
    {
      op: 'post /v1/mfa/backup-code',
      path: '/v1/mfa/backup-code',
      body: { mfaTicket: 'x', ...code },
    },
    {
      op: 'post /v1/mfa/password',
      path: '/v1/mfa/password',
      body: { mfaTicket: 'x', password: 'correct horse' },
    },
    {
      op: 'post /v1/me/phone/remove',
      path: '/v1/me/phone/remove',
      body: { totpCode: '123456' },
      headers: bearer,
    },
    {
      op: 'post /v1/admin/users/{id}/phone',
      path: '/v1/admin/users/usr_x/phone',
      body: { phone: phoneNo(7003), verify: false },
      headers: admin,
    },
    {
      op: 'post /v1/admin/users/{id}/unlock',
      path: '/v1/admin/users/usr_x/unlock',
      headers: admin,
    },
    {
      op: 'get /v1/admin/integrations/{provider}',
      path: '/v1/admin/integrations/twilio',
      headers: admin,
    },
    {
      op: 'post /v1/webhooks/{provider}/{token}',
      path: `/v1/webhooks/clickatell/${webhookToken(t.api.ctx.keys, 'clickatell')}`,
      body: JSON.stringify({ messageId: 'm1', statusCode: 4 }),
      headers: { 'content-type': 'application/json' },
    },
    { op: 'post /v1/me/reauth', path: '/v1/me/reauth', body: { password: 'x' }, headers: bearer },
    { op: 'delete /v1/me', path: '/v1/me', headers: bearer },
    {
      op: 'post /v1/password-resets',
      path: '/v1/password-resets',
      body: { resetTicket: 'rst_x', password: 'a long enough passphrase' },
    },
    {
      op: 'put /v1/me/password',
      path: '/v1/me/password',
      body: { password: 'a long enough passphrase' },
      headers: bearer,
    },
    { op: 'patch /v1/me', path: '/v1/me', body: { name: 'Down' }, headers: bearer },
    { op: 'get /v1/me/sessions', path: '/v1/me/sessions', headers: bearer },
    { op: 'delete /v1/me/sessions/{id}', path: '/v1/me/sessions/ses_x', headers: bearer },
    {
      op: 'post /v1/me/sessions/revoke-others',
      path: '/v1/me/sessions/revoke-others',
      headers: bearer,
    },
    { op: 'get /v1/admin/users', path: '/v1/admin/users?query=ash', headers: admin },
    { op: 'get /v1/admin/users/{id}', path: '/v1/admin/users/usr_x', headers: admin },
    {
      op: 'patch /v1/admin/users/{id}',
      path: '/v1/admin/users/usr_x',
      body: { disabled: true },
      headers: admin,
    },
    {
      op: 'post /v1/admin/users/{id}/sessions/revoke',
      path: '/v1/admin/users/usr_x/sessions/revoke',
      headers: admin,
    },
    { op: 'delete /v1/admin/users/{id}', path: '/v1/admin/users/usr_x', headers: admin },
    { op: 'get /v1/admin/event-endpoints', path: '/v1/admin/event-endpoints', headers: admin },
    {
      op: 'post /v1/admin/event-endpoints',
      path: '/v1/admin/event-endpoints',
      body: { url: 'https://hooks.example/sms-auth', types: ['user.created'] },
      headers: admin,
    },
    {
      op: 'patch /v1/admin/event-endpoints/{id}',
      path: '/v1/admin/event-endpoints/whe_x',
      body: { enabled: false },
      headers: admin,
    },
    {
      op: 'delete /v1/admin/event-endpoints/{id}',
      path: '/v1/admin/event-endpoints/whe_x',
      headers: admin,
    },
    {
      op: 'post /v1/admin/event-endpoints/{id}/rotate-secret',
      path: '/v1/admin/event-endpoints/whe_x/rotate-secret',
      headers: admin,
    },
    {
      op: 'get /v1/admin/event-endpoints/{id}/deliveries',
      path: '/v1/admin/event-endpoints/whe_x/deliveries',
      headers: admin,
    },
    {
      op: 'post /v1/admin/event-deliveries/{id}/resend',
      path: '/v1/admin/event-deliveries/whd_x/resend',
      headers: admin,
    },
    { op: 'get /v1/admin/me', path: '/v1/admin/me', headers: bearer },
    { op: 'get /v1/admin/admins', path: '/v1/admin/admins', headers: admin },
    {
      op: 'post /v1/admin/admins',
      path: '/v1/admin/admins',
      body: { userId: 'usr_x', role: 'support' },
      headers: admin,
    },
    {
      op: 'patch /v1/admin/admins/{userId}',
      path: '/v1/admin/admins/usr_x',
      body: { role: 'owner' },
      headers: admin,
    },
    { op: 'delete /v1/admin/admins/{userId}', path: '/v1/admin/admins/usr_x', headers: admin },
    { op: 'get /v1/admin/test-numbers', path: '/v1/admin/test-numbers', headers: admin },
    {
      op: 'post /v1/admin/test-numbers',
      path: '/v1/admin/test-numbers',
      body: { phone: '+12015550123', code: '424242' },
      headers: admin,
    },
    {
      op: 'delete /v1/admin/test-numbers/{phone}',
      path: '/v1/admin/test-numbers/%2B12015550123',
      headers: admin,
    },
    { op: 'get /v1/admin/prices', path: '/v1/admin/prices', headers: admin },
    {
      op: 'put /v1/admin/prices/{country}',
      path: '/v1/admin/prices/IN',
      body: { sms: 1000, voice: 2000 },
      headers: admin,
    },
    { op: 'delete /v1/admin/prices/{country}', path: '/v1/admin/prices/IN', headers: admin },
    { op: 'get /v1/admin/spend', path: '/v1/admin/spend', headers: admin },
    { op: 'get /v1/admin/breaker', path: '/v1/admin/breaker', headers: admin },
    { op: 'get /v1/admin/stats', path: '/v1/admin/stats', headers: admin },
    { op: 'get /v1/admin/limits', path: '/v1/admin/limits', headers: admin },
    { op: 'get /v1/admin/challenge', path: '/v1/admin/challenge', headers: admin },
    {
      op: 'put /v1/admin/challenge',
      path: '/v1/admin/challenge',
      body: { baseUrl: null },
      headers: admin,
    },
    {
      op: 'post /v1/admin/breaker/{prefix}/release',
      path: '/v1/admin/breaker/%2B91988100/release',
      headers: admin,
    },
    {
      op: 'post /v1/admin/breaker/{prefix}/safe',
      path: '/v1/admin/breaker/%2B91988100/safe',
      headers: admin,
    },
    {
      op: 'delete /v1/admin/breaker/{prefix}/safe',
      path: '/v1/admin/breaker/%2B91988100/safe',
      headers: admin,
    },
  ]
}

/** Operations that never touch the database. */
const NO_DATABASE = ['get /.well-known/jwks.json', 'get /metrics']

let sqld: Sqld
let raw: Client
let t: TestApp
let bearer: Record<string, string>
let operations: string[]

beforeAll(async () => {
  sqld = await startSqld({ restartable: true })
  raw = createClient({
    url: sqld.url,
    fetch: abortingFetch(driverAbortMs({ callTimeoutMs: TIMEOUT_MS })),
  })
  t = await testApp({ db: raw, env: { SMS_AUTH_DB_TIMEOUT_MS: String(TIMEOUT_MS) } })
  const account = await registerByPhone(t, phoneNo(7000))
  bearer = { authorization: `Bearer ${account.session.accessToken}` }
  const doc = await t.call('GET', '/v1/openapi.json')
  operations = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
    ([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`),
  )
}, 60_000)

afterAll(async () => {
  t?.close()
  await sqld?.close()
})

async function timed(p: Probe, i: number): Promise<Res & { ms: number; op: string }> {
  const method = p.op.split(' ')[0]!.toUpperCase()
  const started = Date.now()
  const res = await t.call(method, p.path, p.body, { ...fromAddress(100 + i), ...p.headers })
  return { ...res, ms: Date.now() - started, op: p.op }
}

function expectUnavailable(r: Res & { op: string }) {
  expect({ op: r.op, status: r.status }).toEqual({ op: r.op, status: 503 })
  expectProblem(r, 503, 'database_unavailable')
  expect(r.body.retryAfter).toBeGreaterThan(0)
  expect(r.headers.get('retry-after')).toBe(String(r.body.retryAfter))
}

/** Serves again: /healthz, a write (a login start for a fresh number) and an authenticated read. */
async function expectServing(n: number) {
  await until(async () => (await t.call('GET', '/healthz')).status === 200, 5_000, 'healthy')
  const started = await t.call(
    'POST',
    '/v1/verifications',
    { purpose: 'login', phone: phoneNo(n) },
    fromAddress(200 + (n % 50)),
  )
  expect(started.status, started.text).toBe(201)
  expect((await t.call('GET', '/v1/me', undefined, bearer)).status).toBe(200)
}

describe('with the database unreachable', () => {
  it('probes every operation that reaches the database', () => {
    const probed = probes(bearer).map((p) => p.op)
    expect([...probed, ...NO_DATABASE].sort()).toEqual([...operations].sort())
  })

  it('T40 sqld stopped (SIGSTOP): every route answers 503 database_unavailable with Retry-After within ~2 s, then serves again', async () => {
    sqld.pause()
    let results: (Res & { ms: number; op: string })[]
    try {
      results = await Promise.all(probes(bearer).map(timed))
    } finally {
      sqld.resume()
    }
    for (const r of results) expectUnavailable(r)
    // One call timeout (1 s) from the first statement of each request, waiting included.
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(2_000)
    await expectServing(7100)
  })

  it('T40 sqld gone (killed): every route answers 503 at once; restarted on the same port and data, the instance serves again', async () => {
    await sqld.kill()
    let results: (Res & { ms: number; op: string })[]
    try {
      results = await Promise.all(probes(bearer).map(timed))
    } finally {
      await sqld.restart()
    }
    for (const r of results) expectUnavailable(r)
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(1_000)
    await expectServing(7101)
  })

  it('sheds new requests at the door while half the database queue is taken', async () => {
    const small = await testApp({
      db: raw,
      env: {
        SMS_AUTH_DB_MAX_CONCURRENCY: '1',
        SMS_AUTH_DB_MAX_QUEUE: '2',
        SMS_AUTH_DB_TIMEOUT_MS: '4000',
      },
    })
    const db = small.api.ctx.db
    if (!(db instanceof GuardedClient)) throw new Error('ctx.db is not guarded')
    sqld.pause()
    let first: Promise<Res> | undefined
    let second: Promise<Res> | undefined
    try {
      first = small.call('GET', '/v1/config')
      await until(() => db.inFlight === 1, 2_000, 'one call in flight')
      second = small.call('GET', '/v1/config')
      await until(() => db.waiting === 1, 2_000, 'one call waiting')
      const started = Date.now()
      const shed = await small.call('GET', '/v1/config')
      expect(Date.now() - started).toBeLessThan(100)
      expectUnavailable({ ...shed, op: 'shed' })
      expect(shed.body.retryAfter).toBe(1)
      // What needs no database still answers.
      expect((await small.call('GET', '/.well-known/jwks.json')).status).toBe(200)
    } finally {
      sqld.resume()
    }
    expect((await first).status).toBe(200)
    expect((await second).status).toBe(200)
  })
})

describe('onError', () => {
  it('answers 503 for a libSQL connection error that did not come through the guard, 500 for a programming error', async () => {
    const app = await testApp({ dbUrl: ':memory:' })
    const nowhere = createClient({ url: `http://127.0.0.1:${await freePort()}` })
    try {
      app.api.app.get('/probe/unguarded', async (c) => {
        await nowhere.execute('SELECT 1')
        return c.text('unreachable')
      })
      app.api.app.get('/probe/bug', () => {
        throw new TypeError('settings.read is not a function')
      })
      const down = await app.call('GET', '/probe/unguarded')
      expectUnavailable({ ...down, op: 'unguarded' })
      const bug = await app.call('GET', '/probe/bug')
      expectProblem(bug, 500, 'internal_error')
      expect(app.logs.some((l) => l.includes('"event":"db_unavailable"'))).toBe(true)
      expect(app.logs.some((l) => l.includes('"event":"error"'))).toBe(true)
    } finally {
      nowhere.close()
      app.close()
    }
  })
})
