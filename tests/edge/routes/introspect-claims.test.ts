/**
 * The access token's claims (sessions/claims.ts: `amr` in RFC 8176 values, `auth_time`,
 * `phone_verified`) and POST /v1/sessions/introspect (RFC 7662, admin token).
 */
import { createLocalJWKSet, decodeJwt, jwtVerify, SignJWT, generateKeyPair } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { totpAt } from '../../helpers/flows.js'
import {
  ADMIN_TOKEN,
  phoneNo,
  PUBLIC_URL,
  registerByPhone,
  testApp,
  type TestApp,
} from '../../helpers/app.js'
import { bearer, expectProblem, signUp } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const PASSWORD = 'correct horse battery staple'
const introspect = (token: unknown, headers: Record<string, string> = bearer(ADMIN_TOKEN)) =>
  t.call('POST', '/v1/sessions/introspect', { token }, headers)

/** Signs up with a password, turns TOTP on, signs in again: password first, then `second`. */
async function passwordThen(second: 'totp' | 'backup_code') {
  const { session } = await signUp(t, `${second}@example.com`)
  const as = bearer(session.accessToken)
  const setup = await t.call('POST', '/v1/me/totp', undefined, as)
  const secret = setup.body.secret as string
  expect(
    (await t.call('POST', '/v1/me/totp/verify', { code: totpAt(secret, t.clock.now) }, as)).status,
  ).toBe(200)
  const codes = (await t.call('POST', '/v1/me/backup-codes', undefined, as)).body.codes as string[]
  t.clock.advance(30_000)
  const first = await t.call('POST', '/v1/sessions', {
    email: `${second}@example.com`,
    password: PASSWORD,
  })
  expect(first.body.mfaRequired, first.text).toBe(true)
  const r =
    second === 'totp'
      ? await t.call('POST', '/v1/mfa/totp', {
          mfaTicket: first.body.mfaTicket,
          code: totpAt(secret, t.clock.now),
        })
      : await t.call('POST', '/v1/mfa/backup-code', {
          mfaTicket: first.body.mfaTicket,
          code: codes[0],
        })
  expect(r.status, r.text).toBe(200)
  return r.body.session as { accessToken: string; refreshToken: string }
}

describe('access token claims', () => {
  it('an SMS registration: amr ["sms"], phone_verified true, auth_time now; verifiable with the JWKS', async () => {
    const { user, session } = await registerByPhone(t, phoneNo(1))
    const jwks = (await t.call('GET', '/.well-known/jwks.json')).body
    const { payload } = await jwtVerify(session.accessToken, createLocalJWKSet(jwks), {
      issuer: PUBLIC_URL,
      audience: 'sms-auth',
      currentDate: new Date(t.clock.now),
    })
    expect(payload).toMatchObject({
      sub: user.id,
      amr: ['sms'],
      phone_verified: true,
      auth_time: Math.floor(t.clock.now / 1000),
    })
    expect(payload.sid).toMatch(/^ses_/)
  })

  it('a password account: amr ["pwd"], phone_verified false; a refresh keeps the claims', async () => {
    const { session } = await signUp(t, 'pwd@example.com')
    const signedAt = Math.floor(t.clock.now / 1000)
    expect(decodeJwt(session.accessToken)).toMatchObject({ amr: ['pwd'], phone_verified: false })
    t.clock.advance(60_000)
    const r = await t.call('POST', '/v1/sessions/refresh', { refreshToken: session.refreshToken })
    expect(decodeJwt(r.body.session.accessToken)).toMatchObject({
      amr: ['pwd'],
      phone_verified: false,
      auth_time: signedAt,
    })
  })

  it('password then TOTP: amr ["pwd", "otp", "mfa"]', async () => {
    const session = await passwordThen('totp')
    expect(decodeJwt(session.accessToken).amr).toEqual(['pwd', 'otp', 'mfa'])
  })

  it('password then a backup code: amr ["pwd", "backup_code", "mfa"]; a step-up changes amr and auth_time', async () => {
    const session = await passwordThen('backup_code')
    expect(decodeJwt(session.accessToken).amr).toEqual(['pwd', 'backup_code', 'mfa'])
    t.clock.advance(60_000)
    const re = await t.call(
      'POST',
      '/v1/me/reauth',
      { password: PASSWORD },
      bearer(session.accessToken),
    )
    expect(re.status, re.text).toBe(200)
    const r = await t.call('POST', '/v1/sessions/refresh', { refreshToken: session.refreshToken })
    expect(decodeJwt(r.body.session.accessToken)).toMatchObject({
      amr: ['pwd'],
      auth_time: Math.floor(t.clock.now / 1000),
    })
  })
})

describe('POST /v1/sessions/introspect', () => {
  it('answers active with the claims for a live session', async () => {
    const { user, session } = await registerByPhone(t, phoneNo(2))
    const claims = decodeJwt(session.accessToken)
    const r = await introspect(session.accessToken)
    expect(r.status, r.text).toBe(200)
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(r.body).toEqual({
      active: true,
      sub: user.id,
      sid: claims.sid,
      exp: claims.exp,
      amr: ['sms'],
      auth_time: claims.auth_time,
      phone_verified: true,
    })
  })

  it('answers only {"active": false} for an expired token, an ended session, a foreign signature or garbage', async () => {
    const { session } = await signUp(t, 'inactive@example.com')
    const other = await signUp(t, 'other@example.com')
    // Signed by another key with our header and claims.
    const { privateKey } = await generateKeyPair('ES256')
    const foreign = await new SignJWT(decodeJwt(other.session.accessToken))
      .setProtectedHeader({ alg: 'ES256', kid: 'x', typ: 'JWT' })
      .sign(privateKey)
    const [h, , s] = other.session.accessToken.split('.')
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...decodeJwt(other.session.accessToken), sub: 'usr_x' })).toString('base64url')}.${s}`
    for (const token of [
      foreign,
      tampered,
      'garbage',
      'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.',
      other.session.refreshToken,
    ])
      expect((await introspect(token)).body).toEqual({ active: false })
    expect((await introspect(other.session.accessToken)).body.active).toBe(true)
    // Signed out: inactive at once, though the JWT itself has not expired.
    expect(
      (await t.call('DELETE', '/v1/sessions/current', undefined, bearer(session.accessToken)))
        .status,
    ).toBe(204)
    expect((await introspect(session.accessToken)).body).toEqual({ active: false })
    t.clock.advance(901_000)
    expect((await introspect(other.session.accessToken)).body).toEqual({ active: false })
  })

  it('needs the admin token: none, a user access token or a wrong one get 401', async () => {
    const { session } = await signUp(t, 'who@example.com')
    expectProblem(await introspect(session.accessToken, {}), 401, 'unauthorized')
    expectProblem(
      await introspect(session.accessToken, bearer(session.accessToken)),
      401,
      'unauthorized',
    )
    expectProblem(
      await introspect(session.accessToken, bearer(ADMIN_TOKEN + 'x')),
      401,
      'unauthorized',
    )
  })

  it('refuses a body without a string token with invalid_request', async () => {
    for (const body of [
      {},
      { token: '' },
      { token: 42 },
      { token: 'a', extra: 1 },
      { token: 'a'.repeat(8193) },
    ]) {
      const r = await t.call('POST', '/v1/sessions/introspect', body, bearer(ADMIN_TOKEN))
      expectProblem(r, 400, 'invalid_request')
    }
  })

  it('never answers a CORS preflight and refuses a browser origin', async () => {
    const pre = await t.call('OPTIONS', '/v1/sessions/introspect', undefined, {
      origin: PUBLIC_URL,
      'access-control-request-method': 'POST',
    })
    expectProblem(pre, 403, 'origin_not_allowed')
    expect(pre.headers.get('access-control-allow-origin')).toBeNull()
    const { session } = await signUp(t, 'cors@example.com')
    const r = await introspect(session.accessToken, {
      ...bearer(ADMIN_TOKEN),
      origin: 'https://shop.example',
    })
    expectProblem(r, 403, 'origin_not_allowed')
  })
})
