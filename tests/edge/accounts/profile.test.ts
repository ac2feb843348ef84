/** PUT /v1/me/password and PATCH /v1/me (issue 14). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { REAUTH_WINDOW_MS } from '../../../edge/limits/policy.js'
import { phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, enroll, expectProblem, outbox, signUp } from '../../helpers/extra.js'
import { auditRows, events, NEW_PASSWORD, PASSWORD } from './fixture.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const put = (token: string, body: Record<string, unknown>) =>
  t.call('PUT', '/v1/me/password', body, bearer(token))
const patch = (token: string, body: Record<string, unknown>) =>
  t.call('PATCH', '/v1/me', body, bearer(token))
const signIn = async (email: string, password = PASSWORD) => {
  const r = await t.call('POST', '/v1/sessions', { email, password })
  expect(r.status, r.text).toBe(200)
  return r.body.session as { accessToken: string; refreshToken: string }
}
const stale = () => t.clock.advance(REAUTH_WINDOW_MS + 1)

describe('PUT /v1/me/password', () => {
  it('changes it with the current password, ends every other session, audits, events', async () => {
    const { user, session } = await signUp(t, 'pw@example.com')
    const other = await signIn('pw@example.com')
    stale()
    const r = await put(session.accessToken, { password: NEW_PASSWORD, currentPassword: PASSWORD })
    expect(r.status, r.text).toBe(200)
    expect(r.body.user).toMatchObject({ id: user.id, hasPassword: true })
    // This session goes on; the other one has ended, refresh token and access token.
    expect((await t.call('GET', '/v1/me', undefined, bearer(session.accessToken))).status).toBe(200)
    expectProblem(
      await t.call('GET', '/v1/me', undefined, bearer(other.accessToken)),
      401,
      'unauthorized',
    )
    expectProblem(
      await t.call('POST', '/v1/sessions/refresh', { refreshToken: other.refreshToken }),
      401,
      'unauthorized',
    )
    await signIn('pw@example.com', NEW_PASSWORD)
    expect(await events(t, 'user.updated')).toEqual([
      { type: 'user.updated', data: { userId: user.id, fields: ['password'] } },
    ])
    const revoked = await events(t, 'session.revoked')
    expect(revoked).toHaveLength(1)
    expect(revoked[0]!.data).toMatchObject({ userId: user.id, reason: 'password_change' })
    const [row] = await auditRows(t, 'password.change')
    expect(row).toMatchObject({ outcome: 'ok', user_id: user.id })
    const audit = JSON.stringify((await t.db.execute('SELECT * FROM audit')).rows)
    expect(audit).not.toContain(NEW_PASSWORD)
    expect(audit).not.toContain(PASSWORD)
  })

  it('refuses a wrong current password (invalid_credentials, counted) and a weak new one', async () => {
    const { user, session } = await signUp(t, 'wrong@example.com')
    stale()
    expectProblem(
      await put(session.accessToken, { password: NEW_PASSWORD, currentPassword: 'not it at all' }),
      401,
      'invalid_credentials',
    )
    const budget = await t.db.execute({
      sql: 'SELECT failed FROM guess_budgets WHERE subject = ?',
      args: [user.id],
    })
    expect(Number(budget.rows[0]!.failed)).toBe(1)
    const weak = await put(session.accessToken, {
      password: 'password1',
      currentPassword: PASSWORD,
    })
    expectProblem(weak, 400, 'invalid_request')
    expect(weak.body.errors[0].path).toBe('password')
    // Nothing changed: the old password still signs in.
    await signIn('wrong@example.com')
  })

  it('without the current password needs a fresh step-up', async () => {
    const { session } = await signUp(t, 'fresh@example.com')
    expect((await put(session.accessToken, { password: NEW_PASSWORD })).status).toBe(200)
    stale()
    const r = await put(session.accessToken, { password: 'a different passphrase 9' })
    expectProblem(r, 403, 'reauthentication_required')
    expect(r.body.methods).toContain('password')
    const proof = await t.call(
      'POST',
      '/v1/me/reauth',
      { password: NEW_PASSWORD },
      bearer(session.accessToken),
    )
    expect(proof.status, proof.text).toBe(200)
    expect((await put(session.accessToken, { password: 'a different passphrase 9' })).status).toBe(
      200,
    )
  })

  it('a phone-only account sets one after a fresh step-up, and is notified', async () => {
    const phone = phoneNo(20)
    const { user, session } = await registerByPhone(t, phone, 'Asha', 'asha@example.com')
    expect(user).toMatchObject({ hasPassword: false })
    expectProblem(
      await put(session.accessToken, { password: NEW_PASSWORD, currentPassword: 'anything long' }),
      400,
      'invalid_request',
    )
    stale()
    const late = await put(session.accessToken, { password: NEW_PASSWORD })
    expectProblem(late, 403, 'reauthentication_required')
    expect(late.body.methods).toEqual(['sms'])
    expect(await auditRows(t, 'password.set')).toEqual([])
    t.clock.advance(-REAUTH_WINDOW_MS - 1)
    const r = await put(session.accessToken, { password: NEW_PASSWORD })
    expect(r.status, r.text).toBe(200)
    expect(r.body.user.hasPassword).toBe(true)
    expect((await outbox(t, phone))[0]!.body).toMatch(/password of your .* account was changed/)
    expect(await auditRows(t, 'password.set')).toHaveLength(1)
    const signed = await t.call('POST', '/v1/sessions', {
      email: 'asha@example.com',
      password: NEW_PASSWORD,
    })
    expect(signed.body.mfaRequired).toBe(true)
  })

  it('answers 401 without a token, 400 for a bad body', async () => {
    expectProblem(
      await t.call('PUT', '/v1/me/password', { password: NEW_PASSWORD }),
      401,
      'unauthorized',
    )
    const { session } = await signUp(t, 'body@example.com')
    expectProblem(await put(session.accessToken, {}), 400, 'invalid_request')
    expectProblem(
      await put(session.accessToken, { password: NEW_PASSWORD, x: 1 }),
      400,
      'invalid_request',
    )
  })
})

describe('PATCH /v1/me', () => {
  it('changes the name without a step-up: user.updated with fields name', async () => {
    const { user, session } = await signUp(t, 'name@example.com')
    stale()
    const r = await patch(session.accessToken, { name: 'Ravi Kumar' })
    expect(r.status, r.text).toBe(200)
    expect(r.body.user.name).toBe('Ravi Kumar')
    expect(await events(t, 'user.updated')).toEqual([
      { type: 'user.updated', data: { userId: user.id, fields: ['name'] } },
    ])
    // The same name again changes nothing.
    expect((await patch(session.accessToken, { name: 'Ravi Kumar' })).status).toBe(200)
    expect(await events(t, 'user.updated')).toHaveLength(1)
  })

  it('changes the email after a fresh step-up; audited without addresses, notified to the phone', async () => {
    const { user, session } = await signUp(t, 'old@example.com')
    const phone = phoneNo(21)
    await enroll(t, session.accessToken, phone)
    stale()
    expectProblem(
      await patch(session.accessToken, { email: 'new@example.com' }),
      403,
      'reauthentication_required',
    )
    await t.call('POST', '/v1/me/reauth', { password: PASSWORD }, bearer(session.accessToken))
    const r = await patch(session.accessToken, { email: 'new@example.com', name: 'New' })
    expect(r.status, r.text).toBe(200)
    expect(r.body.user).toMatchObject({ email: 'new@example.com', name: 'New' })
    expect((await outbox(t, phone))[0]!.body).toMatch(
      /email address of your .* account was changed/,
    )
    const [row] = await auditRows(t, 'user.update')
    expect(row).toMatchObject({ outcome: 'ok', user_id: user.id })
    const audit = JSON.stringify((await t.db.execute('SELECT * FROM audit')).rows)
    expect(audit).not.toContain('new@example.com')
    expect(audit).not.toContain('old@example.com')
    expect(await events(t, 'user.updated')).toEqual([
      {
        type: 'user.updated',
        data: { userId: user.id, fields: ['name', 'email'], email: 'new@example.com' },
      },
    ])
    // Signs in with the new address only.
    await signIn('new@example.com')
    expectProblem(
      await t.call('POST', '/v1/sessions', { email: 'old@example.com', password: PASSWORD }),
      401,
      'invalid_credentials',
    )
  })

  it('refuses an email another account has, case-insensitively (email_taken)', async () => {
    await signUp(t, 'taken@example.com')
    const { session } = await signUp(t, 'me@example.com')
    expectProblem(
      await patch(session.accessToken, { email: 'TAKEN@example.com' }),
      409,
      'email_taken',
    )
    expect(
      (await t.call('GET', '/v1/me', undefined, bearer(session.accessToken))).body.user.email,
    ).toBe('me@example.com')
  })

  it('refuses an empty or bad body, and answers 401 without a token', async () => {
    const { session } = await signUp(t, 'bad@example.com')
    expectProblem(await patch(session.accessToken, {}), 400, 'invalid_request')
    expectProblem(await patch(session.accessToken, { email: 'nope' }), 400, 'invalid_request')
    expectProblem(await patch(session.accessToken, { name: '' }), 400, 'invalid_request')
    expectProblem(await patch(session.accessToken, { phone: '+1' }), 400, 'invalid_request')
    expectProblem(await t.call('PATCH', '/v1/me', { name: 'X' }), 401, 'unauthorized')
  })
})
