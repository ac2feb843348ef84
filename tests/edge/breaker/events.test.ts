/**
 * The breaker's webhook event `breaker.tripped` (docs/api.md, Events): written in the batch of the
 * trip and delivered, signed, to a real receiver, once per trip however many starts the block
 * refuses, and once when concurrent judges race for the same trip.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import { receiver } from '../events/receiver.js'
import { inPrefix, startTo, unverified } from './helpers.js'

let t: TestApp
let hook: Awaited<ReturnType<typeof receiver>>

beforeEach(async () => {
  t = await testApp()
  hook = await receiver()
  const r = await t.admin('POST', '/v1/admin/event-endpoints', {
    url: hook.url,
    types: ['breaker.tripped'],
  })
  expect(r.status, r.text).toBe(201)
  hook.secrets.push(r.body.secret)
})
afterEach(async () => {
  await hook.close()
  t.close()
})

const HOUR = 3_600_000

/** Every event delivered so far, verified with the endpoint's secret: type and data. */
async function delivered() {
  await t.api.deliverEvents()
  return hook.received.map((r) => {
    const e = r.verified[0]
    if (!e) throw new Error('a delivery did not verify')
    return { type: e.type, data: e.data }
  })
}

describe('breaker.tripped', () => {
  it('is delivered once per trip with its figures, not once per refused start', async () => {
    await unverified(t, 7100, 20)
    // The 20th send tripped it a second ago (each send of `unverified` moves the clock 1 s).
    const trippedAt = t.clock.now - 1000
    for (let i = 0; i < 5; i++)
      expectProblem(await startTo(t, inPrefix(7100, i)), 429, 'rate_limited')
    const got = await delivered()
    expect(got).toEqual([
      {
        type: 'breaker.tripped',
        data: {
          kind: 'prefix',
          scope: '+91987100',
          country: 'IN',
          sent: 20,
          verified: 0,
          conversion: 0,
          until: new Date(trippedAt + HOUR).toISOString(),
          trips: 1,
        },
      },
    ])
    // Delivered means delivered: another run sends nothing again.
    expect(await delivered()).toHaveLength(1)
  })

  it('comes again on the next trip, with the doubled block and the trip count', async () => {
    await unverified(t, 7400, 20)
    t.clock.advance(HOUR)
    await unverified(t, 7400, 20)
    const trips = (await delivered()).map((e) => e.data)
    expect(trips.map((d) => d.trips)).toEqual([1, 2])
    const second = trips[1]!
    expect(Date.parse(String(second.until)) - (t.clock.now - 1000)).toBe(2 * HOUR)
  })

  it('names the country when enough of its prefixes trip', async () => {
    for (const block of [7500, 7501, 7502]) await unverified(t, block, 20)
    const got = (await delivered()).map((e) => e.data)
    expect(got.map((d) => `${d.kind} ${d.scope}`).sort()).toEqual([
      'country IN',
      'prefix +91987500',
      'prefix +91987501',
      'prefix +91987502',
    ])
    expect(got.find((d) => d.kind === 'country')).toMatchObject({
      country: 'IN',
      sent: 60,
      verified: 0,
      trips: 1,
    })
  })

  it('is written once when concurrent starts all find the prefix ready to trip', async () => {
    await unverified(t, 7600, 19)
    // Ten starts at once: each one's judge sees at least 20 sends at 0 %; one trip lands.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => startTo(t, inPrefix(7600, i))),
    )
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThan(0)
    const outbox = await t.db.execute(
      "SELECT count(*) AS n FROM event_outbox WHERE type = 'breaker.tripped'",
    )
    expect(Number(outbox.rows[0]!.n)).toBe(1)
    expect(await delivered()).toHaveLength(1)
  })

  it('is not sent while the breaker is off', async () => {
    expect((await t.admin('PATCH', '/v1/admin/settings', { breakerEnabled: false })).status).toBe(
      200,
    )
    await unverified(t, 7700, 25)
    expect(await delivered()).toEqual([])
  })
})
