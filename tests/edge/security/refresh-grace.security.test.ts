/**
 * Two tabs refreshing at once (sessions/refresh.ts): a refresh token presented again within
 * REFRESH_REUSE_GRACE_MS of its rotation gets the pair its first use returned, so the tabs
 * converge; past the grace, or once that pair was itself rotated, it is reuse and ends the session.
 * The successor is kept sealed, never in plaintext, and only for the grace. Embedded libSQL.
 */
import { decodeJwt } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../../edge/crypto/keys.js'
import { REFRESH_REUSE_GRACE_MS } from '../../../edge/limits/policy.js'
import { openDb, SECRET, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem, signUp } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const refresh = (refreshToken: string) => t.call('POST', '/v1/sessions/refresh', { refreshToken })
const me = (token: string) => t.call('GET', '/v1/me', undefined, bearer(token))

async function successorOf(token: string): Promise<unknown> {
  const r = await t.db.execute({
    sql: 'SELECT successor_sealed FROM refresh_tokens WHERE hash = ?',
    args: [sha256Hex(token)],
  })
  return r.rows[0]?.successor_sealed
}

describe('refresh-token reuse grace', () => {
  it('gives a second tab within the grace the same refresh token and an access token of the same session', async () => {
    const { session } = await signUp(t, 'tabs@example.com')
    const a = await refresh(session.refreshToken)
    expect(a.status, a.text).toBe(200)
    t.clock.advance(REFRESH_REUSE_GRACE_MS - 1)
    const b = await refresh(session.refreshToken)
    expect(b.status, b.text).toBe(200)
    expect(b.body.session.refreshToken).toBe(a.body.session.refreshToken)
    // A freshly signed access token for the same session.
    const [ca, cb] = [decodeJwt(a.body.session.accessToken), decodeJwt(b.body.session.accessToken)]
    expect(cb.sid).toBe(ca.sid)
    expect(cb.sub).toBe(ca.sub)
    expect((await me(b.body.session.accessToken)).status).toBe(200)
    expect((await me(a.body.session.accessToken)).status).toBe(200)
    // The converged token rotates once, as any other.
    const next = await refresh(b.body.session.refreshToken)
    expect(next.status, next.text).toBe(200)
    expect(next.body.session.refreshToken).not.toBe(b.body.session.refreshToken)
  })

  it('20 concurrent refreshes with one token all get the same pair and the session survives', async () => {
    const { session } = await signUp(t, 'race@example.com')
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => refresh(session.refreshToken)),
    )
    for (const r of answers) expect(r.status, r.text).toBe(200)
    const tokens = new Set(answers.map((r) => r.body.session.refreshToken))
    expect(tokens.size).toBe(1)
    const [converged] = [...tokens] as string[]
    expect(converged).not.toBe(session.refreshToken)
    // One new token row, not twenty.
    const rows = await t.db.execute('SELECT count(*) AS n FROM refresh_tokens')
    expect(Number(rows.rows[0]!.n)).toBe(2)
    const sessions = await t.db.execute('SELECT revoked_at FROM sessions')
    expect(sessions.rows.map((r) => r.revoked_at)).toEqual([null])
    for (const r of answers) expect((await me(r.body.session.accessToken)).status).toBe(200)
    expect((await refresh(converged!)).status).toBe(200)
  })

  it('ends the session when the token comes back after the grace', async () => {
    const { session } = await signUp(t, 'late@example.com')
    const a = await refresh(session.refreshToken)
    t.clock.advance(REFRESH_REUSE_GRACE_MS)
    expectProblem(await refresh(session.refreshToken), 401, 'unauthorized')
    expectProblem(await me(a.body.session.accessToken), 401, 'unauthorized')
    expectProblem(await refresh(a.body.session.refreshToken), 401, 'unauthorized')
    expect(await successorOf(session.refreshToken)).toBeNull()
  })

  it('ends the session when the successor was already rotated, even within the grace', async () => {
    const { session } = await signUp(t, 'chain@example.com')
    const a = await refresh(session.refreshToken)
    const b = await refresh(a.body.session.refreshToken)
    expect(b.status).toBe(200)
    // The first token's successor went when it rotated: nothing sealed is left of it.
    expect(await successorOf(session.refreshToken)).toBeNull()
    expectProblem(await refresh(session.refreshToken), 401, 'unauthorized')
    expectProblem(await me(b.body.session.accessToken), 401, 'unauthorized')
    expectProblem(await refresh(b.body.session.refreshToken), 401, 'unauthorized')
  })

  it('gives nothing for a token of a session that ended (sign-out) within the grace', async () => {
    const { session } = await signUp(t, 'out@example.com')
    const a = await refresh(session.refreshToken)
    const out = await t.call(
      'DELETE',
      '/v1/sessions/current',
      undefined,
      bearer(a.body.session.accessToken),
    )
    expect(out.status).toBe(204)
    expectProblem(await refresh(session.refreshToken), 401, 'unauthorized')
    expectProblem(await refresh(a.body.session.refreshToken), 401, 'unauthorized')
  })

  it('keeps the successor sealed, never in plaintext, and drops it after the grace', async () => {
    const { session } = await signUp(t, 'sealed@example.com')
    const a = await refresh(session.refreshToken)
    const next = a.body.session.refreshToken as string
    const sealed = String(await successorOf(session.refreshToken))
    expect(sealed).toMatch(/^v2\./)
    expect(sealed).not.toContain(next)
    expect(sealed).not.toContain(next.slice(3))
    const dump = await t.db.execute('SELECT * FROM refresh_tokens')
    expect(JSON.stringify(dump.rows)).not.toContain(next.slice(3))
    // The job clears it once the grace is over, and keeps one still within it.
    t.clock.advance(REFRESH_REUSE_GRACE_MS)
    const other = await signUp(t, 'sealed2@example.com')
    expect((await refresh(other.session.refreshToken)).status).toBe(200)
    expect((await t.api.maintain()).changed['refresh_tokens.successor']).toBe(1)
    expect(await successorOf(session.refreshToken)).toBeNull()
    expect(await successorOf(other.session.refreshToken)).toMatch(/^v2\./)
    expectProblem(await refresh(session.refreshToken), 401, 'unauthorized')
  })

  it('refuses a token that was never issued without touching any session', async () => {
    const { session } = await signUp(t, 'unknown@example.com')
    expectProblem(await refresh('rt_' + 'A'.repeat(43)), 401, 'unauthorized')
    expect((await me(session.accessToken)).status).toBe(200)
  })

  it('holds across a rolling rotation of the secret: the new instance opens a successor sealed under the old secret', async () => {
    const { db, cleanup } = openDb()
    const clock = { ...t.clock }
    const a = await testApp({ db, clock })
    const { session } = await signUp(a, 'roll@example.com')
    const first = await a.call('POST', '/v1/sessions/refresh', {
      refreshToken: session.refreshToken,
    })
    expect(first.status, first.text).toBe(200)
    const b = await testApp({
      db,
      clock,
      env: { SMS_AUTH_SECRET: 'b'.repeat(64), SMS_AUTH_SECRET_PREVIOUS: SECRET },
    })
    const again = await b.call('POST', '/v1/sessions/refresh', {
      refreshToken: session.refreshToken,
    })
    expect(again.status, again.text).toBe(200)
    expect(again.body.session.refreshToken).toBe(first.body.session.refreshToken)
    await b.api.resealed()
    await b.api.idle()
    db.close()
    cleanup()
  })
})
