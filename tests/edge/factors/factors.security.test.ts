/** Second factors under attack (SECURITY.md T09, T12, T13, T16, T25, T32, T33). */
import { Secret, TOTP } from 'otpauth'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
const totpAt = (secret: string, ms: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: ms })

/** A phone account with TOTP on; returns its secret. */
async function withTotp(phone: string) {
  const { session, user } = await registerByPhone(t, phone)
  const setup = await t.call('POST', '/v1/me/totp', undefined, auth(session.accessToken))
  expect(setup.status).toBe(200)
  expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//)
  expect(
    new Secret({ buffer: Secret.fromBase32(setup.body.secret).buffer }).bytes.length,
  ).toBeGreaterThanOrEqual(20)
  const on = await t.call(
    'POST',
    '/v1/me/totp/verify',
    { code: totpAt(setup.body.secret, t.clock.now) },
    auth(session.accessToken),
  )
  expect(on.body.user.twoStep.totp).toBe(true)
  return { secret: setup.body.secret as string, session, user }
}

/** An email + password account with TOTP on (password sign-ins then ask for it: no SMS limits). */
async function passwordWithTotp(email: string) {
  const r = await t.call('POST', '/v1/users', { email, password: 'a long enough one', name: 'P' })
  const token = r.body.session.accessToken as string
  const setup = await t.call('POST', '/v1/me/totp', undefined, auth(token))
  await t.call(
    'POST',
    '/v1/me/totp/verify',
    { code: totpAt(setup.body.secret, t.clock.now) },
    auth(token),
  )
  return { secret: setup.body.secret as string, token }
}

async function passwordFirstFactor(email: string) {
  const r = await t.call('POST', '/v1/sessions', { email, password: 'a long enough one' })
  expect(r.body.mfaRequired).toBe(true)
  return r.body.mfaTicket as string
}

async function smsFirstFactor(phone: string) {
  const v = await t.call(
    'POST',
    '/v1/verifications',
    { purpose: 'login', phone },
    { 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 200)}` },
  )
  const r = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
    code: await lastCode(t, phone),
  })
  expect(r.body.mfaRequired).toBe(true)
  expect(r.body.methods).toEqual(expect.arrayContaining(['totp']))
  expect(r.body.methods).not.toContain('sms')
  return r.body.mfaTicket as string
}

describe('TOTP', () => {
  it('never accepts the set-up code again, nor one step twice', async () => {
    const phone = phoneNo(1)
    const { secret } = await withTotp(phone)
    const ticket = await smsFirstFactor(phone)
    const setupCode = totpAt(secret, t.clock.now)
    expect(
      (await t.call('POST', '/v1/mfa/totp', { mfaTicket: ticket, code: setupCode })).body.code,
    ).toBe('invalid_credentials')
    t.clock.advance(30_000)
    const code = totpAt(secret, t.clock.now)
    expect((await t.call('POST', '/v1/mfa/totp', { mfaTicket: ticket, code })).status).toBe(200)
    const again = await smsFirstFactor(phone)
    expect((await t.call('POST', '/v1/mfa/totp', { mfaTicket: again, code })).status).toBe(401)
  })

  it('lets exactly one of concurrent sign-ins use a step', async () => {
    const { secret } = await passwordWithTotp('totp-race@example.com')
    t.clock.advance(60_000)
    const tickets = await Promise.all(
      Array.from({ length: 5 }, () => passwordFirstFactor('totp-race@example.com')),
    )
    const code = totpAt(secret, t.clock.now)
    const results = await Promise.all(
      tickets.map((mfaTicket) => t.call('POST', '/v1/mfa/totp', { mfaTicket, code })),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
  })

  it('refuses codes two steps away', async () => {
    const phone = phoneNo(3)
    const { secret } = await withTotp(phone)
    const ticket = await smsFirstFactor(phone)
    for (const offset of [-60_000, 60_000]) {
      const r = await t.call('POST', '/v1/mfa/totp', {
        mfaTicket: ticket,
        code: totpAt(secret, t.clock.now + offset),
      })
      expect(r.status).toBe(401)
    }
  })

  it('never lets an SMS sign-in finish with SMS again', async () => {
    const phone = phoneNo(4)
    await withTotp(phone)
    const ticket = await smsFirstFactor(phone)
    const r = await t.call('POST', '/v1/verifications', { purpose: 'mfa', mfaTicket: ticket })
    expect(r.status).toBe(403)
  })
})

describe('backup codes', () => {
  it('spends a code exactly once under 20 concurrent uses', async () => {
    const { token } = await passwordWithTotp('backup-race@example.com')
    const set = await t.call('POST', '/v1/me/backup-codes', undefined, auth(token))
    expect(set.status).toBe(201)
    expect(set.body.codes).toHaveLength(10)
    expect(new Set(set.body.codes).size).toBe(10)
    for (const c of set.body.codes) expect(c).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/)
    const tickets = await Promise.all(
      Array.from({ length: 20 }, () => passwordFirstFactor('backup-race@example.com')),
    )
    const results = await Promise.all(
      tickets.map((mfaTicket) =>
        t.call('POST', '/v1/mfa/backup-code', { mfaTicket, code: set.body.codes[0] }),
      ),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    const left = await t.call('GET', '/v1/me/backup-codes', undefined, auth(token))
    expect(left.body.remaining).toBe(9)
  })

  it('notifies the phone when a backup code is used', async () => {
    const phone = phoneNo(5)
    const { session } = await withTotp(phone)
    const set = await t.call('POST', '/v1/me/backup-codes', undefined, auth(session.accessToken))
    const ticket = await smsFirstFactor(phone)
    expect(
      (
        await t.call('POST', '/v1/mfa/backup-code', {
          mfaTicket: ticket,
          code: set.body.codes[3].toUpperCase(),
        })
      ).status,
    ).toBe(200)
    const box = await t.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
    expect(box.body.messages[0].body).toMatch(/backup code was just used/)
  })

  it('replaces the old set, and stores no code in clear', async () => {
    const phone = phoneNo(6)
    const { session } = await registerByPhone(t, phone)
    const first = await t.call('POST', '/v1/me/backup-codes', undefined, auth(session.accessToken))
    const second = await t.call('POST', '/v1/me/backup-codes', undefined, auth(session.accessToken))
    const dump = JSON.stringify((await t.db.execute('SELECT * FROM backup_codes')).rows)
    for (const c of [...first.body.codes, ...second.body.codes]) {
      expect(dump).not.toContain(c)
      expect(dump).not.toContain(c.replace(/-/g, ''))
    }
    expect(Number((await t.db.execute('SELECT count(*) AS n FROM backup_codes')).rows[0]!.n)).toBe(
      10,
    )
  })
})

describe('mfa ticket', () => {
  it('grants nothing but finishing the sign-in, once, within 10 minutes', async () => {
    const phone = phoneNo(7)
    const { secret } = await withTotp(phone)
    const ticket = await smsFirstFactor(phone)
    expect((await t.call('GET', '/v1/me', undefined, auth(ticket))).status).toBe(401)
    expect((await t.call('POST', '/v1/me/backup-codes', undefined, auth(ticket))).status).toBe(401)
    t.clock.advance(10 * 60_000 + 1)
    expect(
      (
        await t.call('POST', '/v1/mfa/totp', {
          mfaTicket: ticket,
          code: totpAt(secret, t.clock.now),
        })
      ).status,
    ).toBe(401)
  })
})

describe('phone removal and change', () => {
  it('refuses to remove the only way in', async () => {
    const { session } = await withTotp(phoneNo(8))
    const codes = await t.call('POST', '/v1/me/backup-codes', undefined, auth(session.accessToken))
    const r = await t.call(
      'POST',
      '/v1/me/phone/remove',
      { backupCode: codes.body.codes[0] },
      auth(session.accessToken),
    )
    expect(r.status).toBe(409)
    expect(r.body.code).toBe('policy_violation')
  })

  it('refuses to enrol a new phone without proof of the current one', async () => {
    const { session } = await registerByPhone(t, phoneNo(9))
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'enroll', phone: phoneNo(10) },
      auth(session.accessToken),
    )
    expect(r.status).toBe(403)
  })

  it('changes the phone after proof: old number gets a notice and stops signing in, other sessions end', async () => {
    const oldPhone = phoneNo(11)
    const newPhone = phoneNo(12)
    const { session } = await registerByPhone(t, oldPhone)
    const other = await smsLogin(oldPhone)
    const change = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'change_phone' },
      auth(session.accessToken),
    )
    expect(change.body.to).toMatch(/•/)
    const proof = await t.call(
      'POST',
      `/v1/verifications/${change.body.id}/check`,
      { code: await lastCode(t, oldPhone) },
      auth(session.accessToken),
    )
    expect(proof.status).toBe(200)
    const enroll = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'enroll', phone: newPhone },
      auth(session.accessToken),
    )
    expect(enroll.status).toBe(201)
    const done = await t.call(
      'POST',
      `/v1/verifications/${enroll.body.id}/check`,
      { code: await lastCode(t, newPhone) },
      auth(session.accessToken),
    )
    expect(done.body.user.phone).toBe(newPhone)
    const box = await t.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(oldPhone)}`)
    expect(box.body.messages[0].body).toMatch(/was changed/)
    expect((await t.call('GET', '/v1/me', undefined, auth(other))).status).toBe(401)
    expect((await t.call('GET', '/v1/me', undefined, auth(session.accessToken))).status).toBe(200)
    const sentBefore = box.body.messages.length
    await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'login', phone: oldPhone },
      { 'x-forwarded-for': '192.0.2.77' },
    )
    expect(
      (await t.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(oldPhone)}`)).body.messages,
    ).toHaveLength(sentBefore)
  })
})

async function smsLogin(phone: string): Promise<string> {
  const v = await t.call(
    'POST',
    '/v1/verifications',
    { purpose: 'login', phone },
    { 'x-forwarded-for': '192.0.2.88' },
  )
  const r = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
    code: await lastCode(t, phone),
  })
  return r.body.session.accessToken
}

describe('audit', () => {
  it('records factor changes and sign-ins without codes or secrets', async () => {
    const phone = phoneNo(13)
    const { secret, session } = await withTotp(phone)
    const codes = await t.call('POST', '/v1/me/backup-codes', undefined, auth(session.accessToken))
    const ticket = await smsFirstFactor(phone)
    await t.call('POST', '/v1/mfa/backup-code', { mfaTicket: ticket, code: 'wrong-code-0000' })
    await t.call('POST', '/v1/mfa/backup-code', { mfaTicket: ticket, code: codes.body.codes[1] })
    const log = await t.admin('GET', '/v1/admin/audit?limit=200')
    const actions = log.body.events.map(
      (e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`,
    )
    expect(actions).toEqual(
      expect.arrayContaining([
        'factor.totp.enable:ok',
        'factor.backup_codes.new:ok',
        'signin.mfa:invalid_credentials',
        'signin.mfa:ok',
      ]),
    )
    const text = JSON.stringify(log.body)
    expect(text).not.toContain(secret)
    for (const c of codes.body.codes) expect(text).not.toContain(c)
    expect(text).not.toContain(phone)
  })
})
