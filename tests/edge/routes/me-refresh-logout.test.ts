import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem, signUp } from '../../helpers/extra.js'
import { REFRESH_REUSE_GRACE_MS } from '../../../edge/limits/policy.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const me = (token: string) => t.call('GET', '/v1/me', undefined, bearer(token))

describe('GET /v1/me', () => {
  it('returns the signed-in user with the phone in full', async () => {
    const phone = phoneNo(1)
    const { user, session } = await registerByPhone(t, phone, 'Asha', 'asha@example.com')
    const r = await me(session.accessToken)
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      user: {
        id: user.id,
        name: 'Asha',
        email: 'asha@example.com',
        phone,
        phoneVerified: true,
        hasPassword: false,
        twoStep: { sms: true, totp: false, backupCodesRemaining: 0 },
        createdAt: new Date(t.clock.now).toISOString(),
      },
    })
  })

  it('answers unauthorized without a token', async () => {
    expectProblem(await t.call('GET', '/v1/me'), 401, 'unauthorized')
    expectProblem(
      await t.call('GET', '/v1/me', undefined, { authorization: 'Basic abc' }),
      401,
      'unauthorized',
    )
  })

  it('answers unauthorized for a bad, tampered or expired token', async () => {
    const { session } = await signUp(t, 'tok@example.com')
    expectProblem(await me('garbage'), 401, 'unauthorized')
    expectProblem(await me('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c3JfeCJ9.'), 401, 'unauthorized')
    const [h, p, s] = session.accessToken.split('.')
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...payload, sub: 'usr_other' })).toString(
      'base64url',
    )
    expectProblem(await me(`${h}.${forged}.${s}`), 401, 'unauthorized')
    expect((await me(session.accessToken)).status).toBe(200)
    t.clock.advance(901_000)
    expectProblem(await me(session.accessToken), 401, 'unauthorized')
  })
})

describe('POST /v1/sessions/refresh', () => {
  it('rotates: a new access and refresh token that work', async () => {
    const { user, session } = await signUp(t, 'rot@example.com')
    t.clock.advance(5_000)
    const r = await t.call('POST', '/v1/sessions/refresh', { refreshToken: session.refreshToken })
    expect(r.status, r.text).toBe(200)
    expect(r.body).toEqual({
      session: {
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: expect.any(String),
      },
    })
    expect(r.body.session.refreshToken).not.toBe(session.refreshToken)
    expect(r.body.session.accessToken).not.toBe(session.accessToken)
    expect((await me(r.body.session.accessToken)).body.user.id).toBe(user.id)
    const again = await t.call('POST', '/v1/sessions/refresh', {
      refreshToken: r.body.session.refreshToken,
    })
    expect(again.status).toBe(200)
  })

  it('answers a refresh token reused after the grace with 401 and ends the session', async () => {
    const { session } = await signUp(t, 'reuse@example.com')
    const rotated = await t.call('POST', '/v1/sessions/refresh', {
      refreshToken: session.refreshToken,
    })
    expect(rotated.status).toBe(200)
    t.clock.advance(REFRESH_REUSE_GRACE_MS + 1)
    const reuse = await t.call('POST', '/v1/sessions/refresh', {
      refreshToken: session.refreshToken,
    })
    expectProblem(reuse, 401, 'unauthorized')
    expectProblem(await me(rotated.body.session.accessToken), 401, 'unauthorized')
    expectProblem(await me(session.accessToken), 401, 'unauthorized')
    expectProblem(
      await t.call('POST', '/v1/sessions/refresh', {
        refreshToken: rotated.body.session.refreshToken,
      }),
      401,
      'unauthorized',
    )
  })

  it('does not end other sessions of the account on reuse', async () => {
    const a = await signUp(t, 'two@example.com', 'two sessions pw')
    const b = await t.call('POST', '/v1/sessions', {
      email: 'two@example.com',
      password: 'two sessions pw',
    })
    await t.call('POST', '/v1/sessions/refresh', { refreshToken: a.session.refreshToken })
    t.clock.advance(REFRESH_REUSE_GRACE_MS + 1)
    const reuse = await t.call('POST', '/v1/sessions/refresh', {
      refreshToken: a.session.refreshToken,
    })
    expectProblem(reuse, 401, 'unauthorized')
    expect((await me(b.body.session.accessToken)).status).toBe(200)
  })

  it('answers unauthorized for an unknown refresh token', async () => {
    expectProblem(
      await t.call('POST', '/v1/sessions/refresh', { refreshToken: 'rt_unknown' }),
      401,
      'unauthorized',
    )
  })

  it('answers unauthorized after logout', async () => {
    const { session } = await signUp(t, 'gone@example.com')
    expect(
      (await t.call('DELETE', '/v1/sessions/current', undefined, bearer(session.accessToken)))
        .status,
    ).toBe(204)
    expectProblem(
      await t.call('POST', '/v1/sessions/refresh', { refreshToken: session.refreshToken }),
      401,
      'unauthorized',
    )
  })

  it('refuses a body without refreshToken with invalid_request', async () => {
    const r = await t.call('POST', '/v1/sessions/refresh', {})
    expectProblem(r, 400, 'invalid_request')
    expect(r.body.errors[0].path).toBe('refreshToken')
  })
})

describe('DELETE /v1/sessions/current', () => {
  it('signs out: 204 with no body, then the access token gets 401 on /v1/me', async () => {
    const { session } = await signUp(t, 'bye@example.com')
    const r = await t.call('DELETE', '/v1/sessions/current', undefined, bearer(session.accessToken))
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expectProblem(await me(session.accessToken), 401, 'unauthorized')
    expectProblem(
      await t.call('DELETE', '/v1/sessions/current', undefined, bearer(session.accessToken)),
      401,
      'unauthorized',
    )
  })

  it('ends only the current session', async () => {
    const a = await signUp(t, 'one-of-two@example.com', 'one of two pw')
    const b = await t.call('POST', '/v1/sessions', {
      email: 'one-of-two@example.com',
      password: 'one of two pw',
    })
    await t.call('DELETE', '/v1/sessions/current', undefined, bearer(a.session.accessToken))
    expect((await me(b.body.session.accessToken)).status).toBe(200)
  })

  it('answers unauthorized without a token', async () => {
    expectProblem(await t.call('DELETE', '/v1/sessions/current'), 401, 'unauthorized')
  })
})
