/** GET /v1/me/sessions, DELETE /v1/me/sessions/{id}, revoke-others and DELETE /v1/me (issue 14). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { REAUTH_WINDOW_MS } from '../../../edge/limits/policy.js'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem, signUp } from '../../helpers/extra.js'

const ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
const PASSWORD = 'correct horse battery staple'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const signIn = async (email: string, headers: Record<string, string>) => {
  const r = await t.call('POST', '/v1/sessions', { email, password: PASSWORD }, headers)
  expect(r.status, r.text).toBe(200)
  return r.body.session as { accessToken: string; refreshToken: string }
}
const sessionsOf = (token: string) => t.call('GET', '/v1/me/sessions', undefined, bearer(token))
const refresh = (refreshToken: string, headers: Record<string, string> = {}) =>
  t.call('POST', '/v1/sessions/refresh', { refreshToken }, headers)

describe('GET /v1/me/sessions', () => {
  it('lists each live session: device label, masked address, times, the current one', async () => {
    await signUp(t, 'dev@example.com')
    t.clock.advance(1_000)
    const phone = await signIn('dev@example.com', {
      'user-agent': ANDROID,
      'x-forwarded-for': '198.51.100.77',
    })
    t.clock.advance(1_000)
    const ipad = await signIn('dev@example.com', {
      'user-agent': IPHONE,
      'x-forwarded-for': '2001:db8:aa:bb:cc::1',
    })
    const r = await sessionsOf(phone.accessToken)
    expect(r.status, r.text).toBe(200)
    expect(r.body.sessions).toHaveLength(3)
    const [newest, android, first] = r.body.sessions
    expect(newest).toMatchObject({
      device: 'Safari on iPhone',
      address: '2001:db8:aa::/48',
      current: false,
    })
    expect(android).toMatchObject({
      device: 'Chrome on Android',
      address: '198.51.100.0/24',
      current: true,
      createdAt: new Date(t.clock.now - 1_000).toISOString(),
    })
    expect(first.device).toBe('Unknown device')
    expect(JSON.stringify(r.body)).not.toContain('198.51.100.77')

    // A refresh from another device and network updates the label, address and lastUsedAt.
    t.clock.advance(60_000)
    const rotated = await refresh(ipad.refreshToken, {
      'user-agent': ANDROID,
      'x-forwarded-for': '192.0.2.9',
    })
    expect(rotated.status, rotated.text).toBe(200)
    const after = (await sessionsOf(phone.accessToken)).body.sessions
    expect(after[0]).toMatchObject({
      id: newest.id,
      device: 'Chrome on Android',
      address: '192.0.2.0/24',
      lastUsedAt: new Date(t.clock.now).toISOString(),
    })
  })

  it('a check that signs in stamps its new session with the device and masked address in the same write', async () => {
    const phone = phoneNo(7)
    await registerByPhone(t, phone)
    t.clock.advance(1_000)
    const login = await t.call('POST', '/v1/verifications', { purpose: 'login', phone })
    expect(login.status, login.text).toBe(201)
    const headers = { 'user-agent': IPHONE, 'x-forwarded-for': '203.0.113.45' }
    // No UPDATE of sessions follows the check: its row was written stamped.
    const updates: string[] = []
    const execute = t.db.execute
    t.db.execute = ((stmt: string | { sql: string }, ...rest: unknown[]) => {
      const sql = typeof stmt === 'string' ? stmt : stmt.sql
      if (/UPDATE sessions/.test(sql)) updates.push(sql)
      return (execute as (...a: unknown[]) => unknown).call(t.db, stmt, ...rest)
    }) as typeof t.db.execute
    const checked = await t.call(
      'POST',
      `/v1/verifications/${login.body.id}/check`,
      { code: await lastCode(t, phone) },
      headers,
    )
    t.db.execute = execute
    expect(checked.status, checked.text).toBe(200)
    expect(updates).toEqual([])
    const listed = (await sessionsOf(checked.body.session.accessToken)).body.sessions
    expect(listed[0]).toMatchObject({
      device: 'Safari on iPhone',
      address: '203.0.113.0/24',
      current: true,
      lastUsedAt: new Date(t.clock.now).toISOString(),
    })
  })

  it('answers 401 without a valid token', async () => {
    expectProblem(await t.call('GET', '/v1/me/sessions'), 401, 'unauthorized')
    expectProblem(await sessionsOf('garbage'), 401, 'unauthorized')
  })
})

describe('DELETE /v1/me/sessions/{id}', () => {
  it('ends one own session: its refresh token is refused and its access token fails', async () => {
    const a = (await signUp(t, 'one@example.com')).session
    const b = await signIn('one@example.com', {})
    const list = (await sessionsOf(a.accessToken)).body.sessions
    const other = list.find((s: { current: boolean }) => !s.current)
    const r = await t.call(
      'DELETE',
      `/v1/me/sessions/${other.id}`,
      undefined,
      bearer(a.accessToken),
    )
    expect(r.status, r.text).toBe(204)
    expectProblem(await refresh(b.refreshToken), 401, 'unauthorized')
    expectProblem(await sessionsOf(b.accessToken), 401, 'unauthorized')
    expect((await sessionsOf(a.accessToken)).body.sessions).toHaveLength(1)
    // Twice: it is no longer a live session.
    expectProblem(
      await t.call('DELETE', `/v1/me/sessions/${other.id}`, undefined, bearer(a.accessToken)),
      404,
      'not_found',
    )
  })

  it("answers 404 for another user's session, which stays live", async () => {
    const mine = (await signUp(t, 'mine@example.com')).session
    const theirs = (await signUp(t, 'theirs@example.com')).session
    const [their] = (await sessionsOf(theirs.accessToken)).body.sessions
    expectProblem(
      await t.call('DELETE', `/v1/me/sessions/${their.id}`, undefined, bearer(mine.accessToken)),
      404,
      'not_found',
    )
    expect((await sessionsOf(theirs.accessToken)).status).toBe(200)
    expectProblem(await t.call('DELETE', `/v1/me/sessions/${their.id}`), 401, 'unauthorized')
    expectProblem(
      await t.call(
        'DELETE',
        `/v1/me/sessions/${'x'.repeat(65)}`,
        undefined,
        bearer(mine.accessToken),
      ),
      400,
      'invalid_request',
    )
  })
})

describe('POST /v1/me/sessions/revoke-others', () => {
  it('signs out everywhere else and keeps the caller', async () => {
    const a = (await signUp(t, 'all@example.com')).session
    const b = await signIn('all@example.com', {})
    const c = await signIn('all@example.com', {})
    const r = await t.call(
      'POST',
      '/v1/me/sessions/revoke-others',
      undefined,
      bearer(b.accessToken),
    )
    expect(r.status, r.text).toBe(200)
    expect(r.body).toEqual({ revoked: 2 })
    expectProblem(await refresh(a.refreshToken), 401, 'unauthorized')
    expectProblem(await refresh(c.refreshToken), 401, 'unauthorized')
    expectProblem(await sessionsOf(c.accessToken), 401, 'unauthorized')
    expect((await refresh(b.refreshToken)).status).toBe(200)
    expectProblem(await t.call('POST', '/v1/me/sessions/revoke-others'), 401, 'unauthorized')
  })
})

describe('DELETE /v1/me', () => {
  it('needs a recent proof: reauthentication_required with the methods', async () => {
    const { session } = await registerByPhone(t, phoneNo(300), 'Old', 'old@example.com')
    t.clock.advance(REAUTH_WINDOW_MS + 1)
    const r = await t.call('DELETE', '/v1/me', undefined, bearer(session.accessToken))
    expectProblem(r, 403, 'reauthentication_required')
    expect(r.body.methods).toEqual(['sms'])
    expect((await t.call('GET', '/v1/me', undefined, bearer(session.accessToken))).status).toBe(200)
    expectProblem(await t.call('DELETE', '/v1/me'), 401, 'unauthorized')
  })

  it('deletes the account in one go: sessions end, data goes, a tombstone stays, the number and email are free', async () => {
    const phone = phoneNo(301)
    const { user, session } = await registerByPhone(t, phone, 'Gone', 'gone@example.com')
    const other = await t.call('POST', '/v1/sessions/refresh', {
      refreshToken: session.refreshToken,
    })
    expect(other.status).toBe(200)
    const r = await t.call('DELETE', '/v1/me', undefined, bearer(other.body.session.accessToken))
    expect(r.status, r.text).toBe(204)
    expectProblem(
      await t.call('GET', '/v1/me', undefined, bearer(other.body.session.accessToken)),
      401,
      'unauthorized',
    )
    expectProblem(await refresh(other.body.session.refreshToken), 401, 'unauthorized')

    const count = async (sql: string) =>
      Number((await t.db.execute({ sql, args: [user.id] })).rows[0]!.n)
    expect(await count('SELECT count(*) AS n FROM users WHERE id = ?')).toBe(0)
    expect(await count('SELECT count(*) AS n FROM sessions WHERE user_id = ?')).toBe(0)
    expect(await count('SELECT count(*) AS n FROM verifications WHERE user_id = ?')).toBe(0)
    const audit = await t.db.execute({
      sql: 'SELECT action, phone_masked, client_address, detail FROM audit WHERE user_id = ?',
      args: [user.id],
    })
    expect(audit.rows.map((row) => row.action)).toContain('user.deleted')
    for (const row of audit.rows)
      expect([row.phone_masked, row.client_address, row.detail]).toEqual([null, null, null])
    // Digests (the code's and the number's hashes) are random hex, which holds any four digits
    // now and then: they are taken out before looking for the number's last four.
    const dump = JSON.stringify(
      (await t.db.execute('SELECT * FROM verifications')).rows.concat(
        (await t.db.execute('SELECT * FROM audit')).rows,
      ),
    ).replace(/"[0-9a-f]{64}"/g, '"digest"')
    expect(dump).toContain('"digest"')
    expect(dump).not.toContain(phone.slice(-4))
    expect(dump).not.toContain('gone@example.com')

    const again = await registerByPhone(t, phone, 'New', 'gone@example.com')
    expect(again.user.id).not.toBe(user.id)
  })
})
