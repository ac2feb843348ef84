/**
 * SMS pumping and bombing (SECURITY.md T26–T30): what an attacker can make the site pay for is
 * bounded per number (5 messages per 10 min, every purpose and channel, silent logins included),
 * per destination prefix (10 numbers per hour that never verify) and per client address (30
 * starts per 10 min), by the pumping breaker (a prefix, then a country, whose codes are not
 * entered is paused) and by the spend cap (what a day may cost at all); refused sends reach no
 * provider.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PRICES } from '../../../edge/spend/default-prices.js'
import { ERRORS } from '../../../shared/errors.js'
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

  it('T28 pauses the prefixes, then the country, whose codes are almost never verified (5 %), audits each trip with its figures, and leaves a country whose codes are verified sending', async () => {
    await site()
    const pumped = ['+91981250', '+91981251', '+91981252']
    // Per pumped prefix: 20 first codes to 10 numbers (2 each), 1 of them verified (5 %).
    for (const prefix of pumped)
      for (let k = 0; k < 20; k++) {
        const phone = inPrefix(prefix, k % 10)
        const r = await start({ purpose: 'register', phone })
        expect(r.status, `${phone}: ${r.text}`).toBe(201)
        if (k === 0) {
          const c = await t.call('POST', `/v1/verifications/${r.body.id}/check`, {
            code: codeTo(fake, phone),
          })
          expect(c.status, c.text).toBe(200)
        }
        t.clock.advance(1000)
      }
    // Legitimate traffic to GB, 9 in 10 verified, before and after the trips.
    const gb = async (i: number) => {
      const phone = `+44740012${String(i).padStart(4, '0')}`
      const r = await start({ purpose: 'register', phone })
      expect(r.status, `${phone}: ${r.text}`).toBe(201)
      if (i % 10 === 9) return
      const c = await t.call('POST', `/v1/verifications/${r.body.id}/check`, {
        code: codeTo(fake, phone),
      })
      expect(c.status, c.text).toBe(200)
    }
    for (let i = 0; i < 30; i++) await gb(i)
    const before = fake.requests.length
    // Each pumped prefix is paused; so is the rest of India, a prefix never used included.
    for (const phone of [...pumped.map((p) => inPrefix(p, 5000)), '+919812539999']) {
      const r = await start({ purpose: 'register', phone })
      expectProblem(r, 429, 'rate_limited')
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(3000)
    }
    expect(fake.requests).toHaveLength(before)
    for (let i = 30; i < 60; i++) await gb(i)
    expect(fake.messages.filter((m) => m.to.startsWith('+44'))).toHaveLength(60)
    // The operator's record: one trip per prefix with its conversion, then the country's.
    const audit = await t.admin('GET', '/v1/admin/audit?limit=100&action=breaker.tripped')
    const trips = (audit.body.events as { detail: Record<string, unknown> }[]).map((e) => e.detail)
    expect(trips.filter((d) => d.kind === 'prefix').map((d) => d.prefix)).toEqual(
      expect.arrayContaining(pumped),
    )
    for (const d of trips.filter((x) => x.kind === 'prefix'))
      expect(d).toMatchObject({ country: 'IN', sent: 20, verified: 1, conversion: 0.05 })
    expect(trips.filter((d) => d.kind === 'country')).toEqual([
      expect.objectContaining({ country: 'IN', sent: 60, verified: 3 }),
    ])
    const listed = await t.admin('GET', '/v1/admin/breaker')
    expect(
      (listed.body.entries as { scope: string; blocked: boolean }[])
        .filter((e) => e.blocked)
        .map((e) => e.scope)
        .sort(),
    ).toEqual(['IN', ...pumped].sort())
  })
})

describe('T29 a flood against the spending cap', () => {
  it('T29 never lets the recorded daily spend pass the cap under 2,000 starts from 1,000 addresses, refuses the rest with the generic 503 and no provider call, alerts once, and sends again the next UTC day', async () => {
    const price = DEFAULT_PRICES.IN!.sms
    // Room for 40 sends, one micro-unit short of the 41st. The breaker is off: the cap alone bounds the bill.
    const cap = 41 * price - 1
    await site()
    const set = await t.admin('PATCH', '/v1/admin/settings', {
      spendCapDaily: cap,
      breakerEnabled: false,
    })
    expect(set.status, set.text).toBe(200)
    const prefixes = Array.from({ length: 10 }, (_, p) => `+9198124${p}`)
    const flood = await waves(2000, 50, (i) =>
      start(
        { purpose: 'register', phone: inPrefix(prefixes[i % 10]!, Math.floor(i / 10) % 20) },
        { 'x-forwarded-for': `172.16.${(i % 1000) >> 8}.${(i % 1000) & 255}` },
      ),
    )
    const sent = flood.filter((r) => r.status === 201)
    const capped = flood.filter((r) => r.status === 503)
    expect(sent).toHaveLength(40)
    expect(fake.requests).toHaveLength(40)
    expect(capped.length).toBeGreaterThan(1000)
    for (const r of capped) {
      expectProblem(r, 503, 'spend_cap_reached')
      // Generic: the same title for everyone, no cap or spend figure in the answer.
      expect(r.body.title).toBe(ERRORS.spend_cap_reached.title)
      expect(r.text).not.toContain(String(cap))
      expect(Number(r.headers.get('retry-after'))).toBe(12 * 3600)
    }
    for (const r of flood)
      if (r.status !== 201 && r.status !== 503) expectProblem(r, 429, 'rate_limited')
    const spend = await t.admin('GET', '/v1/admin/spend')
    expect(spend.body.day.spent).toBe(40 * price)
    expect(spend.body.day.spent).toBeLessThanOrEqual(cap)
    const alerts = await t.admin('GET', '/v1/admin/audit?limit=100&action=spend.cap_reached')
    expect(alerts.body.events).toHaveLength(1)
    expect(alerts.body.events[0].detail).toMatchObject({ cap: 'daily' })
    // The next UTC day (the test clock starts at noon) has its own budget.
    t.clock.advance(12 * 3600_000)
    const next = await start({ purpose: 'register', phone: inPrefix(prefixes[0]!, 50) })
    expect(next.status, next.text).toBe(201)
    expect(fake.requests).toHaveLength(41)
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
