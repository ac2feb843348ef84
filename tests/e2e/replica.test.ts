/**
 * Read replicas (SMS_AUTH_DB_SYNC_URL, edge/db/replica.ts): a sqld primary, a sqld replica that
 * follows it over gRPC, and two Node instances: one on an embedded replica (a local file synced
 * from the primary), one on the sqld replica. Limits, attempt caps, single use and session ends
 * hold across them as on one database, since every read that decides one goes to the primary; a
 * request that decides nothing (GET /v1/config) is served from the replica, even with the primary
 * stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request, startServer, type Server } from '../helpers/server.js'
import { freePort, startSqld, type Sqld } from '../helpers/sqld.js'

const ADMIN = 'replica-admin-token-0123456789'
let primary: Sqld
let follower: Sqld
let embedded: Server
let viaSqld: Server

beforeAll(async () => {
  const grpc = await freePort()
  primary = await startSqld({ args: ['--grpc-listen-addr', `127.0.0.1:${grpc}`] })
  follower = await startSqld({ args: ['--primary-grpc-url', `http://127.0.0.1:${grpc}`] })
  const env = {
    SMS_AUTH_DB_SYNC_URL: primary.url,
    SMS_AUTH_SECRET: 'e'.repeat(64),
    SMS_AUTH_ADMIN_TOKEN: ADMIN,
    SMS_AUTH_PUBLIC_URL: 'http://auth.test',
    SMS_AUTH_TRUST_PROXY: '1',
    // A stopped primary answers nothing: the guard gives up after a second (last test).
    SMS_AUTH_DB_TIMEOUT_MS: '1000',
  }
  // DATABASE_URL stays the default file: an embedded replica in the server's own directory.
  embedded = await startServer({ runtime: 'node', env })
  viaSqld = await startServer({ runtime: 'node', env: { ...env, DATABASE_URL: follower.url } })
}, 90_000)

afterAll(async () => {
  await Promise.all([embedded?.close(), viaSqld?.close()])
  await follower?.close()
  await primary?.close()
})

let ip = 0
const call = (
  s: Server,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => request(s, method, path, body, { 'x-forwarded-for': `10.7.0.${++ip % 250}`, ...headers })

/** The newest code sent to `phone`: the outbox is a credential-less GET, read from the replica. */
async function code(s: Server, phone: string): Promise<string> {
  const newest = async () =>
    (await call(s, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body.messages[0]
  await expect.poll(newest, { timeout: 10_000 }).toBeDefined()
  return (await newest()).code
}

describe('instances on replicas of one primary', () => {
  it('registers on the embedded replica, signs in on the sqld replica; a session ends at once everywhere', async () => {
    const phone = '+919811200001'
    const v = await call(embedded, 'POST', '/v1/verifications', { purpose: 'register', phone })
    expect(v.status).toBe(201)
    const checked = await call(viaSqld, 'POST', `/v1/verifications/${v.body.id}/check`, {
      code: await code(viaSqld, phone),
    })
    expect(checked.body.status).toBe('approved')
    const user = await call(embedded, 'POST', '/v1/users', {
      registrationTicket: checked.body.registrationTicket,
      name: 'Rhea',
      email: 'rhea@example.com',
    })
    expect(user.status).toBe(201)
    const auth = { authorization: `Bearer ${user.body.session.accessToken}` }
    // Written a moment ago through the other instance: a replica may not have it yet; the primary has.
    expect((await call(viaSqld, 'GET', '/v1/me', undefined, auth)).body.user.id).toBe(
      user.body.user.id,
    )
    expect((await call(viaSqld, 'DELETE', '/v1/sessions/current', undefined, auth)).status).toBe(
      204,
    )
    expect((await call(embedded, 'GET', '/v1/me', undefined, auth)).status).toBe(401)
  })

  it('T40 read replica lagging: approves exactly one of 20 concurrent correct checks spread over both', async () => {
    const phone = '+919811200002'
    const v = await call(viaSqld, 'POST', '/v1/verifications', { purpose: 'register', phone })
    const c = await code(embedded, phone)
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 ? embedded : viaSqld, 'POST', `/v1/verifications/${v.body.id}/check`, {
          code: c,
        }),
      ),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.every((r) => [200, 409, 429].includes(r.status))).toBe(true)
    const again = await call(embedded, 'POST', `/v1/verifications/${v.body.id}/check`, { code: c })
    expect(again.body.code).toBe('verification_used')
  })

  it('caps wrong codes at 5 across both', async () => {
    const phone = '+919811200003'
    const v = await call(embedded, 'POST', '/v1/verifications', { purpose: 'register', phone })
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(i % 2 ? embedded : viaSqld, 'POST', `/v1/verifications/${v.body.id}/check`, {
          code: '1234567',
        }),
      ),
    )
    expect(results.filter((r) => r.body.code === 'invalid_code')).toHaveLength(5)
    const right = await call(viaSqld, 'POST', `/v1/verifications/${v.body.id}/check`, {
      code: await code(viaSqld, phone),
    })
    expect(right.body.code).toBe('too_many_attempts')
  })

  it('counts the per-phone limit across both', async () => {
    const phone = '+919811200004'
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const s = i % 2 ? embedded : viaSqld
      statuses.push(
        (await call(s, 'POST', '/v1/verifications', { purpose: 'register', phone })).status,
      )
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429])
  })

  it('brings a settings change to both replicas within the sync interval', async () => {
    const patched = await call(
      viaSqld,
      'PATCH',
      '/v1/admin/settings',
      { siteName: 'Replicated' },
      { authorization: `Bearer ${ADMIN}` },
    )
    expect(patched.status).toBe(200)
    for (const s of [embedded, viaSqld]) {
      await expect
        .poll(async () => (await call(s, 'GET', '/v1/config')).body.siteName, { timeout: 10_000 })
        .toBe('Replicated')
    }
  })

  it('with the primary stopped, serves reads that decide nothing and refuses the rest with 503', async () => {
    const started = await call(embedded, 'POST', '/v1/verifications', {
      purpose: 'register',
      phone: '+919811200005',
    })
    const checked = await call(embedded, 'POST', `/v1/verifications/${started.body.id}/check`, {
      code: await code(embedded, '+919811200005'),
    })
    const user = await call(embedded, 'POST', '/v1/users', {
      registrationTicket: checked.body.registrationTicket,
      name: 'Ila',
      email: 'ila@example.com',
    })
    const auth = { authorization: `Bearer ${user.body.session.accessToken}` }
    primary.pause()
    try {
      for (const s of [embedded, viaSqld]) {
        const config = await call(s, 'GET', '/v1/config')
        expect(config.status).toBe(200)
        expect(config.body.siteName).toBe('Replicated')
        const start = await call(s, 'POST', '/v1/verifications', {
          purpose: 'register',
          phone: '+919811200006',
        })
        expect(start.status).toBe(503)
        expect(start.body.code).toBe('database_unavailable')
        expect(start.headers.get('retry-after')).toMatch(/^\d+$/)
        // A bearer request reads the primary: no answer from a replica about a session.
        expect((await call(s, 'GET', '/v1/me', undefined, auth)).status).toBe(503)
        // Healthy means able to write, which only the primary can tell.
        expect((await call(s, 'GET', '/healthz')).status).toBe(503)
      }
    } finally {
      primary.resume()
    }
  })
})
