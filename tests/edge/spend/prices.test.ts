/** /v1/admin/prices: the shipped price table, the admin's overrides, and the cost each send records. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_PRICES, FALLBACK } from '../../../edge/spend/default-prices.js'
import { testApp, type TestApp } from '../../helpers/app.js'
import { ledger, start } from './helpers.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

describe('GET/PUT/DELETE /v1/admin/prices', () => {
  it('lists the defaults with their source and date, the fallback first', async () => {
    const r = await t.admin('GET', '/v1/admin/prices')
    expect(r.status).toBe(200)
    expect(r.body.prices[0]).toMatchObject({ country: '*', sms: FALLBACK.sms, origin: 'default' })
    const india = r.body.prices.find((p: { country: string }) => p.country === 'IN')
    expect(india).toMatchObject({ sms: DEFAULT_PRICES.IN!.sms, voice: DEFAULT_PRICES.IN!.voice })
    expect(india.source).toMatch(/^https:\/\/www\.twilio\.com\//)
    expect(india.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('overrides a country, audits it, and goes back to the default on DELETE', async () => {
    const put = await t.admin('PUT', '/v1/admin/prices/IN', { sms: 1_000, voice: 2_500 })
    expect(put.status).toBe(200)
    expect(put.body.price).toMatchObject({
      country: 'IN',
      sms: 1_000,
      voice: 2_500,
      origin: 'override',
    })
    expect(await start(t, 1)).toBe(201)
    expect((await ledger(t)).map((r) => r.micros)).toEqual([1_000])
    const audit = await t.db.execute("SELECT detail FROM audit WHERE action = 'admin.price.set'")
    expect(JSON.parse(String(audit.rows[0]!.detail))).toEqual({
      country: 'IN',
      sms: 1_000,
      voice: 2_500,
    })
    expect((await t.admin('DELETE', '/v1/admin/prices/IN')).status).toBe(204)
    expect((await t.admin('DELETE', '/v1/admin/prices/IN')).status).toBe(404)
    expect(await start(t, 2)).toBe(201)
    expect((await ledger(t)).map((r) => r.micros)).toEqual([1_000, DEFAULT_PRICES.IN!.sms])
  })

  it('prices a country not listed at the fallback, and an override of the fallback', async () => {
    // Kenya is not in the shipped table.
    const ke = '+254712345678'
    expect(
      (await t.call('POST', '/v1/verifications', { purpose: 'register', phone: ke })).status,
    ).toBe(201)
    expect((await ledger(t))[0]).toMatchObject({ micros: FALLBACK.sms, country: 'KE' })
    expect((await t.admin('PUT', '/v1/admin/prices/%2A', { sms: 7, voice: 9 })).status).toBe(200)
    const again = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone: '+254712345679' },
      { 'x-forwarded-for': '203.0.113.8' },
    )
    expect(again.status).toBe(201)
    expect((await ledger(t))[1]).toMatchObject({ micros: 7, country: 'KE' })
  })

  it('refuses bad input with a problem and changes nothing', async () => {
    for (const [path, body] of [
      ['/v1/admin/prices/IN', { sms: -1, voice: 1 }],
      ['/v1/admin/prices/IN', { sms: 0.5, voice: 1 }],
      ['/v1/admin/prices/IN', { sms: 1 }],
      ['/v1/admin/prices/IN', { sms: 1, voice: 1, extra: 1 }],
      ['/v1/admin/prices/ZZ', { sms: 1, voice: 1 }],
      ['/v1/admin/prices/in', { sms: 1, voice: 1 }],
    ] as const) {
      const r = await t.admin('PUT', path, body)
      expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(400)
      expect(r.body.code).toBe('invalid_request')
    }
    const r = await t.admin('GET', '/v1/admin/prices')
    expect(r.body.prices.every((p: { origin: string }) => p.origin === 'default')).toBe(true)
    expect((await t.call('GET', '/v1/admin/prices')).status).toBe(401)
  })
})
