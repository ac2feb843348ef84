/**
 * The WebOTP line of a code SMS (`@host #code`, edge/messages/text.ts) names the host of the page
 * that started the verification when its Origin is listed in allowedOrigins, and the public URL's
 * host otherwise; the choice is kept on the row, so a resend from anywhere names the same host.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PUBLIC_URL, phoneNo, testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem, outbox } from '../../helpers/extra.js'
import { TEXTS } from '../../../edge/messages/text.js'
import { LOCALES } from '../../../shared/locales.js'

const SHOP = 'https://shop.example'
const OTHER = 'https://other.example'
const SITE = 'sms-auth demo'
const PUBLIC_HOST = new URL(PUBLIC_URL).hostname

let t: TestApp
beforeEach(async () => {
  t = await testApp()
  const r = await t.admin('PATCH', '/v1/admin/settings', { allowedOrigins: [SHOP, OTHER] })
  expect(r.status, r.text).toBe(200)
})
afterEach(() => t.close())

const from = (origin?: string): Record<string, string> => (origin ? { origin } : {})

async function startFrom(phone: string, origin?: string, extra: Record<string, unknown> = {}) {
  const r = await t.call(
    'POST',
    '/v1/verifications',
    { purpose: 'register', phone, ...extra },
    from(origin),
  )
  expect(r.status, r.text).toBe(201)
  return r.body as { id: string }
}

/** The newest message to `phone` (the outbox lists newest first). */
async function latest(phone: string) {
  const [m] = await outbox(t, phone)
  expect(m, `no message to ${phone}`).toBeDefined()
  return m!
}

async function storedHost(id: string) {
  const r = await t.db.execute({
    sql: 'SELECT webotp_host FROM verifications WHERE id = ?',
    args: [id],
  })
  return r.rows[0]?.webotp_host
}

describe('the WebOTP line names the page that asked', () => {
  it('a script-tag page on an allowed origin: the SMS is exactly the text, then @shop.example #code', async () => {
    const phone = phoneNo(101)
    const v = await startFrom(phone, SHOP)
    const m = await latest(phone)
    expect(m.body).toBe(`${m.code} is your ${SITE} code.\n@shop.example #${m.code}`)
    expect(await storedHost(v.id)).toBe('shop.example')
  })

  it('the same in every locale: only the last line names the page, the first is unchanged', async () => {
    for (const [i, locale] of LOCALES.entries()) {
      const phone = phoneNo(110 + i)
      await startFrom(phone, SHOP, { locale })
      const m = await latest(phone)
      const first = TEXTS[locale].code.replaceAll('{code}', m.code!).replaceAll('{site}', SITE)
      expect(m.body, locale).toBe(`${first}\n@shop.example #${m.code}`)
    }
  })

  it('no Origin (a server calling): the public URL host, nothing stored', async () => {
    const phone = phoneNo(102)
    const v = await startFrom(phone)
    const m = await latest(phone)
    expect(m.body).toBe(`${m.code} is your ${SITE} code.\n@${PUBLIC_HOST} #${m.code}`)
    expect(await storedHost(v.id)).toBeNull()
  })

  it("the API's own origin: the public URL host", async () => {
    const phone = phoneNo(103)
    await startFrom(phone, new URL(PUBLIC_URL).origin)
    const m = await latest(phone)
    expect(m.body.split('\n').at(-1)).toBe(`@${PUBLIC_HOST} #${m.code}`)
  })

  it('a login (sent after the answer) names the page too', async () => {
    const phone = phoneNo(104)
    const v = await startFrom(phone)
    const code = (await latest(phone)).code
    const checked = await t.call('POST', `/v1/verifications/${v.id}/check`, { code })
    const u = await t.call('POST', '/v1/users', {
      registrationTicket: checked.body.registrationTicket,
      name: 'Asha',
      email: 'asha@example.com',
    })
    expect(u.status, u.text).toBe(201)
    const login = await t.call('POST', '/v1/verifications', { purpose: 'login', phone }, from(SHOP))
    expect(login.status, login.text).toBe(201)
    const m = await latest(phone)
    expect(m.code).not.toBe(code)
    expect(m.body.split('\n').at(-1)).toBe(`@shop.example #${m.code}`)
  })
})

describe('origins that must not be named', () => {
  it('an origin not allowed is refused (403 origin_not_allowed) before anything is sent or stored', async () => {
    const phone = phoneNo(120)
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone },
      from('https://evil.example'),
    )
    expectProblem(r, 403, 'origin_not_allowed')
    expect(await outbox(t, phone)).toEqual([])
    const rows = await t.db.execute('SELECT count(*) AS n FROM verifications')
    expect(Number(rows.rows[0]!.n)).toBe(0)
  })

  it('an origin let in only by a wildcard entry gets the public URL host: no page under the domain has the code offered on its own host', async () => {
    const set = await t.admin('PATCH', '/v1/admin/settings', {
      allowedOrigins: ['https://*.shop.example'],
    })
    expect(set.status, set.text).toBe(200)
    const phone = phoneNo(121)
    const v = await startFrom(phone, 'https://evil.shop.example')
    const m = await latest(phone)
    expect(m.body.split('\n').at(-1)).toBe(`@${PUBLIC_HOST} #${m.code}`)
    expect(m.body).not.toContain('evil.shop.example')
    expect(await storedHost(v.id)).toBeNull()
  })

  it('an origin removed from allowedOrigins after the start still names the host chosen then', async () => {
    const phone = phoneNo(122)
    const v = await startFrom(phone, SHOP)
    await t.admin('PATCH', '/v1/admin/settings', { allowedOrigins: [OTHER] })
    t.clock.advance(31_000)
    const r = await t.call('POST', `/v1/verifications/${v.id}/resend`, {}, from(OTHER))
    expect(r.status, r.text).toBe(200)
    const m = await latest(phone)
    expect(m.body.split('\n').at(-1)).toBe(`@shop.example #${m.code}`)
  })
})

describe('resends and calls', () => {
  it('a resend keeps the host, from another allowed origin or with none', async () => {
    const phone = phoneNo(130)
    const v = await startFrom(phone, SHOP)
    const first = await latest(phone)
    t.clock.advance(31_000)
    const a = await t.call('POST', `/v1/verifications/${v.id}/resend`, {}, from(OTHER))
    expect(a.status, a.text).toBe(200)
    t.clock.advance(61_000)
    const b = await t.call('POST', `/v1/verifications/${v.id}/resend`, {})
    expect(b.status, b.text).toBe(200)
    const sent = await outbox(t, phone)
    expect(sent).toHaveLength(3)
    for (const m of sent) expect(m.body).toBe(first.body)
    expect(first.body.split('\n').at(-1)).toBe(`@shop.example #${first.code}`)
    expect(await storedHost(v.id)).toBe('shop.example')
  })

  it('a verification stored without a host (before migration 6) resends with the public URL host', async () => {
    const phone = phoneNo(131)
    const v = await startFrom(phone, SHOP)
    await t.db.execute({
      sql: 'UPDATE verifications SET webotp_host = NULL WHERE id = ?',
      args: [v.id],
    })
    t.clock.advance(31_000)
    const r = await t.call('POST', `/v1/verifications/${v.id}/resend`, {}, from(SHOP))
    expect(r.status, r.text).toBe(200)
    const m = await latest(phone)
    expect(m.body.split('\n').at(-1)).toBe(`@${PUBLIC_HOST} #${m.code}`)
  })

  it('a voice call has no WebOTP line; an SMS resend of it names the page', async () => {
    const phone = phoneNo(132)
    const v = await startFrom(phone, SHOP, { channel: 'voice' })
    const call = await latest(phone)
    expect(call.channel).toBe('voice')
    expect(call.body).not.toContain('@')
    expect(call.body).not.toContain('#')
    expect(call.body).not.toContain('shop.example')
    expect(call.body).toBe(TEXTS.en.voice(SITE, call.code!.split('').join(', ')))
    t.clock.advance(31_000)
    const r = await t.call('POST', `/v1/verifications/${v.id}/resend`, { channel: 'sms' })
    expect(r.status, r.text).toBe(200)
    const sms = await latest(phone)
    expect(sms.channel).toBe('sms')
    expect(sms.body).toBe(`${call.code} is your ${SITE} code.\n@shop.example #${call.code}`)
  })

  it('a voice resend of an SMS verification has no WebOTP line either', async () => {
    const phone = phoneNo(133)
    const v = await startFrom(phone, SHOP)
    t.clock.advance(31_000)
    const r = await t.call('POST', `/v1/verifications/${v.id}/resend`, { channel: 'voice' })
    expect(r.status, r.text).toBe(200)
    const call = await latest(phone)
    expect(call.channel).toBe('voice')
    expect(call.body).not.toMatch(/[@#]/)
  })
})
