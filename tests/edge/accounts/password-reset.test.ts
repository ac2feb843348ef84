/** Password reset by SMS (issue 14): start, check, POST /v1/password-resets; T20, T32. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TICKET_TTL_MS } from '../../../edge/limits/policy.js'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, enroll, expectProblem, fromAddress, outbox, signUp } from '../../helpers/extra.js'
import {
  auditRows,
  enableTotp,
  events,
  NEW_PASSWORD,
  PASSWORD,
  resetTicketFor,
  sentCount,
  totpAt,
} from './fixture.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const finish = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.call('POST', '/v1/password-resets', body, headers)
const start = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.call('POST', '/v1/verifications', { purpose: 'password_reset', ...body }, headers)
const refresh = (refreshToken: string) => t.call('POST', '/v1/sessions/refresh', { refreshToken })

describe('password reset by SMS', () => {
  it('sets the password, ends every session, signs in, notifies, audits and writes events', async () => {
    const phone = phoneNo(1)
    const first = await registerByPhone(t, phone, 'Asha', 'asha@example.com')
    const login = await t.call('POST', '/v1/verifications', { purpose: 'login', phone })
    const second = await t.call('POST', `/v1/verifications/${login.body.id}/check`, {
      code: await lastCode(t, phone),
    })
    expect(second.status, second.text).toBe(200)

    const v = await start({ phone: phone.replace('+91', '0'), country: 'IN' })
    expect(v.status, v.text).toBe(201)
    expect(v.body).toMatchObject({ purpose: 'password_reset', to: '+91•••••••' + phone.slice(-3) })
    const checked = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
      code: await lastCode(t, phone),
    })
    expect(checked.status, checked.text).toBe(200)
    expect(checked.body).toEqual({
      status: 'approved',
      resetTicket: expect.stringMatching(/^rst_/),
      methods: [],
    })

    const r = await finish({ resetTicket: checked.body.resetTicket, password: NEW_PASSWORD })
    expect(r.status, r.text).toBe(200)
    expect(r.body.user).toMatchObject({ id: first.user.id, hasPassword: true })
    expect(r.body.session.tokenType).toBe('Bearer')

    // Every earlier session has ended: access tokens and refresh tokens alike.
    for (const s of [first.session, second.body.session]) {
      expectProblem(
        await t.call('GET', '/v1/me', undefined, bearer(s.accessToken)),
        401,
        'unauthorized',
      )
      expectProblem(await refresh(s.refreshToken), 401, 'unauthorized')
    }
    expect(
      (await t.call('GET', '/v1/me', undefined, bearer(r.body.session.accessToken))).status,
    ).toBe(200)
    // The new password works (the phone is a second factor, as for any password sign-in).
    const signIn = await t.call('POST', '/v1/sessions', {
      email: 'asha@example.com',
      password: NEW_PASSWORD,
    })
    expect(signIn.body).toMatchObject({ mfaRequired: true })
    // Single use.
    expectProblem(
      await finish({ resetTicket: checked.body.resetTicket, password: NEW_PASSWORD }),
      401,
      'unauthorized',
    )

    const [notice] = await outbox(t, phone)
    expect(notice!.code).toBeNull()
    expect(notice!.body).toMatch(/password of your .* account was reset/)
    const revoked = await events(t, 'session.revoked')
    expect(revoked.map((e) => e.data)).toEqual(
      expect.arrayContaining(
        [first, second.body].map(() =>
          expect.objectContaining({ userId: first.user.id, reason: 'password_reset' }),
        ),
      ),
    )
    expect(revoked).toHaveLength(2)
    expect(await events(t, 'password.reset')).toEqual([
      { type: 'password.reset', data: { userId: first.user.id } },
    ])
    const audit = await auditRows(t, 'password.reset')
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ outcome: 'ok', user_id: first.user.id })
    const stored = JSON.stringify(await t.db.execute('SELECT * FROM audit'))
    expect(stored).not.toContain(NEW_PASSWORD)
    expect(stored).not.toContain(checked.body.resetTicket)
    expect(t.logs.join('\n')).not.toContain(NEW_PASSWORD)
  })

  it('by email: `to` is null, the code goes to the account’s phone', async () => {
    const phone = phoneNo(2)
    await registerByPhone(t, phone, 'Ravi', 'ravi@example.com')
    const v = await start({ email: 'RAVI@example.com' })
    expect(v.status, v.text).toBe(201)
    expect(v.body.to).toBeNull()
    const checked = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
      code: await lastCode(t, phone),
    })
    expect(checked.body.resetTicket).toMatch(/^rst_/)
    const resent = await t.call('POST', `/v1/verifications/${v.body.id}/resend`, {})
    expect([409, 429]).toContain(resent.status)
  })

  it('T20: an unknown number or email, or an account without a verified phone, answers alike and sends nothing', async () => {
    const phone = phoneNo(3)
    await registerByPhone(t, phone, 'Known', 'known@example.com')
    await signUp(t, 'nophone@example.com')
    const sent = await sentCount(t)
    const shape = (b: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v === null ? 'null' : typeof v]))
    const known = await start({ email: 'known@example.com' }, fromAddress(1))
    const sentKnown = await sentCount(t)
    expect(sentKnown).toBe(sent + 1)
    const answers = [
      await start({ email: 'nobody@example.com' }, fromAddress(2)),
      await start({ email: 'nophone@example.com' }, fromAddress(3)),
    ]
    for (const a of answers) {
      expect(a.status, a.text).toBe(201)
      expect(shape(a.body)).toEqual(shape(known.body))
      expect(a.body.to).toBeNull()
    }
    const byPhone = await start({ phone }, fromAddress(4))
    const unknown = await start({ phone: phoneNo(4) }, fromAddress(5))
    expect(unknown.status).toBe(201)
    expect(shape(unknown.body)).toEqual(shape(byPhone.body))
    expect(unknown.body.to).toMatch(/•/)
    expect(await sentCount(t)).toBe(sentKnown + 1)
    expect(await outbox(t, phoneNo(4))).toEqual([])
    // Their codes match nothing: a wrong code, like any.
    const check = await t.call('POST', `/v1/verifications/${unknown.body.id}/check`, {
      code: '123456',
    })
    expectProblem(check, 400, 'invalid_code')
  })

  it('T20: by email, the send limit is the same for an email with an account as without', async () => {
    const phone = phoneNo(13)
    await registerByPhone(t, phone, 'Lim', 'limit@example.com')
    const answers = async (email: string, base: number) => {
      const out: number[] = []
      for (let i = 0; i < 7; i++) out.push((await start({ email }, fromAddress(base + i))).status)
      return out
    }
    const known = await answers('limit@example.com', 10)
    const unknown = await answers('nolimit@example.com', 30)
    expect(known).toEqual(unknown)
    expect(known.filter((s) => s === 201).length).toBeGreaterThan(0)
    expect(known.at(-1)).toBe(429)
    // Only the starts within the limit sent a code.
    expect((await outbox(t, phone)).filter((m) => m.code).length).toBe(
      1 + known.filter((s) => s === 201).length,
    )
  })

  it('asks for exactly one of phone and email', async () => {
    expectProblem(await start({}), 400, 'invalid_request')
    expectProblem(
      await start({ phone: phoneNo(5), email: 'a@example.com' }),
      400,
      'invalid_request',
    )
    expectProblem(await start({ email: 'not an email' }), 400, 'invalid_request')
  })

  it('refuses a short, common or weak password and keeps the ticket usable', async () => {
    const phone = phoneNo(6)
    await registerByPhone(t, phone)
    const { resetTicket } = await resetTicketFor(t, phone)
    for (const password of ['short', 'password1', 'qwertyuiop', 'aaaaaaaaaa', 'x'.repeat(129)]) {
      const r = await finish({ resetTicket, password })
      expectProblem(r, 400, 'invalid_request')
      expect(r.body.errors[0].path).toBe('password')
    }
    expect((await finish({ resetTicket, password: NEW_PASSWORD })).status).toBe(200)
  })

  it('a ticket is single use under 20 concurrent requests', async () => {
    const phone = phoneNo(7)
    await registerByPhone(t, phone)
    const { resetTicket } = await resetTicketFor(t, phone)
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => finish({ resetTicket, password: NEW_PASSWORD })),
    )
    const statuses = answers.map((a) => a.status).sort()
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.filter((s) => s === 401)).toHaveLength(19)
    expect(await events(t, 'password.reset')).toHaveLength(1)
    const live = await t.db.execute('SELECT count(*) AS n FROM sessions WHERE revoked_at IS NULL')
    expect(Number(live.rows[0]!.n)).toBe(1)
  })

  it('a ticket expires after 10 minutes; an unknown one is refused', async () => {
    const phone = phoneNo(8)
    await registerByPhone(t, phone)
    const { resetTicket } = await resetTicketFor(t, phone)
    t.clock.advance(TICKET_TTL_MS + 1)
    expectProblem(await finish({ resetTicket, password: NEW_PASSWORD }), 401, 'unauthorized')
    expectProblem(
      await finish({ resetTicket: 'rst_forged', password: NEW_PASSWORD }),
      401,
      'unauthorized',
    )
  })

  it('a disabled account starts like any other but cannot finish', async () => {
    const phone = phoneNo(9)
    const { user } = await registerByPhone(t, phone)
    expect((await t.admin('PATCH', `/v1/admin/users/${user.id}`, { disabled: true })).status).toBe(
      200,
    )
    const v = await start({ phone })
    expect(v.status).toBe(201)
    const checked = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
      code: await lastCode(t, phone),
    })
    expect(checked.status, checked.text).toBe(200)
    expectProblem(
      await finish({ resetTicket: checked.body.resetTicket, password: NEW_PASSWORD }),
      401,
      'unauthorized',
    )
  })
})

describe('T32: a reset does not bypass a second factor', () => {
  it('an account with TOTP needs a TOTP or backup code; wrong ones count in the budget', async () => {
    const phone = phoneNo(10)
    const { user, session } = await registerByPhone(t, phone)
    const seed = await enableTotp(t, session.accessToken)
    const backup = await t.call(
      'POST',
      '/v1/me/backup-codes',
      undefined,
      bearer(session.accessToken),
    )
    expect(backup.status, backup.text).toBe(201)
    const checked = await resetTicketFor(t, phone)
    expect(checked.methods).toEqual(['totp', 'backup_code'])
    const { resetTicket } = checked

    // A stolen phone (or session) alone cannot set a password on this account.
    const none = await finish({ resetTicket, password: NEW_PASSWORD })
    expectProblem(none, 403, 'reauthentication_required')
    expect(none.body.methods).toEqual(['totp', 'backup_code'])
    const wrong = await finish({ resetTicket, password: NEW_PASSWORD, totpCode: '000000' })
    expectProblem(wrong, 401, 'invalid_credentials')
    const budget = await t.db.execute({
      sql: 'SELECT failed FROM guess_budgets WHERE subject = ?',
      args: [user.id],
    })
    expect(Number(budget.rows[0]!.failed)).toBeGreaterThanOrEqual(1)
    expectProblem(
      await finish({ resetTicket, password: NEW_PASSWORD, backupCode: 'AAAA-BBBB' }),
      401,
      'invalid_credentials',
    )
    // The ticket survived every refusal; the right TOTP code finishes, the factor stays on.
    t.clock.advance(30_000)
    const ok = await finish({
      resetTicket,
      password: NEW_PASSWORD,
      totpCode: totpAt(seed, t.clock.now),
    })
    expect(ok.status, ok.text).toBe(200)
    expect(ok.body.user.twoStep.totp).toBe(true)
  })

  it('after the guessing budget, wrong codes lock the account as elsewhere', async () => {
    const phone = phoneNo(11)
    const { session } = await registerByPhone(t, phone)
    const seed = await enableTotp(t, session.accessToken)
    const { resetTicket } = await resetTicketFor(t, phone)
    let last = await finish({ resetTicket, password: NEW_PASSWORD, totpCode: '000000' })
    for (let i = 0; i < 25 && last.status !== 429; i++)
      last = await finish({ resetTicket, password: NEW_PASSWORD, totpCode: '000000' })
    expectProblem(last, 429, 'rate_limited')
    t.clock.advance(30_000)
    const locked = await finish({
      resetTicket,
      password: NEW_PASSWORD,
      totpCode: totpAt(seed, t.clock.now),
    })
    expectProblem(locked, 429, 'rate_limited')
  })

  it('a password-and-phone account by enrolment: the reset proves the phone only, then signs in', async () => {
    const { session } = await signUp(t, 'both@example.com', PASSWORD)
    const phone = phoneNo(12)
    await enroll(t, session.accessToken, phone)
    const { resetTicket, methods } = await resetTicketFor(t, phone)
    expect(methods).toEqual([])
    const r = await finish({ resetTicket, password: NEW_PASSWORD })
    expect(r.status, r.text).toBe(200)
    const old = await t.call('POST', '/v1/sessions', {
      email: 'both@example.com',
      password: PASSWORD,
    })
    expectProblem(old, 401, 'invalid_credentials')
  })
})
