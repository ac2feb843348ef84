/**
 * Issue 10, the two-step promise: an SMS sign-in of an account that has a password is one factor;
 * `POST /v1/mfa/password` finishes it. Phone-only accounts stay passwordless (API.md Policies).
 */
import { Secret, TOTP } from 'otpauth'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, enroll, expectProblem, signUp, start } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const PASSWORD = 'correct horse battery staple'
let n = 0
const from = () => ({ 'x-forwarded-for': `192.0.2.${++n}` })

/** An email + password account that added a phone (two-step on). */
async function passwordAccount(phone: string, email = `p${phone.slice(-6)}@example.com`) {
  const { user, session } = await signUp(t, email, PASSWORD)
  await enroll(t, session.accessToken, phone)
  return { user, session, email }
}

/** An SMS sign-in (or a register of a number that has an account) up to its check. */
async function smsFirst(phone: string, purpose: 'login' | 'register' = 'login') {
  const v = await start(t, { purpose, phone }, from())
  return t.call('POST', `/v1/verifications/${v.id}/check`, { code: await lastCode(t, phone) })
}

async function sessionRows(userId: string) {
  const r = await t.db.execute({
    sql: 'SELECT amr FROM sessions WHERE user_id = ? ORDER BY created_at',
    args: [userId],
  })
  return r.rows.map((row) => String(row.amr))
}

describe('POST /v1/verifications/{id}/check of an account with a password', () => {
  it('answers mfaRequired with methods ["password", "backup_code"] and no session', async () => {
    const phone = phoneNo(1)
    const { user, session } = await passwordAccount(phone)
    const codes = await t.call(
      'POST',
      '/v1/me/backup-codes',
      undefined,
      bearer(session.accessToken),
    )
    expect(codes.status, codes.text).toBe(201)
    const r = await smsFirst(phone)
    expect(r.status, r.text).toBe(200)
    expect(r.body).toEqual({
      status: 'approved',
      mfaRequired: true,
      mfaTicket: expect.stringMatching(/^mfa_/),
      methods: ['password', 'backup_code'],
    })
    expect(await sessionRows(user.id)).toEqual(['password']) // the sign-up's only
  })

  it('lists only the factors the account has: ["password"], then with TOTP ["password", "totp"]', async () => {
    const phone = phoneNo(2)
    const { session } = await passwordAccount(phone)
    expect((await smsFirst(phone)).body.methods).toEqual(['password'])
    const setup = await t.call('POST', '/v1/me/totp', undefined, bearer(session.accessToken))
    const code = new TOTP({ secret: Secret.fromBase32(setup.body.secret) }).generate({
      timestamp: t.clock.now,
    })
    await t.call('POST', '/v1/me/totp/verify', { code }, bearer(session.accessToken))
    t.clock.advance(10 * 60_000) // past the per-number message cap's window
    expect((await smsFirst(phone)).body.methods).toEqual(['password', 'totp'])
  })

  it('asks for the password after a register code of a number whose account has one', async () => {
    const phone = phoneNo(3)
    await passwordAccount(phone)
    const r = await smsFirst(phone, 'register')
    expect(r.body).toMatchObject({ status: 'approved', mfaRequired: true, methods: ['password'] })
    expect(r.body.session).toBeUndefined()
    expect(r.body.registrationTicket).toBeUndefined()
  })

  it('still signs a phone-only account in with the SMS code alone (passwordless)', async () => {
    const phone = phoneNo(4)
    const { user } = await registerByPhone(t, phone)
    const r = await smsFirst(phone)
    expect(r.body).toMatchObject({ status: 'approved', user: { id: user.id } })
    expect(r.body.session.accessToken).toBeTruthy()
    expect(r.body.mfaRequired).toBeUndefined()
  })
})

describe('POST /v1/mfa/password', () => {
  it('finishes an SMS sign-in with the password: {user, session}, proven by sms and password', async () => {
    const phone = phoneNo(5)
    const { user } = await passwordAccount(phone)
    const { mfaTicket } = (await smsFirst(phone)).body
    const r = await t.call('POST', '/v1/mfa/password', { mfaTicket, password: PASSWORD })
    expect(r.status, r.text).toBe(200)
    expect(r.body.user).toMatchObject({ id: user.id, phone, phoneVerified: true })
    expect(r.body.session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 })
    const me = await t.call('GET', '/v1/me', undefined, bearer(r.body.session.accessToken))
    expect(me.body.user.id).toBe(user.id)
    expect((await sessionRows(user.id)).at(-1)).toBe('sms,password')
    const again = await t.call('POST', '/v1/mfa/password', { mfaTicket, password: PASSWORD })
    expectProblem(again, 401, 'unauthorized')
  })

  it('answers a wrong password with 401 invalid_credentials and keeps the ticket for another try', async () => {
    const phone = phoneNo(6)
    await passwordAccount(phone)
    const { mfaTicket } = (await smsFirst(phone)).body
    const wrong = await t.call('POST', '/v1/mfa/password', { mfaTicket, password: 'not it at all' })
    expectProblem(wrong, 401, 'invalid_credentials')
    expect(wrong.body.session).toBeUndefined()
    const ok = await t.call('POST', '/v1/mfa/password', { mfaTicket, password: PASSWORD })
    expect(ok.status, ok.text).toBe(200)
  })

  it('validates its body (400 invalid_request) and refuses an unknown ticket (401)', async () => {
    for (const body of [
      {},
      { mfaTicket: 'mfa_x' },
      { password: PASSWORD },
      { mfaTicket: 'x', password: '' },
    ]) {
      const r = await t.call('POST', '/v1/mfa/password', body)
      expectProblem(r, 400, 'invalid_request')
    }
    const extra = await t.call('POST', '/v1/mfa/password', {
      mfaTicket: 'x',
      password: 'y',
      code: 1,
    })
    expectProblem(extra, 400, 'invalid_request')
    const unknown = await t.call('POST', '/v1/mfa/password', {
      mfaTicket: 'mfa_nope',
      password: PASSWORD,
    })
    expectProblem(unknown, 401, 'unauthorized')
  })

  it('is in the OpenAPI document, and every list of second factors there has "password"', async () => {
    const doc = (await t.call('GET', '/v1/openapi.json')).body
    const op = doc.paths['/v1/mfa/password'].post
    expect(Object.keys(op.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '429']),
    )
    const schema = op.requestBody.content['application/json'].schema
    expect(schema.required).toEqual(expect.arrayContaining(['mfaTicket', 'password']))
    const enums: string[][] = []
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk)
      if (!v || typeof v !== 'object') return
      for (const [k, x] of Object.entries(v)) {
        if (k === 'enum' && Array.isArray(x) && x.includes('backup_code')) enums.push(x)
        else walk(x)
      }
    }
    walk(doc)
    expect(enums.length).toBeGreaterThan(0)
    for (const e of enums) expect(e).toContain('password')
  })
})
