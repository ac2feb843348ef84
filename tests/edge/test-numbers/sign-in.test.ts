/**
 * A listed test number signs up and in with its fixed code and is sent nothing (the console
 * provider writes nothing either); numbers in the reserved ranges are refused unless listed, and
 * again once removed; every send and check of a test number is marked in the audit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../../helpers/app.js'
import { bearer, check, expectProblem, signUp, start } from '../../helpers/extra.js'
import { auditRows, listNumber, sendsRecorded, UK_TEST, US_TEST } from './helpers.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const CODE = '424242'

async function registerWith(phone: string, code = CODE) {
  const v = await start(t, { purpose: 'register', phone })
  const checked = await check(t, v.id, code)
  expect(checked.status, checked.text).toBe(200)
  const u = await t.call('POST', '/v1/users', {
    registrationTicket: checked.body.registrationTicket,
    name: 'Reviewer',
    email: `review${phone.replace(/\D/g, '')}@example.com`,
  })
  expect(u.status, u.text).toBe(201)
  return u.body
}

describe('a listed test number', () => {
  it('registers and signs in with its fixed code, and nothing is sent', async () => {
    for (const phone of [US_TEST, UK_TEST]) await listNumber(t, phone, CODE)
    for (const phone of [US_TEST, UK_TEST]) {
      const u = await registerWith(phone)
      expect(u.user.phone).toBe(phone)
      const login = await start(t, { purpose: 'login', phone })
      expect(login.codeLength).toBe(6)
      const signed = await check(t, login.id, CODE)
      expect(signed.status, signed.text).toBe(200)
      expect(signed.body.user.id).toBe(u.user.id)
      expect(signed.body.session.accessToken).toEqual(expect.any(String))
    }
    // By call too, and a resend: no message, no call, no outbox row, no record of a send.
    const voice = await start(t, { purpose: 'login', phone: US_TEST, channel: 'voice' })
    t.clock.advance(31_000)
    const resent = await t.call('POST', `/v1/verifications/${voice.id}/resend`, { channel: 'sms' })
    expect(resent.status, resent.text).toBe(200)
    expect(await sendsRecorded(t)).toBe(0)
    expect((await t.call('GET', '/v1/dev/outbox?limit=200')).body.messages).toEqual([])
    // The fixed code is kept as any code is: hashed for the check, sealed for a resend.
    const rows = await t.db.execute('SELECT * FROM verifications')
    expect(rows.rows.length).toBeGreaterThan(0)
    expect(JSON.stringify(rows.rows)).not.toContain(CODE)
    expect(rows.rows.every((r) => Number(r.test) === 1)).toBe(true)
  })

  it('skips the country allow-list and type screening: nothing goes out to it', async () => {
    expect(
      (await t.admin('PATCH', '/v1/admin/settings', { allowedCountries: ['IN'] })).status,
    ).toBe(200)
    await listNumber(t, US_TEST, CODE)
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'register', phone: '+12015550200' }),
      403,
      'country_not_allowed',
    )
    await registerWith(US_TEST)
  })

  it('lets a signed-in account enrol it, then completes a password sign-in by its code', async () => {
    await listNumber(t, UK_TEST, CODE)
    const password = 'correct horse battery staple'
    const s = await signUp(t, 'reviewer@example.com', password)
    const as = bearer(s.session.accessToken)
    const v = await start(t, { purpose: 'enroll', phone: UK_TEST }, as)
    const enrolled = await check(t, v.id, CODE, as)
    expect(enrolled.status, enrolled.text).toBe(200)
    expect(enrolled.body.user).toMatchObject({ phone: UK_TEST, phoneVerified: true })
    const pw = await t.call('POST', '/v1/sessions', { email: 'reviewer@example.com', password })
    expect(pw.body.mfaRequired, pw.text).toBe(true)
    const mfa = await start(t, { purpose: 'mfa', mfaTicket: pw.body.mfaTicket })
    const done = await check(t, mfa.id, CODE)
    expect(done.status, done.text).toBe(200)
    expect(done.body.session.accessToken).toEqual(expect.any(String))
    expect(await sendsRecorded(t)).toBe(0)
  })

  it('keeps the length of its code when the site’s codeLength changes later', async () => {
    await listNumber(t, US_TEST, CODE)
    expect((await t.admin('PATCH', '/v1/admin/settings', { codeLength: 8 })).status).toBe(200)
    const v = await start(t, { purpose: 'register', phone: US_TEST })
    expect(v.codeLength).toBe(6)
    expect((await check(t, v.id, CODE)).status).toBe(200)
    expect((await start(t, { purpose: 'register', phone: '+919812345678' })).codeLength).toBe(8)
  })

  it('has its sends and checks marked test in the audit', async () => {
    await listNumber(t, US_TEST, CODE)
    const v = await start(t, { purpose: 'register', phone: US_TEST })
    t.clock.advance(31_000)
    expect((await t.call('POST', `/v1/verifications/${v.id}/resend`, {})).status).toBe(200)
    expectProblem(await check(t, v.id, '000000'), 400, 'invalid_code')
    expect((await check(t, v.id, CODE)).status).toBe(200)
    // A real number's rows say nothing of the kind.
    await start(t, { purpose: 'register', phone: '+919812345678' })
    const rows = (await auditRows(t)).filter((e) => e.action.startsWith('verification.'))
    const mine = rows.filter((e) => e.detail?.id === v.id)
    expect(mine.map((e) => [e.action, e.outcome, e.detail?.test])).toEqual([
      ['verification.check', 'approved', true],
      ['verification.check', 'invalid_code', true],
      ['verification.resend', 'sent', true],
      ['verification.start', 'sent', true],
    ])
    const other = rows.filter((e) => e.detail?.id !== v.id)
    expect(other).toHaveLength(1)
    expect(other[0]!.detail).not.toHaveProperty('test')
    expect(JSON.stringify(rows)).not.toContain(CODE)
  })
})

describe('the reserved ranges', () => {
  it('refuse an unlisted number for register, login and enrolment, and send nothing', async () => {
    const s = await signUp(t, 'someone@example.com')
    const as = bearer(s.session.accessToken)
    for (const phone of [
      '+12015550142',
      '+14155550100',
      '+447700900555',
      '+442079460123',
      '+61255501234',
    ]) {
      for (const purpose of ['register', 'login'])
        expectProblem(
          await t.call('POST', '/v1/verifications', { purpose, phone }),
          400,
          'invalid_phone',
        )
      expectProblem(
        await t.call('POST', '/v1/verifications', { purpose: 'enroll', phone }, as),
        400,
        'invalid_phone',
      )
    }
    // The national form with a country too.
    expectProblem(
      await t.call('POST', '/v1/verifications', {
        purpose: 'register',
        phone: '(201) 555-0142',
        country: 'US',
      }),
      400,
      'invalid_phone',
    )
    expect(await sendsRecorded(t)).toBe(0)
    // Beside them a real number works, and is sent its code.
    await start(t, { purpose: 'register', phone: '+12015550200' })
    expect(await sendsRecorded(t)).toBeGreaterThan(0)
  })

  it('refuse a number again once removed, and its live code stops working', async () => {
    await listNumber(t, US_TEST, CODE)
    const live = await start(t, { purpose: 'register', phone: US_TEST })
    expect(
      (await t.admin('DELETE', `/v1/admin/test-numbers/${encodeURIComponent(US_TEST)}`)).status,
    ).toBe(204)
    expectProblem(await check(t, live.id, CODE), 410, 'verification_expired')
    expectProblem(
      await t.call('POST', `/v1/verifications/${live.id}/resend`, {}),
      410,
      'verification_expired',
    )
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'register', phone: US_TEST }),
      400,
      'invalid_phone',
    )
    expect(await sendsRecorded(t)).toBe(0)
  })

  it('an admin cannot set one on a user unless listed', async () => {
    const s = await signUp(t, 'someone@example.com')
    const to = `/v1/admin/users/${s.user.id}/phone`
    expectProblem(
      await t.admin('POST', to, { phone: US_TEST, verify: false }),
      400,
      'invalid_phone',
    )
    await listNumber(t, US_TEST, CODE)
    const set = await t.admin('POST', to, { phone: US_TEST, verify: true })
    expect(set.status, set.text).toBe(200)
    expect(set.body.verification.codeLength).toBe(6)
    expect(await sendsRecorded(t)).toBe(0)
  })
})
