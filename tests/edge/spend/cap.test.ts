/**
 * The hard spend cap: each send records its estimated cost; past the daily or monthly cap a start
 * or resend is refused with 503 spend_cap_reached and Retry-After at the end of the UTC period,
 * nothing is sent, and the alert (event and audit row) is written once per period.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_PRICES } from '../../../edge/spend/default-prices.js'
import { lastCode, phoneNo, testApp, type TestApp } from '../../helpers/app.js'
import { count, ledger, start } from './helpers.js'

const SMS = DEFAULT_PRICES.IN!.sms
const VOICE = DEFAULT_PRICES.IN!.voice
let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const outbox = () => count(t, 'SELECT count(*) AS n FROM dev_outbox')
const alerts = () =>
  count(t, "SELECT count(*) AS n FROM event_outbox WHERE type = 'spend.cap_reached'")
const auditAlerts = () =>
  count(t, "SELECT count(*) AS n FROM audit WHERE action = 'spend.cap_reached'")
const caps = (body: Record<string, number | null>) => t.admin('PATCH', '/v1/admin/settings', body)

describe('the cost of each send', () => {
  it('records a start, a resend and a voice resend at their prices, and a test number at none', async () => {
    const r = await t.call('POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(1) })
    expect(r.status).toBe(201)
    t.clock.advance(31_000)
    expect((await t.call('POST', `/v1/verifications/${r.body.id}/resend`, {})).status).toBe(200)
    t.clock.advance(61_000)
    const voice = await t.call('POST', `/v1/verifications/${r.body.id}/resend`, {
      channel: 'voice',
    })
    expect(voice.status).toBe(200)
    expect(await ledger(t)).toEqual([
      { micros: SMS, channel: 'sms', country: 'IN', day: '2026-11-23', id: r.body.id },
      { micros: SMS, channel: 'sms', country: 'IN', day: '2026-11-23', id: r.body.id },
      { micros: VOICE, channel: 'voice', country: 'IN', day: '2026-11-23', id: r.body.id },
    ])
    const listed = await t.admin('POST', '/v1/admin/test-numbers', {
      phone: '+12015550123',
      code: '424242',
    })
    expect(listed.status).toBe(201)
    expect(
      (await t.call('POST', '/v1/verifications', { purpose: 'register', phone: '+12015550123' }))
        .status,
    ).toBe(201)
    expect(await ledger(t)).toHaveLength(3)
    const s = await t.admin('GET', '/v1/admin/spend')
    expect(s.body).toEqual({
      day: {
        period: '2026-11-23',
        spent: 2 * SMS + VOICE,
        cap: null,
        resetsAt: '2026-11-24T00:00:00.000Z',
      },
      month: {
        period: '2026-11',
        spent: 2 * SMS + VOICE,
        cap: null,
        resetsAt: '2026-12-01T00:00:00.000Z',
      },
      reached: false,
    })
  })
})

describe('the daily cap', () => {
  it('refuses past it with 503 and Retry-After at the next UTC day, sends nothing, alerts once', async () => {
    expect((await caps({ spendCapDaily: 2 * SMS + 1 })).status).toBe(200)
    expect(await start(t, 1)).toBe(201)
    expect(await start(t, 2)).toBe(201)
    const sent = await outbox()
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone: phoneNo(3) },
      { 'x-forwarded-for': '198.51.100.3' },
    )
    expect(r.status).toBe(503)
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/)
    expect(r.body.code).toBe('spend_cap_reached')
    // The test clock is at 12:00 UTC: twelve hours to the next day.
    expect(r.headers.get('retry-after')).toBe(String(12 * 3600))
    expect(r.body.retryAfter).toBe(12 * 3600)
    expect(await outbox()).toBe(sent)
    expect(await ledger(t)).toHaveLength(2)
    // A silent start (a login to a number with no account) answers alike; a resend is refused too.
    const login = await t.call('POST', '/v1/verifications', { purpose: 'login', phone: phoneNo(4) })
    expect(login.status).toBe(503)
    expect(login.body.code).toBe('spend_cap_reached')
    const first = (await t.db.execute('SELECT id FROM verifications ORDER BY rowid LIMIT 1'))
      .rows[0]!
    t.clock.advance(31_000)
    const resend = await t.call('POST', `/v1/verifications/${String(first.id)}/resend`, {})
    expect(resend.status).toBe(503)
    expect(resend.body.code).toBe('spend_cap_reached')
    expect(await ledger(t)).toHaveLength(2)
    expect(await alerts()).toBe(1)
    expect(await auditAlerts()).toBe(1)
    expect((await t.admin('GET', '/v1/admin/spend')).body.reached).toBe(false)
    // A cap the spend meets exactly is reached.
    await caps({ spendCapDaily: 2 * SMS })
    expect((await t.admin('GET', '/v1/admin/spend')).body.reached).toBe(true)
    // The next UTC day: sending resumes, and its own cap alerts once again.
    t.clock.advance(12 * 3600_000)
    expect(await start(t, 5)).toBe(201)
    expect(await start(t, 6)).toBe(201)
    expect(await start(t, 7)).toBe(503)
    expect(await alerts()).toBe(2)
    expect(await auditAlerts()).toBe(2)
  })

  it('lifts when the cap is set back to null (no cap)', async () => {
    expect((await caps({ spendCapDaily: SMS })).status).toBe(200)
    expect(await start(t, 1)).toBe(201)
    expect(await start(t, 2)).toBe(503)
    expect((await caps({ spendCapDaily: null })).status).toBe(200)
    expect(await start(t, 2)).toBe(201)
    expect(await lastCode(t, phoneNo(2))).toMatch(/^\d{6}$/)
  })
})

describe('the monthly cap', () => {
  it('refuses with Retry-After at the next UTC month', async () => {
    expect((await caps({ spendCapMonthly: SMS })).status).toBe(200)
    expect(await start(t, 1)).toBe(201)
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone: phoneNo(2) },
      { 'x-forwarded-for': '198.51.100.2' },
    )
    expect(r.status).toBe(503)
    // 2026-11-23T12:00Z to 2026-12-01T00:00Z.
    expect(r.body.retryAfter).toBe(7 * 86400 + 12 * 3600)
    expect((await t.admin('GET', '/v1/admin/spend')).body.month).toMatchObject({
      spent: SMS,
      cap: SMS,
    })
    t.clock.advance(7 * 86400_000 + 12 * 3600_000)
    expect(await start(t, 3)).toBe(201)
  })

  it('refuses caps out of range or not whole micro-units', async () => {
    for (const v of [-1, 1.5, 1e13, '5'])
      expect((await caps({ spendCapDaily: v as number })).status, String(v)).toBe(400)
    expect((await t.admin('GET', '/v1/admin/settings')).body.spendCapDaily).toBe(null)
  })
})
