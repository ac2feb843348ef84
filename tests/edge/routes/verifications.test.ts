import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import {
  bearer,
  check,
  enroll,
  expectProblem,
  fromAddress,
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

const MASKED = /^\+91•{7}\d{3}$/
const iso = (ms: number) => new Date(ms).toISOString()

describe('POST /v1/verifications', () => {
  it('starts a register verification: 201 with the documented shape and a masked number', async () => {
    const phone = phoneNo(1)
    const r = await t.call('POST', '/v1/verifications', { purpose: 'register', phone })
    expect(r.status).toBe(201)
    expect(r.body).toEqual({
      id: expect.stringMatching(/^ver_/),
      purpose: 'register',
      channel: 'sms',
      to: `+91•••••••${phone.slice(-3)}`,
      codeLength: 6,
      expiresAt: iso(t.clock.now + 600_000),
      resendAt: iso(t.clock.now + 30_000),
      attemptsLeft: 5,
    })
    expect(r.text).not.toContain(phone.slice(3))
    const sent = await outbox(t, phone)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      to: phone,
      channel: 'sms',
      code: expect.stringMatching(/^\d{6}$/),
    })
  })

  it('accepts a human-formatted number with a default country and normalises it', async () => {
    const v = await start(t, { purpose: 'register', phone: '098765 43210', country: 'IN' })
    expect(v.to).toBe('+91•••••••210')
    expect(await lastCode(t, '+919876543210')).toMatch(/^\d{6}$/)
  })

  it('starts a login verification for an existing account and sends the code', async () => {
    const phone = phoneNo(2)
    await registerByPhone(t, phone)
    const v = await start(t, { purpose: 'login', phone })
    expect(v).toMatchObject({ purpose: 'login', channel: 'sms', to: expect.stringMatching(MASKED) })
    expect(await outbox(t, phone)).toHaveLength(2)
  })

  it('answers a login for a number without an account with the same 201 and sends nothing', async () => {
    const known = phoneNo(3)
    const unknown = phoneNo(4)
    await registerByPhone(t, known)
    const a = await start(t, { purpose: 'login', phone: known })
    const b = await start(t, { purpose: 'login', phone: unknown })
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort())
    expect({ ...b, id: '', to: '' }).toEqual({ ...a, id: '', to: '' })
    expect(b.to).toMatch(MASKED)
    expect(await outbox(t, unknown)).toEqual([])
  })

  it('sends by voice when asked', async () => {
    const phone = phoneNo(5)
    const v = await start(t, { purpose: 'register', phone, channel: 'voice' })
    expect(v.channel).toBe('voice')
    expect((await outbox(t, phone))[0]!.channel).toBe('voice')
  })

  it('starts an mfa verification from an mfa ticket, to the account phone', async () => {
    const phone = phoneNo(6)
    const { session } = await signUp(t, 'mfa-start@example.com', 'a long passphrase 1')
    await enroll(t, session.accessToken, phone)
    const s = await t.call('POST', '/v1/sessions', {
      email: 'mfa-start@example.com',
      password: 'a long passphrase 1',
    })
    const v = await start(t, { purpose: 'mfa', mfaTicket: s.body.mfaTicket })
    expect(v).toMatchObject({ purpose: 'mfa', to: `+91•••••••${phone.slice(-3)}` })
    expect(await outbox(t, phone)).toHaveLength(2)
  })

  it('starts an enroll verification with a Bearer token', async () => {
    const phone = phoneNo(7)
    const { session } = await signUp(t, 'enroll@example.com')
    const v = await start(t, { purpose: 'enroll', phone }, bearer(session.accessToken))
    expect(v).toMatchObject({ purpose: 'enroll', to: `+91•••••••${phone.slice(-3)}` })
    expect(await outbox(t, phone)).toHaveLength(1)
  })

  it('starts a change_phone verification to the current phone', async () => {
    const phone = phoneNo(8)
    const { session } = await registerByPhone(t, phone)
    const v = await start(t, { purpose: 'change_phone' }, bearer(session.accessToken))
    expect(v).toMatchObject({ purpose: 'change_phone', to: `+91•••••••${phone.slice(-3)}` })
    expect(await outbox(t, phone)).toHaveLength(2)
  })

  it('refuses a body that fails validation with invalid_request and errors', async () => {
    for (const body of [
      {},
      { purpose: 'steal', phone: phoneNo(9) },
      { purpose: 'login', phone: phoneNo(9), channel: 'fax' },
      { purpose: 'login', phone: phoneNo(9), extra: 1 },
      { purpose: 'login' },
      { purpose: 'mfa' },
    ]) {
      const r = await t.call('POST', '/v1/verifications', body)
      expectProblem(r, 400, 'invalid_request')
      expect(r.body.errors.length).toBeGreaterThan(0)
      expect(r.body.errors[0]).toEqual({ path: expect.any(String), message: expect.any(String) })
    }
  })

  it('refuses a number that is not valid with invalid_phone', async () => {
    for (const phone of ['12345', '+91 12', 'not a number', '+999 123 456 789']) {
      expectProblem(
        await t.call('POST', '/v1/verifications', { purpose: 'register', phone }),
        400,
        'invalid_phone',
      )
    }
    expect(await outbox(t)).toEqual([])
  })

  it('refuses a country outside allowedCountries with country_not_allowed', async () => {
    expect(
      (await t.admin('PATCH', '/v1/admin/settings', { allowedCountries: ['US'] })).status,
    ).toBe(200)
    const r = await t.call('POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(10) })
    expectProblem(r, 403, 'country_not_allowed')
    expect(await outbox(t)).toEqual([])
    await start(t, { purpose: 'register', phone: '+1 415 555 2671' })
  })

  it('refuses login and register by phone when the site turned them off (forbidden)', async () => {
    await t.admin('PATCH', '/v1/admin/settings', { phoneLogin: false, phoneRegistration: false })
    const phone = phoneNo(11)
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'login', phone }),
      403,
      'forbidden',
    )
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'register', phone }),
      403,
      'forbidden',
    )
  })

  it('refuses enroll and change_phone without a valid Bearer token (unauthorized)', async () => {
    const phone = phoneNo(12)
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'enroll', phone }),
      401,
      'unauthorized',
    )
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'enroll', phone }, bearer('not.a.jwt')),
      401,
      'unauthorized',
    )
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'change_phone' }),
      401,
      'unauthorized',
    )
    expect(await outbox(t)).toEqual([])
  })

  it('refuses mfa with a forged or spent mfaTicket (unauthorized)', async () => {
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'mfa', mfaTicket: 'mfa_forged' }),
      401,
      'unauthorized',
    )
    const phone = phoneNo(13)
    const { session } = await signUp(t, 'spent@example.com', 'a long passphrase 2')
    await enroll(t, session.accessToken, phone)
    const s = await t.call('POST', '/v1/sessions', {
      email: 'spent@example.com',
      password: 'a long passphrase 2',
    })
    const v = await start(t, { purpose: 'mfa', mfaTicket: s.body.mfaTicket })
    expect((await check(t, v.id, await lastCode(t, phone))).status).toBe(200)
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'mfa', mfaTicket: s.body.mfaTicket }),
      401,
      'unauthorized',
    )
  })

  it('refuses enroll while the account has a verified phone and no change_phone approval (forbidden)', async () => {
    const { session } = await registerByPhone(t, phoneNo(14))
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'enroll', phone: phoneNo(15) },
      bearer(session.accessToken),
    )
    expectProblem(r, 403, 'forbidden')
    expect(await outbox(t, phoneNo(15))).toEqual([])
  })

  it('refuses change_phone for an account without a verified phone (forbidden)', async () => {
    const { session } = await signUp(t, 'nophone@example.com')
    expectProblem(
      await t.call(
        'POST',
        '/v1/verifications',
        { purpose: 'change_phone' },
        bearer(session.accessToken),
      ),
      403,
      'forbidden',
    )
  })

  it('refuses enroll of a number verified on another account (phone_taken)', async () => {
    const phone = phoneNo(16)
    await registerByPhone(t, phone)
    const { session } = await signUp(t, 'other@example.com')
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'enroll', phone },
      bearer(session.accessToken),
    )
    expectProblem(r, 409, 'phone_taken')
  })

  it('limits starts per phone to 5 per 10 minutes (rate_limited)', async () => {
    const phone = phoneNo(17)
    for (let i = 0; i < 5; i++) await start(t, { purpose: 'register', phone })
    const r = await t.call('POST', '/v1/verifications', { purpose: 'register', phone })
    expectProblem(r, 429, 'rate_limited')
    expect(r.body.retryAfter).toBeLessThanOrEqual(600)
    expect(await outbox(t, phone)).toHaveLength(5)
    t.clock.advance(601_000)
    await start(t, { purpose: 'register', phone })
  })

  it('limits starts per client address to 30 per 10 minutes (rate_limited)', async () => {
    for (let i = 0; i < 30; i++)
      await start(t, { purpose: 'register', phone: phoneNo(100 + i) }, fromAddress(9))
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone: phoneNo(200) },
      fromAddress(9),
    )
    expectProblem(r, 429, 'rate_limited')
    await start(t, { purpose: 'register', phone: phoneNo(200) }, fromAddress(10))
  })

  it('limits distinct numbers per destination prefix to 10 per hour (rate_limited)', async () => {
    const near = (i: number) => `+91981234${String(5000 + i)}`
    for (let i = 0; i < 10; i++)
      await start(t, { purpose: 'register', phone: near(i) }, fromAddress(i))
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone: near(10) },
      fromAddress(20),
    )
    expectProblem(r, 429, 'rate_limited')
    await start(t, { purpose: 'register', phone: near(0) }, fromAddress(21))
  })

  it('answers provider_unavailable in production mode with no provider configured', async () => {
    const prod = await testApp({ env: { SMS_AUTH_MODE: 'production' } })
    try {
      await prod.admin('PATCH', '/v1/admin/settings', { allowedCountries: ['IN'] })
      const phone = phoneNo(18)
      const r = await prod.call('POST', '/v1/verifications', { purpose: 'register', phone })
      expectProblem(r, 503, 'provider_unavailable')
      const rows = await prod.db.execute('SELECT count(*) AS n FROM verifications')
      expect(Number(rows.rows[0]!.n)).toBe(0)
    } finally {
      prod.close()
    }
  })
})

describe('POST /v1/verifications/:id/resend', () => {
  it('sends the code again: 200 with the same shape and a later resendAt', async () => {
    const phone = phoneNo(20)
    const v = await start(t, { purpose: 'register', phone })
    t.clock.advance(30_000)
    const r = await t.call('POST', `/v1/verifications/${v.id}/resend`, {})
    expect(r.status, r.text).toBe(200)
    expect(r.body).toMatchObject({
      id: v.id,
      purpose: 'register',
      channel: 'sms',
      to: v.to,
      codeLength: 6,
      attemptsLeft: 5,
    })
    expect(Date.parse(r.body.resendAt)).toBeGreaterThan(t.clock.now)
    expect(await outbox(t, phone)).toHaveLength(2)
  })

  it('sends over the voice channel when asked, recorded as voice in the outbox', async () => {
    const phone = phoneNo(21)
    const v = await start(t, { purpose: 'register', phone })
    t.clock.advance(31_000)
    const r = await t.call('POST', `/v1/verifications/${v.id}/resend`, { channel: 'voice' })
    expect(r.status, r.text).toBe(200)
    expect(r.body.channel).toBe('voice')
    const sent = await outbox(t, phone)
    expect(sent.map((m) => m.channel)).toEqual(['voice', 'sms'])
    expect(sent[0]!.code).toMatch(/^\d{6}$/)
  })

  it('keeps an earlier code of the same verification working', async () => {
    const phone = phoneNo(22)
    const v = await start(t, { purpose: 'register', phone })
    const first = await lastCode(t, phone)
    t.clock.advance(30_000)
    expect((await t.call('POST', `/v1/verifications/${v.id}/resend`, {})).status).toBe(200)
    const r = await check(t, v.id, first)
    expect(r.status, r.text).toBe(200)
    expect(r.body.status).toBe('approved')
  })

  it('refuses a resend before resendAt with 429, Retry-After and retryAfter', async () => {
    const phone = phoneNo(23)
    const v = await start(t, { purpose: 'register', phone })
    t.clock.advance(10_000)
    const r = await t.call('POST', `/v1/verifications/${v.id}/resend`, {})
    expectProblem(r, 429, 'rate_limited')
    expect(r.body.retryAfter).toBe(20)
    expect(await outbox(t, phone)).toHaveLength(1)
  })

  it('allows at most 5 sends per verification', async () => {
    // The code keeps its first lifetime, so short cooldowns are needed to reach the cap in it.
    await t.admin('PATCH', '/v1/admin/settings', { resendCooldownSeconds: 10 })
    const phone = phoneNo(24)
    const v = await start(t, { purpose: 'register', phone })
    // Move past each cooldown in turn.
    let resendAt = Date.parse(v.resendAt)
    for (let i = 0; i < 4; i++) {
      t.clock.now = resendAt
      const r = await t.call('POST', `/v1/verifications/${v.id}/resend`, {})
      expect(r.status, r.text).toBe(200)
      resendAt = Date.parse(r.body.resendAt)
    }
    expect(await outbox(t, phone)).toHaveLength(5)
    t.clock.now = resendAt
    const r = await t.call('POST', `/v1/verifications/${v.id}/resend`, {})
    expectProblem(r, 429, 'rate_limited')
    expect(await outbox(t, phone)).toHaveLength(5)
  })

  it('answers verification_not_found for an unknown id', async () => {
    expectProblem(
      await t.call('POST', '/v1/verifications/ver_nope/resend', {}),
      404,
      'verification_not_found',
    )
  })

  it('answers verification_used after approval', async () => {
    const phone = phoneNo(25)
    const v = await start(t, { purpose: 'register', phone })
    expect((await check(t, v.id, await lastCode(t, phone))).status).toBe(200)
    t.clock.advance(60_000)
    expectProblem(
      await t.call('POST', `/v1/verifications/${v.id}/resend`, {}),
      409,
      'verification_used',
    )
  })

  it('answers verification_expired after the codes expired', async () => {
    const v = await start(t, { purpose: 'register', phone: phoneNo(26) })
    t.clock.advance(601_000)
    expectProblem(
      await t.call('POST', `/v1/verifications/${v.id}/resend`, {}),
      410,
      'verification_expired',
    )
  })

  it('answers too_many_attempts once the verification is locked', async () => {
    const phone = phoneNo(27)
    const v = await start(t, { purpose: 'register', phone })
    const bad = wrongCode(await lastCode(t, phone))
    for (let i = 0; i < 5; i++) await check(t, v.id, bad)
    t.clock.advance(60_000)
    expectProblem(
      await t.call('POST', `/v1/verifications/${v.id}/resend`, {}),
      429,
      'too_many_attempts',
    )
  })

  it('refuses an unknown channel with invalid_request', async () => {
    const v = await start(t, { purpose: 'register', phone: phoneNo(28) })
    t.clock.advance(30_000)
    const r = await t.call('POST', `/v1/verifications/${v.id}/resend`, { channel: 'pigeon' })
    expectProblem(r, 400, 'invalid_request')
    expect(r.body.errors[0].path).toBe('channel')
  })
})

describe('POST /v1/verifications/:id/check', () => {
  it('approves a register for a new number with a registrationTicket and the full phone', async () => {
    const phone = phoneNo(30)
    const v = await start(t, { purpose: 'register', phone })
    const r = await check(t, v.id, await lastCode(t, phone))
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ status: 'approved', registrationTicket: expect.any(String), phone })
  })

  it('logs an existing account in on register: user and session', async () => {
    const phone = phoneNo(31)
    const { user } = await registerByPhone(t, phone)
    const v = await start(t, { purpose: 'register', phone })
    const r = await check(t, v.id, await lastCode(t, phone))
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({
      status: 'approved',
      user: { id: user.id, phone, phoneVerified: true },
    })
    expect(r.body.session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 })
    expect(r.body.registrationTicket).toBeUndefined()
  })

  it('approves a login with a session that opens /v1/me', async () => {
    const phone = phoneNo(32)
    const { user } = await registerByPhone(t, phone)
    const v = await start(t, { purpose: 'login', phone })
    const r = await check(t, v.id, await lastCode(t, phone))
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: 'approved', user: { id: user.id } })
    const me = await t.call('GET', '/v1/me', undefined, bearer(r.body.session.accessToken))
    expect(me.status).toBe(200)
    expect(me.body.user.id).toBe(user.id)
  })

  it('completes a password sign-in with an mfa verification: session', async () => {
    const phone = phoneNo(33)
    const { user, session } = await signUp(t, 'two-step@example.com', 'a long passphrase 3')
    await enroll(t, session.accessToken, phone)
    const s = await t.call('POST', '/v1/sessions', {
      email: 'two-step@example.com',
      password: 'a long passphrase 3',
    })
    expect(s.status).toBe(200)
    expect(s.body).toMatchObject({
      mfaRequired: true,
      mfaTicket: expect.any(String),
      phone: `+91•••••••${phone.slice(-3)}`,
    })
    expect(s.body.methods).toContain('sms')
    expect(s.body.session).toBeUndefined()
    const v = await start(t, { purpose: 'mfa', mfaTicket: s.body.mfaTicket })
    const r = await check(t, v.id, await lastCode(t, phone))
    expect(r.status, r.text).toBe(200)
    expect(r.body).toMatchObject({
      status: 'approved',
      user: { id: user.id, phone },
      session: { tokenType: 'Bearer' },
    })
    const me = await t.call('GET', '/v1/me', undefined, bearer(r.body.session.accessToken))
    expect(me.body.user.id).toBe(user.id)
  })

  it('approves an enroll: phone verified and two-step SMS on', async () => {
    const phone = phoneNo(35)
    const { session } = await signUp(t, 'enroll-check@example.com')
    const v = await start(t, { purpose: 'enroll', phone }, bearer(session.accessToken))
    const r = await check(t, v.id, await lastCode(t, phone), bearer(session.accessToken))
    expect(r.status, r.text).toBe(200)
    expect(r.body).toMatchObject({
      status: 'approved',
      user: { phone, phoneVerified: true, twoStep: { sms: true } },
    })
    expect(r.body.session).toBeUndefined()
  })

  it('refuses an enroll check without the Bearer token (unauthorized), and the owner can still complete it', async () => {
    const phone = phoneNo(36)
    const { session } = await signUp(t, 'enroll-anon@example.com')
    const v = await start(t, { purpose: 'enroll', phone }, bearer(session.accessToken))
    const code = await lastCode(t, phone)
    expectProblem(await check(t, v.id, code), 401, 'unauthorized')
    const r = await check(t, v.id, code, bearer(session.accessToken))
    expect(r.status, r.text).toBe(200)
    expect(r.body.user.phoneVerified).toBe(true)
  })

  it('refuses an enroll check by another account (forbidden), and the owner can still complete it', async () => {
    const phone = phoneNo(37)
    const owner = await signUp(t, 'owner@example.com')
    const other = await signUp(t, 'intruder@example.com')
    const v = await start(t, { purpose: 'enroll', phone }, bearer(owner.session.accessToken))
    const code = await lastCode(t, phone)
    expectProblem(await check(t, v.id, code, bearer(other.session.accessToken)), 403, 'forbidden')
    const r = await check(t, v.id, code, bearer(owner.session.accessToken))
    expect(r.status, r.text).toBe(200)
    expect(r.body.user.id).toBe(owner.user.id)
  })

  it('approves change_phone, then an enroll replaces the number and ends the other sessions', async () => {
    const oldPhone = phoneNo(38)
    const newPhone = phoneNo(39)
    const { session } = await registerByPhone(t, oldPhone)
    const lv = await start(t, { purpose: 'login', phone: oldPhone })
    const other = (await check(t, lv.id, await lastCode(t, oldPhone))).body.session
    const cv = await start(t, { purpose: 'change_phone' }, bearer(session.accessToken))
    const c = await check(t, cv.id, await lastCode(t, oldPhone), bearer(session.accessToken))
    expect(c.status, c.text).toBe(200)
    expect(c.body).toMatchObject({
      status: 'approved',
      user: { phone: oldPhone, phoneVerified: true },
    })
    const e = await enroll(t, session.accessToken, newPhone)
    expect(e.user).toMatchObject({ phone: newPhone, phoneVerified: true })
    expect((await t.call('GET', '/v1/me', undefined, bearer(session.accessToken))).status).toBe(200)
    expectProblem(
      await t.call('GET', '/v1/me', undefined, bearer(other.accessToken)),
      401,
      'unauthorized',
    )
  })

  it('answers invalid_code with attemptsLeft for a wrong code', async () => {
    const phone = phoneNo(40)
    const v = await start(t, { purpose: 'register', phone })
    const bad = wrongCode(await lastCode(t, phone))
    const r = await check(t, v.id, bad)
    expectProblem(r, 400, 'invalid_code')
    expect(r.body.attemptsLeft).toBe(4)
    const r2 = await check(t, v.id, '12')
    expectProblem(r2, 400, 'invalid_code')
    expect(r2.body.attemptsLeft).toBe(3)
  })

  it('answers invalid_code to any code for a login of a number without an account', async () => {
    const v = await start(t, { purpose: 'login', phone: phoneNo(41) })
    for (const code of ['000000', '123456'])
      expectProblem(await check(t, v.id, code), 400, 'invalid_code')
  })

  it('locks after the maximum failed checks: too_many_attempts, even for the right code', async () => {
    const phone = phoneNo(42)
    const v = await start(t, { purpose: 'register', phone })
    const code = await lastCode(t, phone)
    for (let i = 4; i >= 0; i--) {
      const r = await check(t, v.id, wrongCode(code))
      expectProblem(r, 400, 'invalid_code')
      expect(r.body.attemptsLeft).toBe(i)
    }
    expectProblem(await check(t, v.id, code), 429, 'too_many_attempts')
  })

  it('answers verification_expired once the code expired', async () => {
    const phone = phoneNo(43)
    const v = await start(t, { purpose: 'register', phone })
    const code = await lastCode(t, phone)
    t.clock.advance(600_000)
    expectProblem(await check(t, v.id, code), 410, 'verification_expired')
  })

  it('answers verification_not_found for an unknown id', async () => {
    expectProblem(await check(t, 'ver_doesnotexist', '123456'), 404, 'verification_not_found')
  })

  it('answers verification_used for a second check of an approved verification', async () => {
    const phone = phoneNo(44)
    const v = await start(t, { purpose: 'register', phone })
    const code = await lastCode(t, phone)
    expect((await check(t, v.id, code)).status).toBe(200)
    expectProblem(await check(t, v.id, code), 409, 'verification_used')
  })

  it('approves exactly one of concurrent correct checks', async () => {
    const phone = phoneNo(45)
    const v = await start(t, { purpose: 'register', phone })
    const code = await lastCode(t, phone)
    const all = await Promise.all(Array.from({ length: 5 }, () => check(t, v.id, code)))
    expect(all.filter((r) => r.status === 200)).toHaveLength(1)
    for (const r of all.filter((r) => r.status !== 200)) expectProblem(r, 409, 'verification_used')
  })

  it('refuses a body without a code with invalid_request', async () => {
    const v = await start(t, { purpose: 'register', phone: phoneNo(46) })
    const r = await t.call('POST', `/v1/verifications/${v.id}/check`, {})
    expectProblem(r, 400, 'invalid_request')
    expect(r.body.errors[0].path).toBe('code')
  })

  it('answers a locked account like a wrong code after 20 failures across verifications', async () => {
    await t.admin('PATCH', '/v1/admin/settings', { maxAttempts: 10 })
    const phone = phoneNo(47)
    await registerByPhone(t, phone)
    const vs = []
    for (let i = 0; i < 3; i++) vs.push(await start(t, { purpose: 'login', phone }))
    const code = await lastCode(t, phone)
    for (const v of vs.slice(0, 2))
      for (let i = 0; i < 10; i++) await check(t, v.id, wrongCode(code))
    // The lock of an account is not observable from a login check (docs/security.md): the right
    // code is refused like a wrong one, and works again once the 15-minute lock is over.
    const r = await check(t, vs[2]!.id, code)
    expectProblem(r, 400, 'invalid_code')
    t.clock.advance(15 * 60_000 + 1)
    const fresh = await start(t, { purpose: 'login', phone })
    expect((await check(t, fresh.id, await lastCode(t, phone))).body.status).toBe('approved')
  })
})
