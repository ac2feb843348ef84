import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import {
  bearer,
  check,
  expectProblem,
  outbox,
  signUp,
  start,
  wrongCode,
} from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const SETTINGS_KEYS = [
  'allowedCountries',
  'allowedOrigins',
  'breakerCooldownMinutes',
  'breakerCountryTrips',
  'breakerEnabled',
  'breakerMinSends',
  'breakerThresholdPercent',
  'breakerWindowMinutes',
  'challengeMode',
  'challengeProvider',
  'challengeSiteKey',
  'codeLength',
  'codeTtlSeconds',
  'defaultCountry',
  'lockAfterFailures',
  'maxAttempts',
  'messageTemplate',
  'messagesPerNumber',
  'numbersPerPrefix',
  'passwordLogin',
  'phoneLogin',
  'phoneRegistration',
  'resendCooldownSeconds',
  'signInsPerAddress',
  'signUpsPerAddress',
  'siteName',
  'spendCapDaily',
  'spendCapMonthly',
  'startsPerAddress',
]

describe('GET /v1/admin/settings', () => {
  it('returns every setting of API.md', async () => {
    const r = await t.admin('GET', '/v1/admin/settings')
    expect(r.status).toBe(200)
    expect(Object.keys(r.body).sort()).toEqual(SETTINGS_KEYS)
    expect(r.body).toMatchObject({ codeLength: 6, allowedCountries: null, allowedOrigins: [] })
  })

  it('answers unauthorized without the admin token or with another token; forbidden to a user', async () => {
    expectProblem(await t.call('GET', '/v1/admin/settings'), 401, 'unauthorized')
    expectProblem(
      await t.call('GET', '/v1/admin/settings', undefined, bearer('wrong-admin-token-0000')),
      401,
      'unauthorized',
    )
    const { session } = await signUp(t, 'user@example.com')
    expectProblem(
      await t.call('GET', '/v1/admin/settings', undefined, bearer(session.accessToken)),
      403,
      'forbidden',
    )
  })
})

describe('PATCH /v1/admin/settings', () => {
  it('changes settings, and /v1/config reflects them', async () => {
    const patch = {
      siteName: 'Shop',
      defaultCountry: 'IN',
      allowedCountries: ['IN', 'US'],
      codeLength: 8,
      resendCooldownSeconds: 45,
      phoneLogin: false,
      phoneRegistration: true,
      passwordLogin: false,
    }
    const r = await t.admin('PATCH', '/v1/admin/settings', patch)
    expect(r.status, r.text).toBe(200)
    expect(r.body).toMatchObject(patch)
    expect((await t.admin('GET', '/v1/admin/settings')).body).toMatchObject(patch)
    const c = await t.call('GET', '/v1/config')
    expect(c.body).toEqual({ ...patch, channels: ['sms', 'voice'], challenge: null })
  })

  it('applies codeLength, codeTtlSeconds and messageTemplate to new verifications', async () => {
    await t.admin('PATCH', '/v1/admin/settings', {
      codeLength: 4,
      codeTtlSeconds: 120,
      messageTemplate: 'Code for {site}: {code}',
      siteName: 'Shop',
    })
    const phone = phoneNo(1)
    const v = await start(t, { purpose: 'register', phone })
    expect(v.codeLength).toBe(4)
    expect(v.expiresAt).toBe(new Date(t.clock.now + 120_000).toISOString())
    const [m] = await outbox(t, phone)
    expect(m!.code).toMatch(/^\d{4}$/)
    expect(m!.body).toContain(`Code for Shop: ${m!.code}`)
  })

  it('refuses invalid values with invalid_request and errors naming the fields', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ codeLength: 3 }, 'codeLength'],
      [{ codeLength: 11 }, 'codeLength'],
      [{ codeLength: 6.5 }, 'codeLength'],
      [{ maxAttempts: 0 }, 'maxAttempts'],
      [{ resendCooldownSeconds: 'soon' }, 'resendCooldownSeconds'],
      [{ messageTemplate: 'no placeholder here' }, 'messageTemplate'],
      [{ allowedOrigins: ['https://shop.example.com/path'] }, 'allowedOrigins.0'],
      [{ defaultCountry: 'india' }, 'defaultCountry'],
      [{ siteName: '' }, 'siteName'],
      [{ phoneLogin: 'yes' }, 'phoneLogin'],
    ]
    for (const [patch, path] of cases) {
      const r = await t.admin('PATCH', '/v1/admin/settings', patch)
      expectProblem(r, 400, 'invalid_request')
      expect(
        r.body.errors.map((e: { path: string }) => e.path),
        JSON.stringify(patch),
      ).toContain(path)
    }
    const unknown = await t.admin('PATCH', '/v1/admin/settings', { smsPrice: 1 })
    expectProblem(unknown, 400, 'invalid_request')
    expect(unknown.body.errors.length).toBeGreaterThan(0)
    expect((await t.admin('GET', '/v1/admin/settings')).body).toMatchObject({
      codeLength: 6,
      maxAttempts: 5,
    })
  })

  it('refuses an unknown country code with invalid_request', async () => {
    for (const patch of [{ allowedCountries: ['IN', 'XX'] }, { defaultCountry: 'ZZ' }]) {
      const r = await t.admin('PATCH', '/v1/admin/settings', patch)
      expectProblem(r, 400, 'invalid_request')
      expect(r.body.errors.length).toBeGreaterThan(0)
    }
    expect((await t.call('GET', '/v1/config')).body.allowedCountries).toBeNull()
  })

  it('answers unauthorized without the admin token and changes nothing', async () => {
    expectProblem(
      await t.call('PATCH', '/v1/admin/settings', { siteName: 'Pwned' }),
      401,
      'unauthorized',
    )
    expect((await t.call('GET', '/v1/config')).body.siteName).not.toBe('Pwned')
  })
})

describe('GET /v1/admin/audit', () => {
  it('lists security events newest first', async () => {
    const phone = phoneNo(2)
    const v = await start(t, { purpose: 'register', phone })
    t.clock.advance(1_000)
    await check(t, v.id, wrongCode(await lastCode(t, phone)))
    t.clock.advance(1_000)
    await check(t, v.id, await lastCode(t, phone))
    t.clock.advance(1_000)
    await t.admin('PATCH', '/v1/admin/settings', { siteName: 'Audited' })
    const r = await t.admin('GET', '/v1/admin/audit')
    expect(r.status).toBe(200)
    const events = r.body.events as { id: number; at: string; action: string; outcome: string }[]
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'admin.settings:ok',
      'verification.check:approved',
      'verification.check:invalid_code',
      'verification.start:sent',
    ])
    for (let i = 1; i < events.length; i++) {
      expect(events[i - 1]!.id).toBeGreaterThan(events[i]!.id)
      expect(Date.parse(events[i - 1]!.at)).toBeGreaterThan(Date.parse(events[i]!.at))
    }
    expect(events[3]).toMatchObject({
      actor: 'public',
      phone: `+91•••••••${phone.slice(-3)}`,
      address: '203.0.113.7',
    })
  })

  it('honours limit and refuses a limit out of range', async () => {
    for (let i = 0; i < 3; i++) await start(t, { purpose: 'register', phone: phoneNo(10 + i) })
    const r = await t.admin('GET', '/v1/admin/audit?limit=2')
    expect(r.body.events).toHaveLength(2)
    expectProblem(await t.admin('GET', '/v1/admin/audit?limit=0'), 400, 'invalid_request')
    expectProblem(await t.admin('GET', '/v1/admin/audit?limit=lots'), 400, 'invalid_request')
  })

  it('never contains a code or a full phone number', async () => {
    const phones = [phoneNo(20), phoneNo(21)]
    await registerByPhone(t, phones[0]!)
    const v = await start(t, { purpose: 'login', phone: phones[0]! })
    await check(t, v.id, wrongCode(await lastCode(t, phones[0]!)))
    const w = await start(t, { purpose: 'register', phone: phones[1]!, channel: 'voice' })
    t.clock.advance(30_000)
    await t.call('POST', `/v1/verifications/${w.id}/resend`, {})
    const codes = (await outbox(t)).map((m) => m.code).filter((c): c is string => !!c)
    expect(codes.length).toBeGreaterThanOrEqual(4)
    const r = await t.admin('GET', '/v1/admin/audit?limit=1000')
    expect(r.body.events.length).toBeGreaterThanOrEqual(6)
    for (const code of codes) expect(r.text).not.toContain(code)
    for (const phone of phones) expect(r.text).not.toContain(phone.slice(3))
  })

  it('answers unauthorized without the admin token', async () => {
    expectProblem(await t.call('GET', '/v1/admin/audit'), 401, 'unauthorized')
  })
})
