/**
 * SECURITY.md §8 T10, T14, T15, T16: replay, binding of a code to its verification, resends
 * (our decision differs from §8 here: a resend sends the same code, docs/security.md), and what
 * a pending-MFA ticket cannot do.
 */
import { describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, type TestApp } from '../../helpers/app.js'
import { bearer, enroll, expectProblem, outbox, signUp } from '../../helpers/extra.js'
import {
  checkV,
  ip,
  MINUTE,
  phoneWithTotp,
  sessionCount,
  settings,
  smsTicket,
  startV,
  totpAt,
  useApp,
  verificationRow,
  wrong,
} from './fixture.js'

const s = useApp()

async function started(t: TestApp, body: Record<string, unknown>, headers = {}) {
  const id = await startV(t, body, headers)
  const phone = body.phone as string | undefined
  return { id, code: phone ? await lastCode(t, phone) : '' }
}

describe('T10 sequential replay', () => {
  it('T10 an approved login code replayed by the same caller, and by another client holding the new session, is refused; one session issued', async () => {
    const { t } = s
    const phone = phoneNo(1)
    const { user } = await registerByPhone(t, phone)
    const before = await sessionCount(t, user.id)
    const v = await started(t, { purpose: 'login', phone }, ip(1))
    const ok = await checkV(t, v.id, v.code, ip(1))
    expect(ok.body.status).toBe('approved')
    expectProblem(await checkV(t, v.id, v.code, ip(1)), 409, 'verification_used')
    const other = { ...ip(2), ...bearer(ok.body.session.accessToken) }
    expectProblem(await checkV(t, v.id, v.code, other), 409, 'verification_used')
    expect(await sessionCount(t, user.id)).toBe(before + 1)
    expect(await verificationRow(t, v.id)).toMatchObject({ attempts: 1, approved: true })
  })

  it('T10 an approved register code replayed gives no second registration ticket', async () => {
    const { t } = s
    const phone = phoneNo(2)
    const v = await started(t, { purpose: 'register', phone })
    expect((await checkV(t, v.id, v.code)).body.registrationTicket).toMatch(/^reg_/)
    expectProblem(await checkV(t, v.id, v.code, ip(3)), 409, 'verification_used')
    const tickets = await t.db.execute(
      "SELECT count(*) AS n FROM tickets WHERE kind = 'registration'",
    )
    expect(Number(tickets.rows[0]!.n)).toBe(1)
  })
})

describe('T14 binding', () => {
  it('T14 a code is refused by any other verification: another purpose, another user, another verification of the same user', async () => {
    const { t } = s
    await settings(t, { codeLength: 10 }) // a chance match of two codes is then 1e-10
    const phoneA = phoneNo(3)
    const phoneB = phoneNo(4)
    const a = await registerByPhone(t, phoneA)
    const b = await registerByPhone(t, phoneB)
    const authA = bearer(a.session.accessToken)
    const loginA = await started(t, { purpose: 'login', phone: phoneA }, ip(1))
    const changeA = { id: await startV(t, { purpose: 'change_phone' }, authA), code: '' }
    changeA.code = await lastCode(t, phoneA)
    const loginA2 = await started(t, { purpose: 'login', phone: phoneA }, ip(2))
    const loginB = await started(t, { purpose: 'login', phone: phoneB }, ip(3))
    const codes = new Set([loginA.code, changeA.code, loginA2.code, loginB.code])
    expect(codes.size).toBe(4)
    // login → change_phone and back (cross-purpose)
    expectProblem(await checkV(t, changeA.id, loginA.code, authA), 400, 'invalid_code')
    expectProblem(await checkV(t, loginA.id, changeA.code), 400, 'invalid_code')
    // A's code to B's verification (cross-user), and B's session on A's change_phone
    expectProblem(await checkV(t, loginB.id, loginA.code), 400, 'invalid_code')
    const foreign = await checkV(t, changeA.id, changeA.code, bearer(b.session.accessToken))
    expectProblem(foreign, 403, 'forbidden')
    // verification 1's code to verification 2 of the same user
    expectProblem(await checkV(t, loginA2.id, loginA.code), 400, 'invalid_code')
    // Each code still opens its own verification (and only that one).
    expect((await checkV(t, loginA.id, loginA.code)).body.user.id).toBe(a.user.id)
    expect((await checkV(t, changeA.id, changeA.code, authA)).body.user.id).toBe(a.user.id)
    expect((await checkV(t, loginB.id, loginB.code)).body.user.id).toBe(b.user.id)
    expect((await checkV(t, loginA2.id, loginA2.code)).body.user.id).toBe(a.user.id)
    expect((await verificationRow(t, changeA.id)).attempts).toBe(2) // the forbidden check cost none
  })
})

describe('T15 resend (our decision: the same code again)', () => {
  it('T15 (decision differs from §8: same code re-sent) SMS and voice resends carry the identical code, the verification keeps one code hash, and it verifies once', async () => {
    const { t } = s
    const phone = phoneNo(5)
    const v = await started(t, { purpose: 'register', phone })
    const hash = (await verificationRow(t, v.id)).codeHash
    t.clock.advance(30_000)
    expect(
      (await t.call('POST', `/v1/verifications/${v.id}/resend`, { channel: 'voice' })).status,
    ).toBe(200)
    t.clock.advance(60_000)
    const sms = await t.call('POST', `/v1/verifications/${v.id}/resend`, { channel: 'sms' })
    expect(sms.status).toBe(200)
    const sent = (await outbox(t, phone)).reverse()
    expect(sent.map((m) => [m.channel, m.code])).toEqual([
      ['sms', v.code],
      ['voice', v.code],
      ['sms', v.code],
    ])
    // One live code: one hash column, unchanged by the resends (there is no list of codes).
    const columns = (await t.db.execute('PRAGMA table_info(verifications)')).rows.map((r) =>
      String(r.name),
    )
    expect(columns).toContain('code_hash')
    expect(columns.filter((c) => /code/.test(c))).toEqual(['code_hash', 'code_length'])
    expect((await verificationRow(t, v.id)).codeHash).toBe(hash)
    expect((await checkV(t, v.id, v.code)).body.status).toBe('approved')
    expectProblem(await checkV(t, v.id, v.code), 409, 'verification_used')
  })

  it('T15 attempts before and after a resend count together: 2 wrong, resend, 3 wrong, then the right code is refused', async () => {
    const { t } = s
    const phone = phoneNo(6)
    const v = await started(t, { purpose: 'register', phone })
    for (let i = 0; i < 2; i++) await checkV(t, v.id, wrong(v.code))
    t.clock.advance(30_000)
    const resent = await t.call('POST', `/v1/verifications/${v.id}/resend`, { channel: 'voice' })
    expect(resent.body.attemptsLeft).toBe(3)
    for (let left = 2; left >= 0; left--) {
      expect((await checkV(t, v.id, wrong(v.code))).body.attemptsLeft).toBe(left)
    }
    expectProblem(await checkV(t, v.id, v.code), 429, 'too_many_attempts')
    expect(await verificationRow(t, v.id)).toMatchObject({ attempts: 5, approved: false })
  })
})

describe('T16 pending-MFA abuse', () => {
  /** Every protected route with the mfa ticket where an access or refresh token belongs. */
  async function expectTicketGrantsNothing(t: TestApp, ticket: string) {
    const asBearer = bearer(ticket)
    const calls: [string, string, unknown][] = [
      ['GET', '/v1/me', undefined],
      ['GET', '/v1/me/backup-codes', undefined],
      ['POST', '/v1/me/backup-codes', undefined],
      ['POST', '/v1/me/totp', undefined],
      ['POST', '/v1/me/reauth', { backupCode: 'zzzz-zzzz-zzzz' }],
      ['POST', '/v1/verifications', { purpose: 'change_phone' }],
      ['POST', '/v1/verifications', { purpose: 'enroll', phone: phoneNo(90) }],
      ['POST', '/v1/verifications', { purpose: 'reauth' }],
      ['DELETE', '/v1/sessions/current', undefined],
    ]
    for (const [method, path, body] of calls) {
      const r = await t.call(method, path, body, asBearer)
      expect({ path, method, status: r.status }).toEqual({ path, method, status: 401 })
    }
    expectProblem(
      await t.call('POST', '/v1/sessions/refresh', { refreshToken: ticket }),
      401,
      'unauthorized',
    )
    const asTicket = await t.call('POST', '/v1/users', {
      registrationTicket: ticket,
      name: 'Eve',
      email: 'eve@example.com',
    })
    expect(asTicket.status).toBeGreaterThanOrEqual(400)
    expect(asTicket.status).toBeLessThan(500)
  }

  it('T16 after a password first factor the mfa ticket is no access token, refresh token or registration ticket', async () => {
    const { t } = s
    const email = 'pending@example.com'
    const { session, user } = await signUp(t, email)
    await enroll(t, session.accessToken, phoneNo(7))
    const r = await t.call('POST', '/v1/sessions', {
      email,
      password: 'correct horse battery staple',
    })
    expect(r.body.mfaRequired).toBe(true)
    await expectTicketGrantsNothing(t, r.body.mfaTicket)
    expect(await sessionCount(t, user.id)).toBe(1) // only the sign-up's
  })

  it('T16 after an SMS first factor the mfa ticket grants nothing either, and cannot ask for a second SMS', async () => {
    const { t } = s
    const phone = phoneNo(8)
    const { user } = await phoneWithTotp(t, phone)
    const ticket = await smsTicket(t, phone, 1)
    await expectTicketGrantsNothing(t, ticket)
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'mfa', mfaTicket: ticket }),
      403,
      'forbidden',
    )
    expect(await sessionCount(t, user.id)).toBe(1) // only the registration's
  })

  it('T16 the mfa ticket works until 10 minutes have passed, not after, and only once', async () => {
    const { t } = s
    const phone = phoneNo(9)
    const { secret } = await phoneWithTotp(t, phone)
    const early = await smsTicket(t, phone, 1)
    const late = await smsTicket(t, phone, 2)
    t.clock.advance(10 * MINUTE - 1000)
    const ok = await t.call('POST', '/v1/mfa/totp', {
      mfaTicket: early,
      code: totpAt(secret, t.clock.now),
    })
    expect(ok.status, ok.text).toBe(200)
    // Spent: refused even with the next step's code, which no sign-in has used.
    const again = await t.call('POST', '/v1/mfa/totp', {
      mfaTicket: early,
      code: totpAt(secret, t.clock.now + 30_000),
    })
    expectProblem(again, 401, 'unauthorized')
    t.clock.advance(2000)
    const expired = await t.call('POST', '/v1/mfa/totp', {
      mfaTicket: late,
      code: totpAt(secret, t.clock.now + 30_000),
    })
    expectProblem(expired, 401, 'unauthorized')
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'mfa', mfaTicket: late }),
      401,
      'unauthorized',
    )
  })
})
