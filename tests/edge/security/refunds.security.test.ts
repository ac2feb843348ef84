/**
 * A send that no provider took does not count (issue 12): the limits a failed start took (per
 * address, per number, per prefix) and the per-number message of a failed resend are given back,
 * so a retry after an outage works at once. What still counts: a number a provider refused, a send
 * with a timeout (outage.security.test.ts), and a login sent after the answer (enumeration).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Fake } from '../../fakes/server.js'
import { startSmstools } from '../../fakes/smstools.js'
import { startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { phoneNo, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import {
  freshAddress,
  messagesTo,
  productionApp,
  registerVia,
  useProvider,
} from '../../helpers/production.js'

let twilio: TwilioFake
let smstools: Fake
let t: TestApp
beforeAll(async () => {
  ;[twilio, smstools] = await Promise.all([startTwilio(), startSmstools()])
})
afterAll(async () => {
  await Promise.all([twilio.close(), smstools.close()])
})
afterEach(() => {
  for (const f of [twilio, smstools]) {
    f.setMode(null)
    f.messages.length = 0
    f.requests.length = 0
  }
  t?.close()
})

async function site() {
  t = await productionApp()
  await useProvider(t, 'twilio', twilio.baseUrl, { priority: 1 })
  await useProvider(t, 'smstools', smstools.baseUrl, { priority: 2 })
}

const ADDRESS = { 'x-forwarded-for': '198.51.100.78' }
const start = (phone: string, headers: Record<string, string> = freshAddress()) =>
  t.call('POST', '/v1/verifications', { purpose: 'register', phone }, headers)
const limitEvents = async () =>
  Number((await t.db.execute('SELECT count(*) AS n FROM rate_events')).rows[0]!.n)
const statuses = async () =>
  (await t.db.execute('SELECT status FROM messages ORDER BY rowid')).rows.map((r) => r.status)

describe('a send that did not go out does not count', () => {
  it('lets the very same number and address start again at once after an outage, five times, then the per-number cap holds', async () => {
    await site()
    twilio.setMode('server-error')
    smstools.setMode('rate-limit')
    const phone = phoneNo(9)
    for (let i = 0; i < 6; i++)
      expectProblem(await start(phone, ADDRESS), 503, 'provider_unavailable')
    expect(await limitEvents()).toBe(0)
    twilio.setMode(null)
    const after = []
    for (let i = 0; i < 6; i++) after.push((await start(phone, ADDRESS)).status)
    // Without the refund the per-number cap (5 per 10 min) would have refused all of these.
    expect(after).toEqual([201, 201, 201, 201, 201, 429])
    expect(messagesTo(twilio, phone)).toHaveLength(5)
  })

  it('gives back the address and prefix too: 31 failed starts from one address to 31 numbers of one prefix, then both limits are whole', async () => {
    await site()
    twilio.setMode('server-error')
    smstools.setMode('server-error')
    const prefix = '+91981235'
    const number = (i: number) => `${prefix}${String(i).padStart(4, '0')}`
    for (let i = 0; i < 31; i++) {
      expectProblem(await start(number(i), ADDRESS), 503, 'provider_unavailable')
    }
    expect(await limitEvents()).toBe(0)
    twilio.setMode(null)
    // 10 distinct numbers per prefix per hour, as if the outage had never been.
    const statuses = []
    for (let i = 100; i < 111; i++) statuses.push((await start(number(i), ADDRESS)).status)
    expect(statuses).toEqual([...Array<number>(10).fill(201), 429])
  })

  it('gives back the per-number message of a resend that no provider took', async () => {
    await site()
    const phone = phoneNo(10)
    const r = await start(phone)
    t.clock.advance(31_000)
    twilio.setMode('server-error')
    smstools.setMode('server-error')
    const resend = () => t.call('POST', `/v1/verifications/${r.body.id}/resend`, {})
    for (let i = 0; i < 5; i++) expectProblem(await resend(), 503, 'provider_unavailable')
    twilio.setMode(null)
    // 1 + 5 would be past the cap of 5: the failed resends did not count.
    const again = await resend()
    expect(again.status, again.text).toBe(200)
    expect(messagesTo(twilio, phone)).toHaveLength(2)
  })

  it('keeps counting a number a provider refused (invalid_phone): probing numbers stays bounded', async () => {
    await site()
    twilio.setMode('invalid-number')
    expectProblem(await start(phoneNo(11), ADDRESS), 400, 'invalid_phone')
    expect(await limitEvents()).toBe(3)
  })

  it('keeps counting a login whose code failed after the answer, like a login to a number without an account (enumeration)', async () => {
    await site()
    const member = phoneNo(12)
    await registerVia(t, twilio, member)
    t.clock.advance(10 * 60_000 + 1000)
    twilio.setMode('server-error')
    smstools.setMode('server-error')
    const logins = async (phone: string) => {
      const out = []
      for (let i = 0; i < 6; i++) {
        const r = await t.call(
          'POST',
          '/v1/verifications',
          { purpose: 'login', phone },
          freshAddress(),
        )
        out.push(r.status)
      }
      return out
    }
    const expected = [201, 201, 201, 201, 201, 429]
    expect(await logins(member)).toEqual(expected)
    expect(await logins(phoneNo(13))).toEqual(expected)
    expect((await statuses()).filter((x) => x === 'failed')).toHaveLength(5)
  })
})
