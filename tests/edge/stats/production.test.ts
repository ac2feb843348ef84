/**
 * The Activity figures in production mode, with Twilio (a local fake): deliveries and failures as
 * the receipts tell them, a send no provider took (its spend given back), per provider.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { phoneNo, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import { freshAddress, productionApp, registerVia, useProvider } from '../../helpers/production.js'
import { ledgerSum, rowOf, stats } from './helpers.js'

let twilio: TwilioFake
let t: TestApp
beforeAll(async () => {
  twilio = await startTwilio()
})
afterAll(async () => {
  await twilio.close()
})
beforeEach(async () => {
  t = await productionApp()
  await useProvider(t, 'twilio', twilio.baseUrl)
})
afterEach(() => {
  twilio.setMode(null)
  t.close()
})

/** Posts Twilio's status callback for a message it accepted, as Twilio would. */
async function receipt(sid: string, status: string) {
  const req = twilio.callback(sid, status)
  const body = await req.text()
  const headers = new Headers(req.headers)
  headers.set('content-length', String(Buffer.byteLength(body)))
  const r = await t.api.fetch(new Request(req.url, { method: 'POST', headers, body }))
  expect(r.status).toBe(200)
}

describe('the figures of a real provider', () => {
  it('counts sends by provider, and deliveries as the receipts say, once each', async () => {
    const before = twilio.messages.length
    await registerVia(t, twilio, phoneNo(20))
    const start = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone: phoneNo(21) },
      freshAddress(),
    )
    expect(start.status, start.text).toBe(201)
    const [first, second] = twilio.messages.slice(before)
    await receipt(first!.id, 'delivered')
    // A receipt again, or a late "sent", moves nothing.
    await receipt(first!.id, 'delivered')
    await receipt(first!.id, 'sent')
    await receipt(second!.id, 'undelivered')

    const r = await stats(t, 'groupBy=provider')
    expect(r.rows.map((x) => x.key)).toEqual(['twilio', null])
    expect(rowOf(r.rows, 'twilio')).toMatchObject({
      started: 2,
      sent: 2,
      delivered: 1,
      undelivered: 1,
      failed: 0,
      verified: 1,
      conversion: 0.5,
    })
    expect(r.totals.spend).toBe(await ledgerSum(t))
  })

  it('counts a send no provider took as failed, and gives its spend back', async () => {
    twilio.setMode('server-error')
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone: phoneNo(22) },
      freshAddress(),
    )
    expectProblem(r, 503, 'provider_unavailable')
    const figures = (await stats(t)).totals
    expect(figures).toMatchObject({ started: 1, sent: 0, failed: 1, verified: 0, spend: 0 })
    expect(await ledgerSum(t)).toBe(0)
    const byProvider = await stats(t, 'groupBy=provider')
    expect(rowOf(byProvider.rows, 'twilio')).toMatchObject({ started: 1, failed: 1 })
  })
})
