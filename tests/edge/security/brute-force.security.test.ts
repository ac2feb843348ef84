/**
 * SECURITY.md §8 T04–T06: the per-verification cap, the account's (and the number's) budget of
 * consecutive failures across resends, verifications and lock periods, and guessing spread over
 * many addresses. "Evaluated" is read from the database: `guess_budgets.total` counts every guess
 * that was compared, and the audit tells compared guesses from refused ones.
 */
import { describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem, outbox } from '../../helpers/extra.js'
import {
  auditOutcomes,
  backupCodes,
  budget,
  checkV,
  evaluatedFailures,
  HOUR,
  ip,
  MINUTE,
  numberBudget,
  sessionCount,
  settings,
  startV,
  useApp,
  verificationRow,
  wrong,
} from './fixture.js'

const s = useApp()

/** Starts `n` verifications to `phone` (each from its own address) and reads their codes. */
async function several(t: TestApp, purpose: string, phone: string, n: number, from = 0) {
  const out: { id: string; code: string }[] = []
  for (let i = 0; i < n; i++) {
    const id = await startV(t, { purpose, phone }, ip(from + i))
    out.push({ id, code: await lastCode(t, phone) })
  }
  return out
}

describe('T04 per-verification cap', () => {
  it('T04 after 5 wrong codes the verification is dead: the right code gets the same too_many_attempts as a wrong one', async () => {
    const { t } = s
    const phone = phoneNo(1)
    const [v] = await several(t, 'register', phone, 1)
    for (let left = 4; left >= 0; left--) {
      const r = await checkV(t, v!.id, wrong(v!.code))
      expectProblem(r, 400, 'invalid_code')
      expect(r.body.attemptsLeft).toBe(left)
    }
    const right = await checkV(t, v!.id, v!.code)
    const wrongAgain = await checkV(t, v!.id, wrong(v!.code))
    expectProblem(right, 429, 'too_many_attempts')
    expect(right.body).toEqual(wrongAgain.body)
    expect(await verificationRow(t, v!.id)).toMatchObject({ attempts: 5, approved: false })
    // Nor can it be revived by asking for the code again.
    t.clock.advance(30_000)
    expectProblem(
      await t.call('POST', `/v1/verifications/${v!.id}/resend`, {}),
      429,
      'too_many_attempts',
    )
    expect(await outbox(t, phone)).toHaveLength(1)
  })
})

describe('T05 account budget', () => {
  it('T05 20 failures across resends and verifications lock the account invisibly (a right login code answers invalid_code); a success resets', async () => {
    const { t } = s
    const phone = phoneNo(2)
    const { user } = await registerByPhone(t, phone)
    t.clock.advance(10 * MINUTE) // the registration's message leaves the number's cap
    // 5 messages per number per 10 minutes: v1 and its resend, v2, v3 now; v4 5 minutes later.
    const [v1, v2, v3] = await several(t, 'login', phone, 3)
    t.clock.advance(30_000)
    expect((await t.call('POST', `/v1/verifications/${v1!.id}/resend`, {})).status).toBe(200)
    for (const [i, v] of [v1!, v2!, v3!].entries()) {
      for (let k = 0; k < 5; k++) expectProblem(await checkV(t, v.id, 'x'), 400, 'invalid_code')
      expect((await budget(t, user.id))!.failed).toBe(5 * (i + 1))
    }
    t.clock.advance(5 * MINUTE)
    const v4 = (await several(t, 'login', phone, 1, 3))[0]!
    for (let k = 0; k < 4; k++) await checkV(t, v4.id, wrong(v4.code))
    expect(await budget(t, user.id)).toMatchObject({ failed: 19, total: 19, lockedUntil: 0 })
    t.clock.advance(5 * MINUTE) // v1's message leaves the cap; v4 is still live
    const v5 = (await several(t, 'login', phone, 1, 4))[0]!
    // The 20th failure locks; the right code of a live verification is then refused like a
    // wrong one (its attempt is spent all the same).
    await checkV(t, v4.id, wrong(v4.code))
    expect((await budget(t, user.id))!.lockedUntil).toBe(t.clock.now + 15 * MINUTE)
    const refused = await checkV(t, v5.id, v5.code)
    expectProblem(refused, 400, 'invalid_code')
    expect(refused.body.attemptsLeft).toBe(4)
    expect((await budget(t, user.id))!.total).toBe(20) // the right code was not compared
    expect((await auditOutcomes(t, 'verification.check'))[0]).toBe('locked_refused')
    // A new login start answers 201 like any other, and sends nothing while the lock holds.
    t.clock.advance(MINUTE)
    const sent = (await outbox(t, phone)).length
    const silent = await startV(t, { purpose: 'login', phone }, ip(20))
    expect(await outbox(t, phone)).toHaveLength(sent)
    expectProblem(await checkV(t, silent, v5.code), 400, 'invalid_code')
    // After the cool-down a right code signs in and clears the count: the next failure is the 1st.
    t.clock.advance(14 * MINUTE + 1)
    const after = (await several(t, 'login', phone, 1, 30))[0]!
    expect((await checkV(t, after.id, after.code)).body.status).toBe('approved')
    expect(await budget(t, user.id)).toBeNull()
    const next = (await several(t, 'login', phone, 1, 31))[0]!
    await checkV(t, next.id, wrong(next.code))
    expect(await budget(t, user.id)).toMatchObject({ failed: 1, total: 1 })
  })

  it('T05 lock periods do not reset the budget: after 100 failures over 5 lock cycles nothing is evaluated, even hours later, until an admin unlocks', async () => {
    const { t } = s
    const phone = phoneNo(3)
    const { user, session } = await registerByPhone(t, phone)
    const codes = await backupCodes(t, session.accessToken)
    await settings(t, { maxAttempts: 10 })
    const locks = [15 * MINUTE, HOUR, HOUR, HOUR]
    for (let cycle = 0; cycle < 5; cycle++) {
      t.clock.advance(cycle === 0 ? 10 * MINUTE : locks[cycle - 1]! + 1)
      for (const v of await several(t, 'login', phone, 2, cycle * 2)) {
        for (let k = 0; k < 10; k++) {
          expectProblem(await checkV(t, v.id, wrong(v.code)), 400, 'invalid_code')
        }
      }
      const b = (await budget(t, user.id))!
      expect(b.total).toBe(20 * (cycle + 1))
      if (cycle < 4) expect(b.lockedUntil - t.clock.now).toBe(locks[cycle])
      else expect(b.lockedUntil).toBeGreaterThan(t.clock.now + 1000 * 365 * 24 * HOUR)
    }
    // Six hours later: a login start sends nothing, a check and a right backup code are refused
    // without being compared (the total stays 100 and the code stays unspent).
    t.clock.advance(6 * HOUR)
    const sent = (await outbox(t, phone)).length
    const silent = await startV(t, { purpose: 'login', phone }, ip(50))
    expect(await outbox(t, phone)).toHaveLength(sent)
    expectProblem(await checkV(t, silent, '123456'), 400, 'invalid_code')
    const refresh = await t.call('POST', '/v1/sessions/refresh', {
      refreshToken: session.refreshToken,
    })
    const token = refresh.body.session.accessToken as string
    const reauth = await t.call('POST', '/v1/me/reauth', { backupCode: codes[0] }, bearer(token))
    expectProblem(reauth, 429, 'rate_limited')
    expect((await budget(t, user.id))!.total).toBe(100)
    expect((await t.call('GET', '/v1/me/backup-codes', undefined, bearer(token))).body).toEqual({
      remaining: 10,
    })
    // The admin unlocks; then a right code signs in.
    expect((await t.admin('POST', `/v1/admin/users/${user.id}/unlock`)).status).toBe(200)
    expect(await budget(t, user.id)).toBeNull()
    const v = (await several(t, 'login', phone, 1, 60))[0]!
    const ok = await checkV(t, v.id, v.code)
    expect(ok.body.status, ok.text).toBe('approved')
    expect(ok.body.user.id).toBe(user.id)
  }, 120_000)

  it('T05 a number without an account has the same budget: 20 failures lock it (its right register code is refused), other numbers are unaffected', async () => {
    const { t } = s
    const phone = phoneNo(4)
    const vs = await several(t, 'register', phone, 5)
    for (const v of vs.slice(0, 4)) {
      for (let k = 0; k < 5; k++) await checkV(t, v.id, wrong(v.code))
    }
    expect(await numberBudget(t)).toMatchObject({
      total: 20,
      lockedUntil: t.clock.now + 15 * MINUTE,
    })
    const refused = await checkV(t, vs[4]!.id, vs[4]!.code)
    expectProblem(refused, 400, 'invalid_code')
    expect((await numberBudget(t))!.total).toBe(20)
    expect(await verificationRow(t, vs[4]!.id)).toMatchObject({ attempts: 1, approved: false })
    // Another number registers as usual.
    const other = (await several(t, 'register', phoneNo(5), 1, 10))[0]!
    expect((await checkV(t, other.id, other.code)).body.registrationTicket).toMatch(/^reg_/)
    // The locked number is sent nothing while the lock holds, though the start answers 201.
    t.clock.advance(10 * MINUTE)
    const silent = await startV(t, { purpose: 'register', phone }, ip(20))
    expect(await outbox(t, phone)).toHaveLength(5)
    expectProblem(await checkV(t, silent, vs[4]!.code), 400, 'invalid_code')
  })
})

describe('T06 distributed guessing', () => {
  it('T06 50 addresses, 2 embedding sites and 5 verifications of one account evaluate 20 guesses in all; the right codes are then refused', async () => {
    const { t } = s
    const phone = phoneNo(6)
    const { user } = await registerByPhone(t, phone)
    const sites = ['https://shop.example', 'https://news.example']
    await settings(t, { maxAttempts: 10, allowedOrigins: sites })
    t.clock.advance(10 * MINUTE)
    const vs = await several(t, 'login', phone, 5, 100)
    const sessionsBefore = await sessionCount(t, user.id)
    const from = (n: number) => ({ ...ip(n), origin: sites[n % 2]! })
    for (let n = 0; n < 45; n++) {
      const v = vs[n % 5]!
      const r = await checkV(t, v.id, wrong(v.code), from(n))
      expectProblem(r, 400, 'invalid_code')
    }
    for (const [i, v] of vs.entries()) {
      expectProblem(await checkV(t, v.id, v.code, from(45 + i)), 400, 'invalid_code')
    }
    expect(await budget(t, user.id)).toMatchObject({ total: 20, lockouts: 1 })
    const all = await auditOutcomes(t, 'verification.check')
    expect(all.filter((o) => o === 'approved')).toHaveLength(1) // the registration only
    const outcomes = all.filter((o) => o !== 'approved')
    expect(outcomes).toHaveLength(50)
    expect(evaluatedFailures(outcomes)).toBe(20)
    expect(outcomes.filter((o) => o === 'locked_refused')).toHaveLength(30)
    for (const v of vs) expect(await verificationRow(t, v.id)).toMatchObject({ approved: false })
    expect(await sessionCount(t, user.id)).toBe(sessionsBefore)
  })
})
