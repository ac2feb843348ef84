/**
 * GET /v1/admin/stats (edge/stats/): the daily figures after real flows on the console provider,
 * grouped each way, refusals by limit, breaker trips, spend against the ledger, and retention.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_PRICES } from '../../../edge/spend/default-prices.js'
import { STATS_DAYS } from '../../../edge/maintenance/tasks.js'
import { lastCode, phoneNo, testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem, fromAddress } from '../../helpers/extra.js'
import { unverified, startTo } from '../breaker/helpers.js'
import { DAY, ledgerSum, rowOf, stats, today } from './helpers.js'

const SMS = DEFAULT_PRICES.IN!.sms
const VOICE = DEFAULT_PRICES.IN!.voice
const US = '+14155552671'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

/** One verification to `phoneNo(1)`: a start, an SMS resend and a voice resend, then its code. */
async function verifiedWithResends() {
  const phone = phoneNo(1)
  const v = await t.call('POST', '/v1/verifications', { purpose: 'register', phone })
  expect(v.status, v.text).toBe(201)
  t.clock.advance(31_000)
  expect((await t.call('POST', `/v1/verifications/${v.body.id}/resend`, {})).status).toBe(200)
  t.clock.advance(61_000)
  const voice = await t.call('POST', `/v1/verifications/${v.body.id}/resend`, { channel: 'voice' })
  expect(voice.status, voice.text).toBe(200)
  const code = await lastCode(t, phone)
  const ok = await t.call('POST', `/v1/verifications/${v.body.id}/check`, { code })
  expect(ok.status, ok.text).toBe(200)
}

describe('GET /v1/admin/stats', () => {
  it('counts starts, sends, deliveries, approvals and spend, per day, country, provider and channel', async () => {
    await verifiedWithResends()
    const other = await t.call('POST', '/v1/verifications', { purpose: 'register', phone: US })
    expect(other.status, other.text).toBe(201)

    const byDay = await stats(t)
    // The last 30 days, today last, every day present.
    expect(byDay.rows).toHaveLength(30)
    expect(byDay.rows.at(-1)!.key).toBe(today(t))
    expect(byDay.rows[0]!.key).toBe(new Date(t.clock.now - 29 * DAY).toISOString().slice(0, 10))
    expect(byDay.rows.slice(0, -1).every((r) => r.started === 0 && r.spend === 0)).toBe(true)
    const spend = await ledgerSum(t)
    expect(spend).toBeGreaterThan(2 * SMS + VOICE - 1)
    const figures = {
      started: 2,
      sent: 4,
      delivered: 4,
      undelivered: 0,
      failed: 0,
      verified: 1,
      conversion: 0.5,
      spend,
      refused: {},
      trips: { prefix: 0, country: 0 },
    }
    expect(byDay.rows.at(-1)).toEqual({ key: today(t), ...figures })
    expect(byDay.totals).toEqual(figures)
    expect(byDay.caps).toEqual({ daily: null, monthly: null })

    const byCountry = await stats(t, 'groupBy=country')
    expect(rowOf(byCountry.rows, 'IN')).toMatchObject({
      started: 1,
      sent: 3,
      verified: 1,
      conversion: 1,
      spend: 2 * SMS + VOICE,
    })
    expect(rowOf(byCountry.rows, 'US')).toMatchObject({ started: 1, sent: 1, verified: 0 })
    expect(byCountry.rows.map((r) => r.key)).toEqual(['IN', 'US'])

    const byProvider = await stats(t, 'groupBy=provider')
    expect(rowOf(byProvider.rows, 'console')).toMatchObject({ started: 2, sent: 4, verified: 1 })
    // Spend has no provider (the ledger is per send, priced per country and channel).
    expect(rowOf(byProvider.rows, null)).toMatchObject({ started: 0, spend })

    // Starts and approvals count under the first code's channel; each send under its own.
    const byChannel = await stats(t, 'groupBy=channel')
    expect(rowOf(byChannel.rows, 'sms')).toMatchObject({ started: 2, sent: 3, verified: 1 })
    expect(rowOf(byChannel.rows, 'voice')).toMatchObject({ started: 0, sent: 1, spend: VOICE })
  })

  it('counts an approval on the day its verification started, across midnight', async () => {
    t.clock.now = Date.parse('2026-11-23T23:59:50Z')
    const phone = phoneNo(2)
    const v = await t.call('POST', '/v1/verifications', { purpose: 'register', phone })
    t.clock.advance(20_000)
    const ok = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
      code: await lastCode(t, phone),
    })
    expect(ok.status, ok.text).toBe(200)
    const r = await stats(t, 'from=2026-11-23&to=2026-11-24')
    expect(r.rows.map((x) => [x.key, x.started, x.verified])).toEqual([
      ['2026-11-23', 1, 1],
      ['2026-11-24', 0, 0],
    ])
  })

  it('counts refusals by limit: the per-number limit, the breaker and the spend cap', async () => {
    const phone = phoneNo(3)
    for (let i = 0; i < 5; i++) {
      const r = await t.call(
        'POST',
        '/v1/verifications',
        { purpose: 'register', phone },
        fromAddress(i),
      )
      expect(r.status, r.text).toBe(201)
    }
    const sixth = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone },
      fromAddress(9),
    )
    expectProblem(sixth, 429, 'rate_limited')
    // The breaker: 20 unverified codes to one prefix trip it, and the next start there is refused.
    await unverified(t, 7300, 20)
    expect((await startTo(t, '+919873005555')).status).toBe(429)
    // The spend cap: nothing more today.
    const capped = await t.admin('PATCH', '/v1/admin/settings', { spendCapDaily: 1 })
    expect(capped.status, capped.text).toBe(200)
    expect((await startTo(t, phoneNo(4))).status).not.toBe(201)

    const r = await stats(t)
    expect(r.totals.refused).toEqual({ messages_per_number: 1, breaker: 1, spend_cap: 1 })
    expect(r.totals.trips).toEqual({ prefix: 1, country: 0 })
    expect(r.totals.started).toBe(25)
    expect(r.caps.daily).toBe(1)
    // Refusals have no country; a trip has its country.
    const byCountry = await stats(t, 'groupBy=country')
    expect(rowOf(byCountry.rows, null).refused).toEqual(r.totals.refused)
    expect(rowOf(byCountry.rows, 'IN').trips).toEqual({ prefix: 1, country: 0 })
  })

  it('keeps a year and a month of daily rows, then the maintenance job drops them', async () => {
    await verifiedWithResends()
    t.clock.advance((STATS_DAYS - 1) * DAY)
    await t.api.maintain()
    const from = new Date(t.clock.now - (STATS_DAYS - 1) * DAY).toISOString().slice(0, 10)
    expect((await stats(t, `from=${from}&to=${from}`)).totals.started).toBe(1)
    t.clock.advance(2 * DAY)
    const run = await t.api.maintain()
    expect(run.changed.stats_daily).toBeGreaterThan(0)
    const left = await t.db.execute('SELECT count(*) AS n FROM stats_daily')
    expect(Number(left.rows[0]!.n)).toBe(0)
  })
})
