/**
 * Tuned limits across two real server processes on one sqld: a stricter setting saved through one
 * instance bounds what both let through at once, since every limit reads the settings row (the
 * guessing budget inside its own statement) and none is per instance (docs/security.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { twoInstancesOnSqld, type Cluster } from '../helpers/cluster.js'
import { request, type Server } from '../helpers/server.js'

let cluster: Cluster | undefined
let a: Server
let b: Server
const ADMIN = 'cluster-limits-admin-token-0123456789'

beforeAll(async () => {
  cluster = await twoInstancesOnSqld(ADMIN, 'c'.repeat(64))
  ;({ a, b } = cluster)
}, 90_000)

afterAll(() => cluster?.close())

let ip = 0
/** Each request from its own address, so the per-address limits stay out of the way. */
const call = (s: Server, method: string, path: string, body?: unknown, headers = {}) =>
  request(s, method, path, body, {
    'x-forwarded-for': `10.9.${++ip % 250}.${ip % 199}`,
    ...headers,
  })
const admin = { authorization: `Bearer ${ADMIN}` }
const either = (i: number) => (i % 2 ? a : b)

describe('tuned limits across two instances', () => {
  it('lockAfterFailures set on A: 30 parallel wrong passwords over both evaluate at most 5', async () => {
    const email = 'tuned-cluster@example.com'
    const made = await call(a, 'POST', '/v1/users', {
      email,
      password: 'a long enough one',
      name: 'C',
    })
    expect(made.status).toBe(201)
    expect(
      (await call(a, 'PATCH', '/v1/admin/settings', { lockAfterFailures: 5 }, admin)).status,
    ).toBe(200)
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(either(i), 'POST', '/v1/sessions', { email, password: `wrong password ${i}` }),
      ),
    )
    expect(results.every((r) => r.status === 401)).toBe(true)
    const audit = await call(
      b,
      'GET',
      '/v1/admin/audit?limit=500&action=signin.password',
      undefined,
      admin,
    )
    const events = audit.body.events as { userId: string | null; outcome: string }[]
    const counted = events.filter(
      (e) =>
        e.userId === made.body.user.id && ['invalid_credentials', 'locked'].includes(e.outcome),
    ).length
    console.log(
      `lockAfterFailures 5 on two instances: 30 parallel wrong passwords, ${counted} evaluated`,
    )
    expect(counted).toBeGreaterThan(0)
    expect(counted).toBeLessThanOrEqual(5)
    const user = await call(b, 'GET', `/v1/admin/users/${made.body.user.id}`, undefined, admin)
    expect(user.body.user.lockedUntil).toEqual(expect.any(String))
  }, 60_000)

  it('messagesPerNumber set on B: 12 parallel starts to one number over both send exactly 2', async () => {
    expect(
      (await call(b, 'PATCH', '/v1/admin/settings', { messagesPerNumber: 2 }, admin)).status,
    ).toBe(200)
    const phone = '+919833300001'
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(either(i), 'POST', '/v1/verifications', { purpose: 'register', phone }),
      ),
    )
    expect(results.filter((r) => r.status === 201)).toHaveLength(2)
    expect(results.filter((r) => r.status === 429)).toHaveLength(10)
    const outbox = await call(a, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
    expect(outbox.body.messages).toHaveLength(2)
  }, 60_000)
})
