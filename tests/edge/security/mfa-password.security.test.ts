/**
 * Issue 10, the two-step promise, as SECURITY.md §8 cases: the password as the second factor of an
 * SMS sign-in (`POST /v1/mfa/password`) is a different factor from the first (T16), draws on the
 * account's one guessing budget (T05), and holds under parallel guesses (T07).
 */
import { describe, expect, it } from 'vitest'
import { lastCode, phoneNo, type TestApp } from '../../helpers/app.js'
import { enroll, expectProblem, signUp } from '../../helpers/extra.js'
import {
  auditOutcomes,
  budget,
  checkV,
  count,
  evaluatedFailures,
  ip,
  MINUTE,
  sessionCount,
  startV,
  useApp,
  wrong,
} from './fixture.js'

const s = useApp()
const PASSWORD = 'correct horse battery staple'
const parallel = <T>(n: number, f: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => f(i)))

/** An email + password account with a verified phone; the clock then past the message cap. */
async function account(t: TestApp, phone: string) {
  const email = `a${phone.slice(-6)}@example.com`
  const { user, session } = await signUp(t, email, PASSWORD)
  await enroll(t, session.accessToken, phone)
  t.clock.advance(10 * MINUTE)
  return { user, email }
}

/** An SMS sign-in up to its approval: the mfa ticket of a code that is only a first factor. */
async function smsTicket(t: TestApp, phone: string, n: number): Promise<string> {
  const id = await startV(t, { purpose: 'login', phone }, ip(n))
  const r = await checkV(t, id, await lastCode(t, phone), ip(n))
  expect(r.body.methods, r.text).toEqual(['password'])
  return r.body.mfaTicket as string
}

const finish = (t: TestApp, mfaTicket: string, password: string, n = 0) =>
  t.call('POST', '/v1/mfa/password', { mfaTicket, password }, ip(200 + n))

describe('T16 the second factor is a different one', () => {
  it('T16 a ticket from a password sign-in cannot be finished with the password: 403, no attempt taken, nothing compared', async () => {
    const { t } = s
    const phone = phoneNo(1)
    const { user, email } = await account(t, phone)
    const pw = await t.call('POST', '/v1/sessions', { email, password: PASSWORD })
    expect(pw.body.methods).toEqual(['sms'])
    const before = await budget(t, user.id)
    for (const password of [PASSWORD, 'a wrong one']) {
      expectProblem(await finish(t, pw.body.mfaTicket, password), 403, 'forbidden')
    }
    expect(await budget(t, user.id)).toEqual(before)
    expect(await auditOutcomes(t, 'signin.mfa')).toEqual([])
    expect(await sessionCount(t, user.id)).toBe(1) // the sign-up's
    // The ticket is still good for the factor it asks for.
    const mfa = await startV(t, { purpose: 'mfa', mfaTicket: pw.body.mfaTicket }, ip(9))
    const ok = await checkV(t, mfa, await lastCode(t, phone))
    expect(ok.body.session.accessToken, ok.text).toBeTruthy()
  })

  it('T16 after an SMS code of an account with a password, nothing signs in but the password: no session, no second SMS', async () => {
    const { t } = s
    const phone = phoneNo(2)
    const { user } = await account(t, phone)
    const ticket = await smsTicket(t, phone, 1)
    expect(await sessionCount(t, user.id)).toBe(1)
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'mfa', mfaTicket: ticket }, ip(2)),
      403,
      'forbidden',
    )
    const ok = await finish(t, ticket, PASSWORD)
    expect(ok.status, ok.text).toBe(200)
    expect(await sessionCount(t, user.id)).toBe(2)
  })
})

describe('T05 the password after an SMS code draws on the account budget', () => {
  it('T05 the SMS code gives its own attempt back; earlier failures stay until the password succeeds', async () => {
    const { t } = s
    const phone = phoneNo(3)
    const { user } = await account(t, phone)
    const id = await startV(t, { purpose: 'login', phone }, ip(1))
    const code = await lastCode(t, phone)
    for (let i = 0; i < 2; i++) await checkV(t, id, wrong(code), ip(1))
    expect(await budget(t, user.id)).toMatchObject({ failed: 2, total: 2 })
    const first = await checkV(t, id, code, ip(1))
    expect(first.body.mfaRequired, first.text).toBe(true)
    expect(await budget(t, user.id)).toMatchObject({ failed: 2, total: 2 })
    expectProblem(
      await finish(t, first.body.mfaTicket, 'not the password'),
      401,
      'invalid_credentials',
    )
    expect(await budget(t, user.id)).toMatchObject({ failed: 3, total: 3 })
    expect((await finish(t, first.body.mfaTicket, PASSWORD)).status).toBe(200)
    expect(await budget(t, user.id)).toBeNull()
  })

  it('T05 wrong passwords count with the other factors: the 20th failure locks, the right password waits out the lock', async () => {
    const { t } = s
    const phone = phoneNo(4)
    const { user } = await account(t, phone)
    const ticket = await smsTicket(t, phone, 1)
    for (let i = 0; i < 19; i++)
      expectProblem(await finish(t, ticket, `wrong ${i}`), 401, 'invalid_credentials')
    expect(await budget(t, user.id)).toMatchObject({ failed: 19, total: 19 })
    expectProblem(await finish(t, ticket, 'wrong 19'), 401, 'invalid_credentials')
    expect((await budget(t, user.id))!.lockedUntil).toBeGreaterThan(t.clock.now)
    // Past the first factor, the lock is the caller's to know.
    expectProblem(await finish(t, ticket, PASSWORD), 429, 'rate_limited')
    // A login to the locked account sends nothing and answers its check like a wrong code.
    const id = await startV(t, { purpose: 'login', phone }, ip(2))
    expectProblem(await checkV(t, id, '000000', ip(2)), 400, 'invalid_code')
    t.clock.advance(15 * MINUTE + 1)
    const fresh = await smsTicket(t, phone, 3)
    expect((await finish(t, fresh, PASSWORD)).status).toBe(200)
  })
})

describe('T07 parallel wrong passwords on pending SMS sign-ins', () => {
  it('T07 50 parallel wrong passwords over 5 pending sign-ins evaluate 20; the right password is refused until the cool-down', async () => {
    const { t } = s
    const phone = phoneNo(5)
    const { user } = await account(t, phone)
    const tickets: string[] = []
    for (let i = 0; i < 5; i++) tickets.push(await smsTicket(t, phone, 10 + i))
    const results = await parallel(50, (i) => finish(t, tickets[i % 5]!, `wrong guess ${i}`, i))
    expect(count(results, 401, 'invalid_credentials')).toBe(20)
    expect(count(results, 429, 'rate_limited')).toBe(30)
    expect((await budget(t, user.id))!.total).toBe(20)
    expect(evaluatedFailures(await auditOutcomes(t, 'signin.mfa'))).toBe(20)
    expectProblem(await finish(t, tickets[0]!, PASSWORD, 60), 429, 'rate_limited')
    t.clock.advance(15 * MINUTE + 1)
    const ok = await finish(t, await smsTicket(t, phone, 20), PASSWORD, 61)
    expect(ok.status, ok.text).toBe(200)
    expect(await budget(t, user.id)).toBeNull()
  }, 180_000)
})
