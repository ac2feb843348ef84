/**
 * Security invariants of the verification core (SECURITY.md T02, T04, T05, T07, T10, T11, T14,
 * T15, T17, T20, T23): each runs against a real libSQL database through the HTTP API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

async function start(phone: string, purpose = 'register', ip = '198.51.100.1') {
  const r = await t.call('POST', '/v1/verifications', { purpose, phone }, { 'x-forwarded-for': ip })
  expect(r.status, r.text).toBe(201)
  return r.body.id as string
}
const check = (id: string, code: unknown) =>
  t.call('POST', `/v1/verifications/${id}/check`, { code })
const wrong = (code: string) => (code === '000000' ? '000001' : '000000')

async function verificationRow(id: string) {
  const r = await t.db.execute({
    sql: 'SELECT attempts, approved_at FROM verifications WHERE id = ?',
    args: [id],
  })
  return { attempts: Number(r.rows[0]!.attempts), approved: r.rows[0]!.approved_at !== null }
}

describe('attempt cap', () => {
  it('locks a verification after 5 wrong codes; the right code is then refused', async () => {
    const phone = phoneNo(10)
    const id = await start(phone)
    const code = await lastCode(t, phone)
    for (let i = 4; i >= 0; i--) {
      const r = await check(id, wrong(code))
      expect(r.status).toBe(400)
      expect(r.body.code).toBe('invalid_code')
      expect(r.body.attemptsLeft).toBe(i)
    }
    const after = await check(id, code)
    expect(after.status).toBe(429)
    expect(after.body.code).toBe('too_many_attempts')
    expect(Number(after.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await verificationRow(id)).approved).toBe(false)
  })

  it('evaluates at most 5 of 100 concurrent wrong guesses', async () => {
    const phone = phoneNo(11)
    const id = await start(phone)
    const code = await lastCode(t, phone)
    const results = await Promise.all(Array.from({ length: 100 }, () => check(id, wrong(code))))
    expect(results.filter((r) => r.body.code === 'invalid_code')).toHaveLength(5)
    expect(results.every((r) => r.status === 400 || r.status === 429)).toBe(true)
    expect((await verificationRow(id)).attempts).toBe(5)
  })

  it('counts malformed codes as attempts, and only exact ASCII digits can match', async () => {
    const phone = phoneNo(12)
    const id = await start(phone)
    const code = await lastCode(t, phone)
    const fullWidth = [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('')
    for (const bad of [` ${code} `, `${code}\n`, fullWidth, code.slice(0, 5)]) {
      const r = await check(id, bad)
      expect(r.body.code).toBe('invalid_code')
    }
    expect((await verificationRow(id)).attempts).toBe(4)
    expect((await check(id, code)).body.status).toBe('approved')
  })
})

describe('account lockout across verifications', () => {
  it('T05 locks the account after 20 consecutive failures; resends and new verifications do not reset it', async () => {
    const phone = phoneNo(13)
    await registerByPhone(t, phone)
    let failures = 0
    let ip = 0
    while (failures < 20) {
      const id = await start(phone, 'login', `198.51.100.${++ip}`)
      t.clock.advance(31_000)
      expect((await t.call('POST', `/v1/verifications/${id}/resend`, {})).status).toBe(200)
      for (let i = 0; i < 5 && failures < 20; i++) {
        const r = await check(id, 'x')
        expect(r.body.code).toBe('invalid_code')
        failures++
      }
      t.clock.advance(5 * 60_000) // two messages a round: under 5 per number per 10 minutes
    }
    const id = await start(phone, 'login', '198.51.100.200')
    const sentBefore = (await t.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body
      .messages.length
    // The right code is refused like a wrong one: a login check does not show the lock.
    const r = await check(id, '123456')
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('invalid_code')
    // A locked account is sent nothing, yet the start answered 201 like any other.
    const sentAfter = (await t.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body
      .messages.length
    expect(sentAfter).toBe(sentBefore)
    t.clock.advance(15 * 60_000 + 1)
    const fresh = await start(phone, 'login', '198.51.100.201')
    expect((await check(fresh, await lastCode(t, phone))).body.status).toBe('approved')
  })
})

describe('expiry (injected clock)', () => {
  it('accepts a code just before its lifetime ends and refuses it just after', async () => {
    const a = phoneNo(14)
    const b = phoneNo(15)
    const idA = await start(a)
    const codeA = await lastCode(t, a)
    const idB = await start(b)
    const codeB = await lastCode(t, b)
    t.clock.advance(600_000 - 1000)
    expect((await check(idA, codeA)).body.status).toBe('approved')
    t.clock.advance(2000)
    const late = await check(idB, codeB)
    expect(late.status).toBe(410)
    expect(late.body.code).toBe('verification_expired')
  })
})

describe('single use', () => {
  it('refuses a replay of an approved code', async () => {
    const phone = phoneNo(16)
    const id = await start(phone)
    const code = await lastCode(t, phone)
    expect((await check(id, code)).body.status).toBe('approved')
    const again = await check(id, code)
    expect(again.status).toBe(409)
    expect(again.body.code).toBe('verification_used')
  })

  it('approves exactly one of 20 concurrent correct checks and issues one session', async () => {
    const phone = phoneNo(17)
    await registerByPhone(t, phone)
    const before = Number((await t.db.execute('SELECT count(*) AS n FROM sessions')).rows[0]!.n)
    const id = await start(phone, 'login')
    const code = await lastCode(t, phone)
    const results = await Promise.all(Array.from({ length: 20 }, () => check(id, code)))
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.every((r) => r.status === 200 || r.status === 409 || r.status === 429)).toBe(
      true,
    )
    const after = Number((await t.db.execute('SELECT count(*) AS n FROM sessions')).rows[0]!.n)
    expect(after - before).toBe(1)
  })
})

describe('binding', () => {
  it('never approves another verification or purpose with a code', async () => {
    const phone = phoneNo(18)
    const { session } = await registerByPhone(t, phone)
    const login = await start(phone, 'login')
    const loginCode = await lastCode(t, phone)
    const change = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'change_phone' },
      { authorization: `Bearer ${session.accessToken}` },
    )
    expect(change.status).toBe(201)
    const changeCode = await lastCode(t, phone)
    const r1 = await t.call(
      'POST',
      `/v1/verifications/${change.body.id}/check`,
      { code: loginCode },
      { authorization: `Bearer ${session.accessToken}` },
    )
    expect(loginCode === changeCode || r1.body.code === 'invalid_code').toBe(true)
    if (loginCode !== changeCode) expect(r1.status).toBe(400)
    const other = phoneNo(19)
    const otherId = await start(other)
    expect((await check(otherId, loginCode)).body.code).toBe(
      loginCode === (await lastCode(t, other)) ? undefined : 'invalid_code',
    )
    expect((await check(login, loginCode)).body.status).toBe('approved')
  })

  it('keeps an earlier code of the same verification working after a resend, and counts attempts together', async () => {
    const phone = phoneNo(20)
    const id = await start(phone)
    const first = await lastCode(t, phone)
    expect((await check(id, wrong(first))).body.attemptsLeft).toBe(4)
    t.clock.advance(30_000)
    const resent = await t.call('POST', `/v1/verifications/${id}/resend`, { channel: 'voice' })
    expect(resent.status).toBe(200)
    expect(resent.body.attemptsLeft).toBe(4)
    expect((await check(id, first)).body.status).toBe('approved')
  })

  it('refuses a resend before the cooldown, and grows the cooldown after each send', async () => {
    const phone = phoneNo(21)
    const id = await start(phone)
    const early = await t.call('POST', `/v1/verifications/${id}/resend`, {})
    expect(early.status).toBe(429)
    expect(Number(early.headers.get('retry-after'))).toBe(30)
    t.clock.advance(30_000)
    const r = await t.call('POST', `/v1/verifications/${id}/resend`, {})
    expect(Date.parse(r.body.resendAt) - t.clock.now).toBe(60_000)
  })
})

describe('enumeration', () => {
  it('answers a login to an unknown number like a known one, and sends nothing', async () => {
    const known = phoneNo(22)
    const unknown = phoneNo(23)
    await registerByPhone(t, known)
    const a = await t.call('POST', '/v1/verifications', { purpose: 'login', phone: known })
    const b = await t.call('POST', '/v1/verifications', { purpose: 'login', phone: unknown })
    expect(b.status).toBe(a.status)
    expect(Object.keys(b.body).sort()).toEqual(Object.keys(a.body).sort())
    expect([...b.headers.keys()].sort()).toEqual([...a.headers.keys()].sort())
    expect(b.body.to).toMatch(/^\+91•+\d{3}$/)
    const box = await t.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(unknown)}`)
    expect(box.body.messages).toHaveLength(0)
    const wrongA = await check(a.body.id, '12345x')
    const wrongB = await check(b.body.id, '12345x')
    expect(wrongB.status).toBe(wrongA.status)
    expect(wrongB.body).toEqual(wrongA.body)
  })
})

describe('limits', () => {
  it('allows 5 new verifications per phone per 10 minutes, then 429 with Retry-After and no send', async () => {
    const phone = phoneNo(24)
    for (let i = 0; i < 5; i++) await start(phone, 'register', `192.0.2.${i + 1}`)
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone },
      { 'x-forwarded-for': '192.0.2.99' },
    )
    expect(r.status).toBe(429)
    expect(r.body.code).toBe('rate_limited')
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
    const box = await t.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
    expect(box.body.messages).toHaveLength(5)
  })

  it('allows 30 starts per client address per 10 minutes', async () => {
    for (let i = 0; i < 30; i++) await start(phoneNo(100 + i), 'register', '192.0.2.50')
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone: phoneNo(200) },
      { 'x-forwarded-for': '192.0.2.50' },
    )
    expect(r.status).toBe(429)
    t.clock.advance(10 * 60_000 + 1)
    await start(phoneNo(200), 'register', '192.0.2.50')
  })

  it('allows 10 distinct numbers per destination prefix per hour', async () => {
    const prefix = '+91987650'
    for (let i = 0; i < 10; i++)
      await start(`${prefix}${String(1000 + i)}`, 'register', `192.0.2.${60 + i}`)
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone: `${prefix}2000` },
      { 'x-forwarded-for': '192.0.2.90' },
    )
    expect(r.status).toBe(429)
    expect(r.body.retryAfter).toBeGreaterThan(0)
  })

  it('stops after 5 sends per verification', async () => {
    const phone = phoneNo(25)
    const id = await start(phone)
    for (let i = 0; i < 4; i++) {
      t.clock.advance(30_000 * 2 ** i)
      expect((await t.call('POST', `/v1/verifications/${id}/resend`, {})).status).toBe(200)
    }
    t.clock.advance(600_000)
    const r = await t.call('POST', `/v1/verifications/${id}/resend`, {})
    expect([410, 429]).toContain(r.status)
  })
})

describe('codes at rest', () => {
  it('stores no code in plaintext outside the development outbox', async () => {
    const phone = phoneNo(26)
    const id = await start(phone)
    const code = await lastCode(t, phone)
    await check(id, code)
    for (const table of ['verifications', 'messages', 'audit', 'tickets', 'rate_events']) {
      const rows = await t.db.execute(`SELECT * FROM ${table}`)
      expect(JSON.stringify(rows.rows), table).not.toContain(code)
    }
    expect(t.logs.join('\n')).not.toContain(code)
    expect(t.logs.join('\n')).not.toContain(phone)
  })
})
