/**
 * SMS pumping and bombing (SECURITY.md T26–T30): what an attacker can make the site pay for is
 * bounded per number (5 messages per 10 min, every purpose and channel, silent logins included),
 * per destination prefix (10 numbers per hour that never verify) and per client address (30
 * starts per 10 min); refused sends reach no provider.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { phoneNo, type Res, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem } from '../../helpers/extra.js'
import {
  codeTo,
  freshAddress,
  messagesTo,
  productionApp,
  useProvider,
} from '../../helpers/production.js'

let fake: TwilioFake
let t: TestApp
beforeAll(async () => {
  fake = await startTwilio()
})
afterAll(() => fake.close())
afterEach(() => {
  fake.messages.length = 0
  fake.requests.length = 0
  t?.close()
})

async function site(allowed = ['IN', 'GB']) {
  t = await productionApp(allowed)
  await useProvider(t, 'twilio', fake.baseUrl, { voice: true })
}
const start = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.call('POST', '/v1/verifications', body, { ...freshAddress(), ...headers })
const resend = (id: string, channel: 'sms' | 'voice', headers: Record<string, string> = {}) =>
  t.call('POST', `/v1/verifications/${id}/resend`, { channel }, { ...freshAddress(), ...headers })
const inPrefix = (prefix: string, i: number) => `${prefix}${String(i).padStart(4, '0')}`

/** Runs `n` requests, `width` at a time. */
async function waves(n: number, width: number, one: (i: number) => Promise<Res>) {
  const out: Res[] = []
  for (let i = 0; i < n; i += width)
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, j) => one(i + j)))),
    )
  return out
}

describe('T26 messages per number', () => {
  it('T26 (our decision: 5 per 10 min) lets 5 of 20 mixed sends reach the provider, refuses the rest with 429 + Retry-After and no call, and sends again after 10 minutes', async () => {
    await site()
    const phone = phoneNo(1)
    const password = 'correct horse battery staple'
    const up = await t.call('POST', '/v1/users', { email: 'p@example.com', password, name: 'P' })
    const enrolled = await start({ purpose: 'enroll', phone }, bearer(up.body.session.accessToken))
    const code = codeTo(fake, phone)
    await t.call(
      'POST',
      `/v1/verifications/${enrolled.body.id}/check`,
      { code },
      bearer(up.body.session.accessToken),
    )
    t.clock.advance(10 * 60_000 + 1000)
    fake.requests.length = 0
    const first = t.clock.now
    const refreshed = await t.call('POST', '/v1/sessions/refresh', {
      refreshToken: up.body.session.refreshToken,
    })
    const auth = bearer(refreshed.body.session.accessToken)
    const mfaTicket = (
      await t.call('POST', '/v1/sessions', { email: 'p@example.com', password }, freshAddress())
    ).body.mfaTicket
    const ids: string[] = []
    const kinds: Record<string, (channel: 'sms' | 'voice') => Promise<Res>> = {
      register: (channel) => start({ purpose: 'register', phone, channel }),
      login: (channel) => start({ purpose: 'login', phone, channel }),
      mfa: (channel) => start({ purpose: 'mfa', mfaTicket, channel }),
      change_phone: (channel) => start({ purpose: 'change_phone', channel }, auth),
      reauth: (channel) => start({ purpose: 'reauth', channel }, auth),
      resend: (channel) => resend(ids[ids.length % 3]!, channel, auth),
    }
    const plan = [
      'register sms',
      'login voice',
      'mfa sms',
      'change_phone voice',
      'reauth sms',
      'resend voice',
      'register voice',
      'login sms',
      'mfa voice',
      'change_phone sms',
      'reauth voice',
      'resend sms',
      'register sms',
      'login sms',
      'mfa sms',
      'change_phone sms',
      'reauth sms',
      'resend voice',
      'register sms',
      'login voice',
    ]
    const results: Res[] = []
    for (const [i, step] of plan.entries()) {
      // Resends wait for their cooldown (30 s); all 20 fall within 10 minutes of the first.
      if (i === 5) t.clock.advance(31_000)
      const [kind, channel] = step.split(' ') as [string, 'sms' | 'voice']
      const before = fake.requests.length
      const r = await kinds[kind]!(channel)
      results.push(r)
      if (r.status === 201) ids.push(r.body.id)
      else {
        expectProblem(r, 429, 'rate_limited')
        expect(r.body.retryAfter).toBeLessThanOrEqual(600)
        expect(fake.requests.length, `${step}: no provider call`).toBe(before)
      }
    }
    expect(t.clock.now - first).toBeLessThan(10 * 60_000)
    expect(results.map((r) => r.status)).toEqual([...Array(5).fill(201), ...Array(15).fill(429)])
    expect(fake.requests).toHaveLength(5)
    expect(
      messagesTo(fake, phone)
        .slice(-5)
        .map((m) => m.channel),
    ).toEqual(['sms', 'voice', 'sms', 'voice', 'sms'])

    t.clock.now = first + 10 * 60_000 + 1
    expect((await kinds.register!('sms')).status).toBe(201)
    expect(fake.requests).toHaveLength(6)
  })

  it('T26 counts silent logins (a number without an account) alike: the 6th is refused', async () => {
    await site()
    const phone = phoneNo(2)
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await start({ purpose: 'login', phone })).status)
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429])
    expect(fake.requests).toHaveLength(0)
  })
})

describe('T27 T28 destination prefixes', () => {
  it('T27 refuses a prefix after 10 distinct numbers in the hour (500 starts from rotating addresses, 50 at a time); a verified number leaves the count', async () => {
    await site()
    const prefix = '+91981234'
    const results = await waves(500, 50, (i) =>
      start({ purpose: 'register', phone: inPrefix(prefix, i) }),
    )
    const ok = results.filter((r) => r.status === 201)
    expect(ok).toHaveLength(10)
    for (const r of results) if (r.status !== 201) expectProblem(r, 429, 'rate_limited')
    expect(fake.requests).toHaveLength(10)
    // A number already counted passes again (its own cap aside); a new one does not.
    const counted = inPrefix(prefix, results.indexOf(ok[0]!))
    expect((await start({ purpose: 'register', phone: counted })).status).toBe(201)
    expect((await start({ purpose: 'register', phone: inPrefix(prefix, 600) })).status).toBe(429)
    // Verifying one of them frees its place for another number.
    const approved = await t.call('POST', `/v1/verifications/${ok[1]!.body.id}/check`, {
      code: codeTo(fake, inPrefix(prefix, results.indexOf(ok[1]!))),
    })
    expect(approved.status, approved.text).toBe(200)
    expect((await start({ purpose: 'register', phone: inPrefix(prefix, 601) })).status).toBe(201)
    expect((await start({ purpose: 'register', phone: inPrefix(prefix, 602) })).status).toBe(429)
    t.clock.advance(3600_000 + 1000)
    expect((await start({ purpose: 'register', phone: inPrefix(prefix, 603) })).status).toBe(201)
  })

  it('T28 (our decision: deferred breaker) pauses a prefix whose codes are never verified after 10 numbers, while a prefix whose codes are verified keeps sending', async () => {
    await site()
    const [pumped, real] = ['+91981235', '+91981236']
    const statuses: Record<string, number[]> = { [pumped]: [], [real]: [] }
    for (let i = 0; i < 20; i++) {
      statuses[pumped]!.push(
        (await start({ purpose: 'register', phone: inPrefix(pumped, i) })).status,
      )
      const phone = inPrefix(real, i)
      const v = await start({ purpose: 'register', phone })
      statuses[real]!.push(v.status)
      const checked = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
        code: codeTo(fake, phone),
      })
      expect(checked.status).toBe(200)
    }
    expect(statuses[pumped]).toEqual([...Array(10).fill(201), ...Array(10).fill(429)])
    expect(statuses[real]).toEqual(Array(20).fill(201))
    const to = (p: string) => fake.messages.filter((m) => m.to.startsWith(p)).length
    expect([to(pumped), to(real)]).toEqual([10, 20])
  })
})

describe('T29 a flood', () => {
  it('T29 (our decision: no money budget yet) keeps provider calls within the per-address, per-number and per-prefix bounds for 2,040 starts from 1,001 addresses', async () => {
    await site()
    const prefixes = Array.from({ length: 10 }, (_, p) => `+9198124${p}`)
    // 1,000 addresses, 2 starts each, over 200 numbers (10 prefixes × 20); one address 40 more.
    const flood = await waves(2000, 50, (i) =>
      start(
        { purpose: 'register', phone: inPrefix(prefixes[i % 10]!, Math.floor(i / 10) % 20) },
        { 'x-forwarded-for': `172.16.${(i % 1000) >> 8}.${(i % 1000) & 255}` },
      ),
    )
    const heavy = await waves(40, 40, (i) =>
      start({ purpose: 'register', phone: phoneNo(100 + i) }, { 'x-forwarded-for': '192.0.2.1' }),
    )
    expect(heavy.filter((r) => r.status === 201)).toHaveLength(30)
    for (const r of [...flood, ...heavy])
      if (r.status !== 201) expectProblem(r, 429, 'rate_limited')
    const perNumber = new Map<string, number>()
    for (const m of fake.messages) perNumber.set(m.to, (perNumber.get(m.to) ?? 0) + 1)
    expect(Math.max(...perNumber.values())).toBeLessThanOrEqual(5)
    for (const p of prefixes) {
      const numbers = [...perNumber.keys()].filter((n) => n.startsWith(p))
      expect(numbers.length).toBeLessThanOrEqual(10)
    }
    const bound = 10 * 10 * 5 + 30
    expect(fake.requests.length).toBeLessThanOrEqual(bound)
    // And the bound is reached exactly: every admitted number got its 5, nothing more.
    expect(fake.requests.length).toBe(bound)
    expect(fake.requests.length).toBe(fake.messages.length)
    expect(flood.filter((r) => r.status === 201).length + 30).toBe(fake.requests.length)
  }, 120_000)
})

describe('T30 voice fallback abuse', () => {
  it('T30 refuses calls to premium, shared-cost, toll-free and unlisted-country numbers like SMS, with no provider call', async () => {
    await site(['IN', 'GB'])
    const cases: [string, string][] = [
      ['+449098790000', 'invalid_phone'], // GB premium rate
      ['+443001234567', 'invalid_phone'], // GB UAN
      ['+448001234567', 'invalid_phone'], // GB toll-free
      ['+25261234567', 'country_not_allowed'], // Somalia, not listed
      ['+19002000000', 'country_not_allowed'], // US premium, not listed
    ]
    for (const [phone, code] of cases)
      for (const channel of ['voice', 'sms'])
        for (const purpose of ['register', 'login']) {
          const r = await start({ purpose, phone, channel })
          expect(r.body.code, `${purpose} ${channel} ${phone}`).toBe(code)
        }
    expect(fake.requests).toHaveLength(0)
  })

  it('T30 counts voice resends in the same per-number cap, and voice starts in the prefix limit', async () => {
    await site()
    const phone = phoneNo(3)
    const a = await start({ purpose: 'register', phone, channel: 'sms' })
    const b = await start({ purpose: 'register', phone, channel: 'voice' })
    t.clock.advance(31_000)
    expect((await resend(a.body.id, 'voice')).status).toBe(200)
    expect((await resend(b.body.id, 'voice')).status).toBe(200)
    t.clock.advance(61_000)
    expect((await resend(a.body.id, 'voice')).status).toBe(200)
    const before = fake.requests.length
    const sixth = await resend(b.body.id, 'voice')
    expectProblem(sixth, 429, 'rate_limited')
    expect(fake.requests).toHaveLength(before)
    expect(messagesTo(fake, phone).map((m) => m.channel)).toEqual([
      'sms',
      'voice',
      'voice',
      'voice',
      'voice',
    ])

    const prefix = '+91981237'
    const calls = []
    for (let i = 0; i < 11; i++)
      calls.push(
        (await start({ purpose: 'register', phone: inPrefix(prefix, i), channel: 'voice' })).status,
      )
    expect(calls).toEqual([...Array(10).fill(201), 429])
  })
})
