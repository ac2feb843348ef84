/** Issue 4's "done when": whole second-factor journeys through the API alone. */
import { Secret, TOTP } from 'otpauth'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
const totp = (secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: t.clock.now,
  })
let ip = 0
const start = (body: object, headers: Record<string, string> = {}) =>
  t.call('POST', '/v1/verifications', body, { 'x-forwarded-for': `192.0.2.${++ip}`, ...headers })

describe('a phone account', () => {
  it('adds TOTP and backup codes, signs in by SMS + TOTP, and changes its phone', async () => {
    const phone = phoneNo(1)
    const { session } = await registerByPhone(t, phone)
    const setup = await t.call('POST', '/v1/me/totp', undefined, auth(session.accessToken))
    expect(setup.body.otpauthUrl).toContain('issuer=sms-auth')
    const on = await t.call(
      'POST',
      '/v1/me/totp/verify',
      { code: totp(setup.body.secret) },
      auth(session.accessToken),
    )
    expect(on.body.user.twoStep).toMatchObject({ sms: true, totp: true })
    const codes = await t.call('POST', '/v1/me/backup-codes', undefined, auth(session.accessToken))
    expect(
      (await t.call('GET', '/v1/me', undefined, auth(session.accessToken))).body.user.twoStep
        .backupCodesRemaining,
    ).toBe(10)

    t.clock.advance(30_000)
    const login = await start({ purpose: 'login', phone })
    const first = await t.call('POST', `/v1/verifications/${login.body.id}/check`, {
      code: await lastCode(t, phone),
    })
    expect(first.body).toMatchObject({
      status: 'approved',
      mfaRequired: true,
      methods: ['totp', 'backup_code'],
    })
    const signed = await t.call('POST', '/v1/mfa/totp', {
      mfaTicket: first.body.mfaTicket,
      code: totp(setup.body.secret),
    })
    expect(signed.status).toBe(200)
    const token = signed.body.session.accessToken

    const change = await start({ purpose: 'change_phone' }, auth(token))
    await t.call(
      'POST',
      `/v1/verifications/${change.body.id}/check`,
      { code: await lastCode(t, phone) },
      auth(token),
    )
    const next = phoneNo(2)
    const enroll = await start({ purpose: 'enroll', phone: next }, auth(token))
    const done = await t.call(
      'POST',
      `/v1/verifications/${enroll.body.id}/check`,
      { code: await lastCode(t, next) },
      auth(token),
    )
    expect(done.body.user).toMatchObject({ phone: next, phoneVerified: true })
    expect(codes.body.codes).toHaveLength(10)
  })

  it('turns TOTP off only with a current code', async () => {
    const { session } = await registerByPhone(t, phoneNo(3))
    const setup = await t.call('POST', '/v1/me/totp', undefined, auth(session.accessToken))
    expect(
      (await t.call('POST', '/v1/me/totp/verify', { code: '000000' }, auth(session.accessToken)))
        .body.code,
    ).toBe('invalid_credentials')
    await t.call(
      'POST',
      '/v1/me/totp/verify',
      { code: totp(setup.body.secret) },
      auth(session.accessToken),
    )
    const bad = await t.call('DELETE', '/v1/me/totp', { code: '000000' }, auth(session.accessToken))
    expect(bad.status).toBe(401)
    t.clock.advance(30_000)
    const off = await t.call(
      'DELETE',
      '/v1/me/totp',
      { code: totp(setup.body.secret) },
      auth(session.accessToken),
    )
    expect(off.body.user.twoStep.totp).toBe(false)
  })

  it('refuses TOTP verification before set-up', async () => {
    const { session } = await registerByPhone(t, phoneNo(4))
    const r = await t.call(
      'POST',
      '/v1/me/totp/verify',
      { code: '123456' },
      auth(session.accessToken),
    )
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('invalid_request')
  })
})

describe('an email + password account', () => {
  it('adds a phone, signs in by password + SMS, loses the phone, removes it with a backup code and enrols a new one', async () => {
    const reg = await t.call('POST', '/v1/users', {
      email: 'Mira@Example.com',
      password: 'a long enough one',
      name: 'Mira',
    })
    const token = reg.body.session.accessToken
    const phone = phoneNo(5)
    const enroll = await start({ purpose: 'enroll', phone }, auth(token))
    const on = await t.call(
      'POST',
      `/v1/verifications/${enroll.body.id}/check`,
      { code: await lastCode(t, phone) },
      auth(token),
    )
    expect(on.body.user.twoStep.sms).toBe(true)
    const codes = await t.call('POST', '/v1/me/backup-codes', undefined, auth(token))

    const pw = await t.call('POST', '/v1/sessions', {
      email: 'mira@example.com',
      password: 'a long enough one',
    })
    expect(pw.body).toMatchObject({ mfaRequired: true, methods: ['sms', 'backup_code'] })
    expect(pw.body.phone).toMatch(/^\+91•+\d{3}$/)
    const mfa = await start({ purpose: 'mfa', mfaTicket: pw.body.mfaTicket })
    expect(mfa.status).toBe(201)
    const signed = await t.call('POST', `/v1/verifications/${mfa.body.id}/check`, {
      code: await lastCode(t, phone),
    })
    expect(signed.body.session.accessToken).toBeTruthy()
    const token2 = signed.body.session.accessToken

    const removed = await t.call(
      'POST',
      '/v1/me/phone/remove',
      { backupCode: codes.body.codes[0] },
      auth(token2),
    )
    expect(removed.body.user).toMatchObject({ phone: null, phoneVerified: false })
    expect((await t.call('GET', '/v1/me', undefined, auth(token))).status).toBe(401)
    const next = phoneNo(6)
    const again = await start({ purpose: 'enroll', phone: next }, auth(token2))
    const done = await t.call(
      'POST',
      `/v1/verifications/${again.body.id}/check`,
      { code: await lastCode(t, next) },
      auth(token2),
    )
    expect(done.body.user.phone).toBe(next)

    const log = await t.admin('GET', '/v1/admin/audit?limit=500')
    const actions = new Set(log.body.events.map((e: { action: string }) => e.action))
    for (const a of [
      'account.register',
      'factor.phone.enroll',
      'factor.backup_codes.new',
      'signin.password',
      'factor.phone.remove',
      'verification.check',
      'verification.start',
    ]) {
      expect(actions.has(a), a).toBe(true)
    }
  })
})

describe('POST /v1/admin/users/:id/phone', () => {
  it('stores an unverified phone, or starts an enroll verification', async () => {
    const reg = await t.call('POST', '/v1/users', {
      email: 'ops@example.com',
      password: 'a long enough one',
      name: 'Ops',
    })
    const id = reg.body.user.id
    const quiet = await t.admin('POST', `/v1/admin/users/${id}/phone`, {
      phone: phoneNo(7),
      verify: false,
    })
    expect(quiet.body.user).toMatchObject({ phone: phoneNo(7), phoneVerified: false })
    const loud = await t.admin('POST', `/v1/admin/users/${id}/phone`, {
      phone: phoneNo(8),
      verify: true,
    })
    expect(loud.body.verification.purpose).toBe('enroll')
    const check = await t.call(
      'POST',
      `/v1/verifications/${loud.body.verification.id}/check`,
      { code: await lastCode(t, phoneNo(8)) },
      auth(reg.body.session.accessToken),
    )
    expect(check.body.user.phoneVerified).toBe(true)
  })

  it('answers 401 without the admin token, 404 for an unknown user, 409 for a taken phone, 400 for a bad number', async () => {
    const { user } = await registerByPhone(t, phoneNo(9))
    const reg = await t.call('POST', '/v1/users', {
      email: 'x@example.com',
      password: 'a long enough one',
      name: 'X',
    })
    expect(
      (
        await t.call('POST', `/v1/admin/users/${user.id}/phone`, {
          phone: phoneNo(10),
          verify: false,
        })
      ).status,
    ).toBe(401)
    expect(
      (
        await t.admin('POST', '/v1/admin/users/usr_nobody/phone', {
          phone: phoneNo(10),
          verify: false,
        })
      ).status,
    ).toBe(404)
    const taken = await t.admin('POST', `/v1/admin/users/${reg.body.user.id}/phone`, {
      phone: phoneNo(9),
      verify: false,
    })
    expect(taken.body.code).toBe('phone_taken')
    expect(
      (
        await t.admin('POST', `/v1/admin/users/${reg.body.user.id}/phone`, {
          phone: '12',
          verify: false,
        })
      ).body.code,
    ).toBe('invalid_phone')
  })
})
