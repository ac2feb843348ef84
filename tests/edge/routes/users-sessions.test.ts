import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, check, enroll, expectProblem, signUp, start } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

async function registrationTicket(phone: string): Promise<string> {
  const v = await start(t, { purpose: 'register', phone })
  const r = await check(t, v.id, await lastCode(t, phone))
  expect(r.status, r.text).toBe(200)
  return r.body.registrationTicket as string
}

const USER_SHAPE = {
  id: expect.stringMatching(/^usr_/),
  name: expect.any(String),
  email: expect.any(String),
  phone: null,
  phoneVerified: false,
  hasPassword: true,
  twoStep: { sms: false, totp: false, backupCodesRemaining: 0 },
  createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
}

describe('POST /v1/users', () => {
  it('registers with a registration ticket: 201 user (phone verified) and session', async () => {
    const phone = phoneNo(1)
    const ticket = await registrationTicket(phone)
    const r = await t.call('POST', '/v1/users', {
      registrationTicket: ticket,
      name: 'Asha',
      email: 'asha@example.com',
    })
    expect(r.status, r.text).toBe(201)
    expect(r.body.user).toEqual({
      ...USER_SHAPE,
      name: 'Asha',
      email: 'asha@example.com',
      phone,
      phoneVerified: true,
      hasPassword: false,
      twoStep: { sms: true, totp: false, backupCodesRemaining: 0 },
      createdAt: new Date(t.clock.now).toISOString(),
    })
    expect(r.body.session).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.any(String),
    })
    const me = await t.call('GET', '/v1/me', undefined, bearer(r.body.session.accessToken))
    expect(me.body.user.id).toBe(r.body.user.id)
  })

  it('registers with email and password: 201 user (no phone) and session', async () => {
    const r = await t.call('POST', '/v1/users', {
      email: 'ravi@example.com',
      password: 'a sufficiently long one',
      name: 'Ravi',
    })
    expect(r.status, r.text).toBe(201)
    expect(r.body.user).toEqual({ ...USER_SHAPE, name: 'Ravi', email: 'ravi@example.com' })
    expect(r.body.session.tokenType).toBe('Bearer')
    expect(r.text).not.toContain('a sufficiently long one')
  })

  it('accepts passwords of 8 and 128 characters of any kind', async () => {
    await signUp(t, 'eight@example.com', 'ab cd ef')
    await signUp(t, 'unicode@example.com', 'пароль 🔑 ñ'.padEnd(128, 'x'))
    expect(
      (await t.call('POST', '/v1/sessions', { email: 'eight@example.com', password: 'ab cd ef' }))
        .status,
    ).toBe(200)
  })

  it('refuses an email already registered, compared case-insensitively (email_taken)', async () => {
    await signUp(t, 'Mixed.Case@Example.com')
    expectProblem(
      await t.call('POST', '/v1/users', {
        email: 'mixed.case@example.COM',
        password: 'another long one',
        name: 'B',
      }),
      409,
      'email_taken',
    )
    const ticket = await registrationTicket(phoneNo(2))
    expectProblem(
      await t.call('POST', '/v1/users', {
        registrationTicket: ticket,
        name: 'C',
        email: 'MIXED.CASE@EXAMPLE.COM',
      }),
      409,
      'email_taken',
    )
  })

  it('refuses a common password with invalid_request naming the password', async () => {
    for (const password of ['password', 'Password123', '12345678', 'qwerty123']) {
      const r = await t.call('POST', '/v1/users', { email: 'c@example.com', password, name: 'C' })
      expectProblem(r, 400, 'invalid_request')
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain('password')
    }
    expect(
      (await t.call('POST', '/v1/sessions', { email: 'c@example.com', password: 'password' }))
        .status,
    ).toBe(401)
  })

  it('refuses a password shorter than 8 or longer than 128 characters', async () => {
    for (const password of ['short', 'x'.repeat(129)]) {
      const r = await t.call('POST', '/v1/users', { email: 'p@example.com', password, name: 'P' })
      expectProblem(r, 400, 'invalid_request')
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain('password')
    }
  })

  it('refuses a name over 100 characters, or empty, with invalid_request', async () => {
    for (const name of ['n'.repeat(101), '', '   ']) {
      const r = await t.call('POST', '/v1/users', {
        email: 'n@example.com',
        password: 'long enough pw',
        name,
      })
      expectProblem(r, 400, 'invalid_request')
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain('name')
    }
    await signUp(t, 'n@example.com', 'long enough pw', 'n'.repeat(100))
  })

  it('refuses a body that is neither variant, or a bad email, with invalid_request', async () => {
    for (const body of [
      { email: 'x@example.com', name: 'X' },
      {
        registrationTicket: 'reg_x',
        email: 'x@example.com',
        name: 'X',
        password: 'long enough pw',
      },
      { email: 'not-an-email', password: 'long enough pw', name: 'X' },
      { email: 'x@example.com', password: 'long enough pw', name: 'X', admin: true },
    ]) {
      expectProblem(await t.call('POST', '/v1/users', body), 400, 'invalid_request')
    }
  })

  it('refuses a forged registration ticket (unauthorized)', async () => {
    const r = await t.call('POST', '/v1/users', {
      registrationTicket: 'reg_' + 'A'.repeat(43),
      name: 'Mallory',
      email: 'mallory@example.com',
    })
    expectProblem(r, 401, 'unauthorized')
    await signUp(t, 'mallory@example.com')
  })

  it('refuses a registration ticket used twice or expired (unauthorized)', async () => {
    const ticket = await registrationTicket(phoneNo(3))
    const ok = await t.call('POST', '/v1/users', {
      registrationTicket: ticket,
      name: 'A',
      email: 'a1@example.com',
    })
    expect(ok.status).toBe(201)
    expectProblem(
      await t.call('POST', '/v1/users', {
        registrationTicket: ticket,
        name: 'A',
        email: 'a2@example.com',
      }),
      401,
      'unauthorized',
    )
    const late = await registrationTicket(phoneNo(4))
    t.clock.advance(10 * 60_000 + 1)
    expectProblem(
      await t.call('POST', '/v1/users', {
        registrationTicket: late,
        name: 'A',
        email: 'a3@example.com',
      }),
      401,
      'unauthorized',
    )
  })

  it('refuses a second account on a phone registered in the meantime (phone_taken)', async () => {
    const phone = phoneNo(5)
    const first = await registrationTicket(phone)
    const second = await registrationTicket(phone)
    expect(
      (
        await t.call('POST', '/v1/users', {
          registrationTicket: first,
          name: 'A',
          email: 'f@example.com',
        })
      ).status,
    ).toBe(201)
    expectProblem(
      await t.call('POST', '/v1/users', {
        registrationTicket: second,
        name: 'B',
        email: 's@example.com',
      }),
      409,
      'phone_taken',
    )
  })

  it('refuses password registration when password login is off (forbidden)', async () => {
    await t.admin('PATCH', '/v1/admin/settings', { passwordLogin: false })
    expectProblem(
      await t.call('POST', '/v1/users', {
        email: 'off@example.com',
        password: 'long enough pw',
        name: 'O',
      }),
      403,
      'forbidden',
    )
  })
})

describe('POST /v1/sessions', () => {
  it('signs in an account without two-step: 200 user and session', async () => {
    const { user } = await signUp(t, 'plain@example.com', 'plain but long')
    const r = await t.call('POST', '/v1/sessions', {
      email: 'PLAIN@example.com',
      password: 'plain but long',
    })
    expect(r.status, r.text).toBe(200)
    expect(r.body.user).toMatchObject({ id: user.id, email: 'plain@example.com' })
    expect(r.body.session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 })
    expect(r.body.mfaRequired).toBeUndefined()
  })

  it('asks for a second factor when the account has a verified phone: mfaRequired, sms, masked phone', async () => {
    const phone = phoneNo(10)
    const { session } = await signUp(t, 'mfa@example.com', 'mfa password long')
    await enroll(t, session.accessToken, phone)
    const r = await t.call('POST', '/v1/sessions', {
      email: 'mfa@example.com',
      password: 'mfa password long',
    })
    expect(r.status, r.text).toBe(200)
    expect(r.body).toMatchObject({
      mfaRequired: true,
      mfaTicket: expect.any(String),
      phone: `+91•••••••${phone.slice(-3)}`,
    })
    expect(r.body.methods).toContain('sms')
    expect(r.body.session).toBeUndefined()
    expect(r.body.user).toBeUndefined()
    expect(r.text).not.toContain(phone.slice(3))
  })

  it('refuses a wrong password or an unknown email alike (invalid_credentials)', async () => {
    await signUp(t, 'known@example.com', 'the right password')
    const wrong = await t.call('POST', '/v1/sessions', {
      email: 'known@example.com',
      password: 'the wrong password',
    })
    const unknown = await t.call('POST', '/v1/sessions', {
      email: 'nobody@example.com',
      password: 'the right password',
    })
    expectProblem(wrong, 401, 'invalid_credentials')
    expectProblem(unknown, 401, 'invalid_credentials')
    expect(unknown.body.detail).toBe(wrong.body.detail)
  })

  it('refuses a phone-only account with invalid_credentials', async () => {
    const phone = phoneNo(11)
    await registerByPhone(t, phone, 'Asha', 'phone-only@example.com')
    expectProblem(
      await t.call('POST', '/v1/sessions', {
        email: 'phone-only@example.com',
        password: 'anything long',
      }),
      401,
      'invalid_credentials',
    )
  })

  it('refuses a malformed body with invalid_request', async () => {
    for (const body of [{}, { email: 'a@example.com' }, { email: 'nope', password: 'x' }]) {
      expectProblem(await t.call('POST', '/v1/sessions', body), 400, 'invalid_request')
    }
  })

  it('refuses password sign-in when password login is off (forbidden)', async () => {
    await signUp(t, 'off@example.com', 'long enough pw')
    await t.admin('PATCH', '/v1/admin/settings', { passwordLogin: false })
    expectProblem(
      await t.call('POST', '/v1/sessions', {
        email: 'off@example.com',
        password: 'long enough pw',
      }),
      403,
      'forbidden',
    )
  })

  it('locks the account after 20 wrong passwords, even for the right one, answering like a wrong password', async () => {
    await signUp(t, 'target@example.com', 'the right password')
    for (let i = 0; i < 20; i++) {
      await t.call('POST', '/v1/sessions', {
        email: 'target@example.com',
        password: `wrong password ${i}`,
      })
    }
    const r = await t.call('POST', '/v1/sessions', {
      email: 'target@example.com',
      password: 'the right password',
    })
    // A locked account answers exactly like an unknown email or a wrong password.
    expectProblem(r, 401, 'invalid_credentials')
    t.clock.advance(15 * 60_000 + 1)
    expect(
      (
        await t.call('POST', '/v1/sessions', {
          email: 'target@example.com',
          password: 'the right password',
        })
      ).status,
    ).toBe(200)
  })
})
