/**
 * The spend cap across instances: two real server processes on one sqld, 50 concurrent starts
 * split over both with the daily cap set so that only K of them fit. Exactly K are sent, the rest
 * answer 503 spend_cap_reached, and the recorded spend never passes the cap, to the micro-unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PRICES } from '../../../edge/spend/default-prices.js'
import { phoneNo } from '../../helpers/app.js'
import { request, startServer, type Server } from '../../helpers/server.js'
import { startSqld, type Sqld } from '../../helpers/sqld.js'

let sqld: Sqld
let a: Server
let b: Server
const ADMIN = 'spend-cluster-admin-token-0123456789'
const env = () => ({
  DATABASE_URL: sqld.url,
  SMS_AUTH_SECRET: 'd'.repeat(64),
  SMS_AUTH_ADMIN_TOKEN: ADMIN,
  SMS_AUTH_PUBLIC_URL: 'http://auth.test',
  SMS_AUTH_TRUST_PROXY: '1',
})
const admin = { authorization: `Bearer ${ADMIN}` }

beforeAll(async () => {
  sqld = await startSqld()
  a = await startServer({ runtime: 'node', env: env() })
  b = await startServer({ runtime: 'node', env: env() })
}, 90_000)

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()])
  await sqld?.close()
})

const SMS = DEFAULT_PRICES.IN!.sms
const N = 50
const K = 17

describe('the spend cap on two instances of one sqld', () => {
  it(`lets exactly ${K} of ${N} concurrent starts through a cap that fits ${K}`, async () => {
    // One micro-unit short of K + 1 sends.
    const cap = (K + 1) * SMS - 1
    const set = await request(a, 'PATCH', '/v1/admin/settings', { spendCapDaily: cap }, admin)
    expect(set.status).toBe(200)
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        request(
          i % 2 ? a : b,
          'POST',
          '/v1/verifications',
          { purpose: 'register', phone: phoneNo(500 + i) },
          { 'x-forwarded-for': `10.44.${i}.1` },
        ),
      ),
    )
    const statuses = results.map((r) => r.status)
    const sent = statuses.filter((s) => s === 201).length
    const capped = results.filter((r) => r.status === 503 && r.body.code === 'spend_cap_reached')
    const spend = await request(b, 'GET', '/v1/admin/spend', undefined, admin)
    const outbox = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        request(a, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(phoneNo(500 + i))}`),
      ),
    )
    const delivered = outbox.filter((r) => r.body.messages.length > 0).length
    console.log(
      `spend cap on two instances: ${N} starts, cap ${cap} micro-USD (${K} × ${SMS} fit), ` +
        `${sent} sent, ${capped.length} refused spend_cap_reached, ${delivered} in the outbox, ` +
        `recorded ${spend.body.day.spent} micro-USD`,
    )
    expect(sent).toBe(K)
    expect(capped).toHaveLength(N - K)
    expect(capped.every((r) => Number(r.headers.get('retry-after')) >= 1)).toBe(true)
    expect(spend.body.day.spent).toBe(K * SMS)
    expect(spend.body.day.spent).toBeLessThanOrEqual(cap)
    expect(delivered).toBe(K)
    expect(spend.body.reached).toBe(false)
  }, 60_000)
})
