/**
 * The events of the features besides registration (events.test.ts): each written with its change
 * and delivered, signed, to a real receiver. TOTP on and off, a phone set by the admin, a phone
 * removed, an SMS sign-in's session.
 */
import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { receiver } from './receiver.js'

let t: TestApp
let hook: Awaited<ReturnType<typeof receiver>>

beforeAll(async () => {
  t = await testApp()
  hook = await receiver()
  const r = await t.admin('POST', '/v1/admin/event-endpoints', {
    url: hook.url,
    types: ['factor.enabled', 'factor.disabled', 'phone.changed', 'session.created'],
  })
  hook.secrets.push(r.body.secret)
})
afterAll(async () => {
  await hook.close()
  t.close()
})

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
const totp = (secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: t.clock.now,
  })

/** What the receiver got since `from`, verified: type and data. */
async function delivered(from: number) {
  await t.api.deliverEvents()
  return hook.received.slice(from).map((r) => {
    const e = r.verified[0]
    if (!e) throw new Error('a delivery did not verify')
    return { type: e.type, data: e.data }
  })
}

describe('feature events', () => {
  it('TOTP turned on and off: factor.enabled, factor.disabled', async () => {
    const { user, session } = await registerByPhone(t, phoneNo(1))
    await delivered(0)
    const from = hook.received.length
    const setup = await t.call('POST', '/v1/me/totp', undefined, auth(session.accessToken))
    const on = await t.call(
      'POST',
      '/v1/me/totp/verify',
      { code: totp(setup.body.secret) },
      auth(session.accessToken),
    )
    expect(on.status, on.text).toBe(200)
    // A wrong code changes nothing and sends nothing.
    await t.call('DELETE', '/v1/me/totp', { code: '000000' }, auth(session.accessToken))
    t.clock.advance(30_000)
    const off = await t.call(
      'DELETE',
      '/v1/me/totp',
      { code: totp(setup.body.secret) },
      auth(session.accessToken),
    )
    expect(off.status, off.text).toBe(200)
    // Both, once each; deliveries go out concurrently, so their order is not promised (nor is it
    // by Standard Webhooks).
    const got = await delivered(from)
    expect(got).toHaveLength(2)
    expect(got).toEqual(
      expect.arrayContaining([
        { type: 'factor.enabled', data: { userId: user.id, factor: 'totp' } },
        { type: 'factor.disabled', data: { userId: user.id, factor: 'totp' } },
      ]),
    )
  })

  it('the admin sets a phone: phone.changed with the number in E.164', async () => {
    const { user } = await registerByPhone(t, phoneNo(2))
    await delivered(0)
    const from = hook.received.length
    const next = phoneNo(3)
    const r = await t.admin('POST', `/v1/admin/users/${user.id}/phone`, {
      phone: next,
      verify: false,
    })
    expect(r.status, r.text).toBe(200)
    expect(await delivered(from)).toEqual([
      { type: 'phone.changed', data: { userId: user.id, phone: next } },
    ])
  })

  it('an SMS sign-in: session.created with its factors', async () => {
    const phone = phoneNo(4)
    const { user } = await registerByPhone(t, phone)
    await delivered(0)
    const from = hook.received.length
    const v = await t.call('POST', '/v1/verifications', { purpose: 'login', phone })
    const c = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
      code: await lastCode(t, phone),
    })
    expect(c.status, c.text).toBe(200)
    const got = await delivered(from)
    expect(got).toEqual([
      {
        type: 'session.created',
        data: { userId: user.id, sessionId: expect.stringMatching(/^ses_/), methods: ['sms'] },
      },
    ])
  })
})
