/**
 * SECURITY.md §8 T07, T11, T12: parallel requests. The rule of the issue: N parallel wrong guesses
 * of any factor never evaluate more than the budget allows (at most 20 per lock cycle per
 * account), because the budget is taken in one guarded statement before the secret is compared;
 * and of N parallel right answers exactly one wins.
 */
import { describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, type Res, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem, signUp } from '../../helpers/extra.js'
import {
  auditOutcomes,
  backupCodes,
  budget,
  checkV,
  count,
  evaluatedFailures,
  ip,
  MINUTE,
  numberBudget,
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
const parallel = <T>(n: number, f: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => f(i)))

/** 20 of the parallel guesses were compared and failed; the rest were refused with 429. */
function expectTwentyEvaluated(results: Res[], wrongCode: string) {
  expect(count(results, 401, wrongCode)).toBe(20)
  expect(count(results, 429, 'rate_limited')).toBe(results.length - 20)
}

/** Six-digit codes that are none of the three a TOTP secret accepts at `now`. */
function wrongTotps(secret: string, now: number, n: number): string[] {
  const live = new Set([-30_000, 0, 30_000].map((d) => totpAt(secret, now + d)))
  const out: string[] = []
  for (let i = 0; out.length < n; i++) {
    const c = String((123_457 + i * 7919) % 1_000_000).padStart(6, '0')
    if (!live.has(c)) out.push(c)
  }
  return out
}

describe('T07 parallel wrong guesses', () => {
  it('T07 100 parallel wrong guesses against one verification evaluate at most 5', async () => {
    const { t } = s
    const phone = phoneNo(1)
    const id = await startV(t, { purpose: 'register', phone })
    const code = await lastCode(t, phone)
    const results = await parallel(100, (i) => checkV(t, id, wrong(code), ip(i)))
    expect(count(results, 400, 'invalid_code')).toBe(5)
    expect(count(results, 429, 'too_many_attempts')).toBe(95)
    expect(await verificationRow(t, id)).toMatchObject({ attempts: 5, approved: false })
    // The number's budget saw exactly the 5 compared guesses.
    expect((await numberBudget(t))!.total).toBe(5)
    expectProblem(await checkV(t, id, code), 429, 'too_many_attempts')
  })

  it('T07 52 parallel wrong SMS codes over 4 verifications of one account evaluate 20; a right code is refused until the cool-down', async () => {
    const { t } = s
    const phone = phoneNo(2)
    const { user } = await registerByPhone(t, phone)
    await settings(t, { maxAttempts: 10 })
    t.clock.advance(10 * MINUTE)
    const vs: { id: string; code: string }[] = []
    for (let i = 0; i < 5; i++) {
      const id = await startV(t, { purpose: 'login', phone }, ip(i))
      vs.push({ id, code: await lastCode(t, phone) })
    }
    const results = await parallel(52, (i) => {
      const v = vs[i % 4]!
      return checkV(t, v.id, wrong(v.code), ip(100 + i))
    })
    // 40 attempts reserved on the 4 verifications (all answered invalid_code, the lock being
    // invisible to a login), 12 past their cap; of the 40, exactly 20 were compared.
    expect(count(results, 400, 'invalid_code')).toBe(40)
    expect(count(results, 429, 'too_many_attempts')).toBe(12)
    expect((await budget(t, user.id))!.total).toBe(20)
    const outcomes = (await auditOutcomes(t, 'verification.check')).filter((o) => o !== 'approved')
    expect(evaluatedFailures(outcomes)).toBe(20)
    expectProblem(await checkV(t, vs[4]!.id, vs[4]!.code), 400, 'invalid_code')
    t.clock.advance(15 * MINUTE + 1)
    const id = await startV(t, { purpose: 'login', phone }, ip(99))
    expect((await checkV(t, id, await lastCode(t, phone))).body.status).toBe('approved')
  })

  it('T07 50 parallel wrong TOTP codes (step-up) evaluate 20; the right code is refused until the cool-down', async () => {
    const { t } = s
    const { user, session, secret } = await phoneWithTotp(t, phoneNo(3))
    t.clock.advance(60_000)
    const codes = wrongTotps(secret, t.clock.now, 50)
    const auth = bearer(session.accessToken)
    const results = await parallel(50, (i) =>
      t.call('POST', '/v1/me/reauth', { totpCode: codes[i] }, auth),
    )
    expectTwentyEvaluated(results, 'invalid_credentials')
    expect((await budget(t, user.id))!.total).toBe(20)
    const right = await t.call(
      'POST',
      '/v1/me/reauth',
      { totpCode: totpAt(secret, t.clock.now) },
      auth,
    )
    expectProblem(right, 429, 'rate_limited')
    t.clock.advance(15 * MINUTE + 1)
    const refreshed = await t.call('POST', '/v1/sessions/refresh', {
      refreshToken: session.refreshToken,
    })
    const ok = await t.call(
      'POST',
      '/v1/me/reauth',
      { totpCode: totpAt(secret, t.clock.now) },
      bearer(refreshed.body.session.accessToken),
    )
    expect(ok.status, ok.text).toBe(200)
    expect(await budget(t, user.id)).toBeNull()
  })

  it('T07 50 parallel wrong backup codes over 5 pending sign-ins evaluate 20; the right code is refused until the cool-down', async () => {
    const { t } = s
    const phone = phoneNo(4)
    const { user, session } = await phoneWithTotp(t, phone)
    const codes = await backupCodes(t, session.accessToken)
    t.clock.advance(10 * MINUTE)
    const tickets: string[] = []
    for (let i = 0; i < 5; i++) tickets.push(await smsTicket(t, phone, i))
    const results = await parallel(50, (i) =>
      t.call('POST', '/v1/mfa/backup-code', {
        mfaTicket: tickets[i % 5],
        code: `zzzz-zzzz-${String(1000 + i)}`,
      }),
    )
    expectTwentyEvaluated(results, 'invalid_credentials')
    expect((await budget(t, user.id))!.total).toBe(20)
    const right = await t.call('POST', '/v1/mfa/backup-code', {
      mfaTicket: tickets[0],
      code: codes[0],
    })
    expectProblem(right, 429, 'rate_limited')
    expect(
      (await t.call('GET', '/v1/me/backup-codes', undefined, bearer(session.accessToken))).body,
    ).toEqual({ remaining: 10 })
    t.clock.advance(15 * MINUTE + 1)
    const ticket = await smsTicket(t, phone, 9)
    const ok = await t.call('POST', '/v1/mfa/backup-code', { mfaTicket: ticket, code: codes[0] })
    expect(ok.status, ok.text).toBe(200)
    expect(ok.body.user.twoStep.backupCodesRemaining).toBe(9)
  })

  it('T07 50 parallel wrong passwords from 50 addresses evaluate 20; the right password then fails like a wrong one until the cool-down', async () => {
    const { t } = s
    const email = 'parallel@example.com'
    const password = 'correct horse battery staple'
    const { user } = await signUp(t, email, password)
    const results = await parallel(50, (i) =>
      t.call('POST', '/v1/sessions', { email, password: `wrong guess ${i}` }, ip(i)),
    )
    // A refused guess answers exactly like a wrong one (docs/security.md, enumeration).
    expect(count(results, 401, 'invalid_credentials')).toBe(50)
    expect((await budget(t, user.id))!.total).toBe(20)
    expect(evaluatedFailures(await auditOutcomes(t, 'signin.password'))).toBe(20)
    const locked = await t.call('POST', '/v1/sessions', { email, password }, ip(60))
    expectProblem(locked, 401, 'invalid_credentials')
    expect(locked.body).toEqual(results[0]!.body)
    t.clock.advance(15 * MINUTE + 1)
    const ok = await t.call('POST', '/v1/sessions', { email, password }, ip(61))
    expect(ok.status, ok.text).toBe(200)
    expect(ok.body.session.accessToken).toBeTruthy()
  }, 180_000)
})

/** Starts a login to `phone` and reads its code. */
async function login(t: TestApp, phone: string, n: number) {
  const id = await startV(t, { purpose: 'login', phone }, ip(n))
  return { id, code: await lastCode(t, phone) }
}

describe('T11 parallel correct codes', () => {
  it('T11 50 parallel checks with the right code approve exactly one and create one session row', async () => {
    const { t } = s
    const phone = phoneNo(5)
    const { user } = await registerByPhone(t, phone)
    const before = await sessionCount(t, user.id)
    const v = await login(t, phone, 1)
    const results = await parallel(50, (i) => checkV(t, v.id, v.code, ip(10 + i)))
    expect(count(results, 200)).toBe(1)
    expect(results.every((r) => r.status === 200 || r.status === 409 || r.status === 429)).toBe(
      true,
    )
    expect(
      count(results, 409, 'verification_used') + count(results, 429, 'too_many_attempts'),
    ).toBe(49)
    expect(await sessionCount(t, user.id)).toBe(before + 1)
    const winner = results.find((r) => r.status === 200)!
    const me = await t.call('GET', '/v1/me', undefined, bearer(winner.body.session.accessToken))
    expect(me.body.user.id).toBe(user.id)
  })
})

describe('T12 backup-code double spend', () => {
  it('T12 50 parallel uses of one backup code over 5 pending sign-ins: one success, one session, remaining 10 → 9', async () => {
    const { t } = s
    const phone = phoneNo(6)
    const { user, session } = await phoneWithTotp(t, phone)
    const codes = await backupCodes(t, session.accessToken)
    t.clock.advance(10 * MINUTE)
    const tickets: string[] = []
    for (let i = 0; i < 5; i++) tickets.push(await smsTicket(t, phone, i))
    const before = await sessionCount(t, user.id)
    const results = await parallel(50, (i) =>
      t.call('POST', '/v1/mfa/backup-code', { mfaTicket: tickets[i % 5], code: codes[3] }),
    )
    expect(count(results, 200)).toBe(1)
    expect(results.every((r) => [200, 401, 429].includes(r.status))).toBe(true)
    // The sign-in's answer counts the code it spent.
    expect(results.find((r) => r.status === 200)!.body.user.twoStep.backupCodesRemaining).toBe(9)
    expect(await sessionCount(t, user.id)).toBe(before + 1)
    const left = await t.call('GET', '/v1/me/backup-codes', undefined, bearer(session.accessToken))
    expect(left.body.remaining).toBe(9)
    const used = await t.db.execute({
      sql: 'SELECT count(*) AS n FROM backup_codes WHERE user_id = ? AND used_at IS NOT NULL',
      args: [user.id],
    })
    expect(Number(used.rows[0]!.n)).toBe(1)
  })
})
