/**
 * Sessions and tokens (SECURITY.md T34, T35). Our decision (docs/security.md): no cookies at all;
 * bearer tokens, a new pair on every sign-in, refresh tokens rotating and single use, never taken
 * from the client. Access tokens are ES256 JWTs checked strictly, and a session that ended stops
 * working at our API at once.
 */
import { exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { base64url, randomBytes } from '../../../edge/crypto/random.js'
import { REFRESH_REUSE_GRACE_MS } from '../../../edge/limits/policy.js'
import { AUDIENCE } from '../../../edge/sessions/sessions.js'
import {
  lastCode,
  phoneNo,
  PUBLIC_URL,
  registerByPhone,
  testApp,
  type Res,
  type TestApp,
} from '../../helpers/app.js'
import { bearer, fromAddress } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const seen: Res[] = []
async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const r = await t.call(method, path, body, headers)
  seen.push(r)
  return r
}

async function smsSignIn(phone: string, n: number, headers: Record<string, string> = {}) {
  const v = await call('POST', '/v1/verifications', { purpose: 'login', phone }, fromAddress(n))
  const r = await call(
    'POST',
    `/v1/verifications/${v.body.id}/check`,
    { code: await lastCode(t, phone) },
    headers,
  )
  expect(r.status, r.text).toBe(200)
  return r.body.session as { accessToken: string; refreshToken: string }
}

const REFRESH = /^rt_[A-Za-z0-9_-]{43}$/

describe('T34 session issuance (our decision: no cookies, bearer tokens)', () => {
  it('T34 sets no cookie anywhere, issues new tokens on every sign-in, refuses refresh tokens it did not issue, and ends the session on reuse', async () => {
    const phone = phoneNo(1)
    const reg = await registerByPhone(t, phone)
    const first = await smsSignIn(phone, 1)
    // A client that brings its own cookie and bearer token gets neither back: a new session.
    const second = await smsSignIn(phone, 2, {
      cookie: 'session=attacker-chosen; __Host-sid=fixed',
      authorization: `Bearer ${first.accessToken}`,
    })
    const all = [reg.session, first, second]
    expect(new Set(all.map((s) => s.accessToken)).size).toBe(3)
    expect(new Set(all.map((s) => s.refreshToken)).size).toBe(3)
    for (const s of all) expect(s.refreshToken).toMatch(REFRESH) // 32 random bytes: 256 bits

    // Rotation: every refresh gives a new token, each usable once.
    let current = second.refreshToken
    const issued = new Set([current])
    for (let i = 0; i < 50; i++) {
      const r = await call('POST', '/v1/sessions/refresh', { refreshToken: current })
      expect(r.status, r.text).toBe(200)
      current = r.body.session.refreshToken
      expect(current).toMatch(REFRESH)
      issued.add(current)
    }
    expect(issued.size).toBe(51)

    // Made up by the client, in our format or not: refused, and nothing is created.
    for (const forged of [`rt_${base64url(randomBytes(32))}`, 'rt_' + 'A'.repeat(43), 'attacker'])
      expect((await call('POST', '/v1/sessions/refresh', { refreshToken: forged })).status).toBe(
        401,
      )

    // Reuse of a rotated token after the grace (two tabs at once) ends the whole session (its
    // access and refresh tokens).
    const old = first.refreshToken
    const rotated = (await call('POST', '/v1/sessions/refresh', { refreshToken: old })).body.session
    t.clock.advance(REFRESH_REUSE_GRACE_MS + 1)
    expect((await call('POST', '/v1/sessions/refresh', { refreshToken: old })).status).toBe(401)
    expect((await call('GET', '/v1/me', undefined, bearer(rotated.accessToken))).status).toBe(401)
    expect(
      (await call('POST', '/v1/sessions/refresh', { refreshToken: rotated.refreshToken })).status,
    ).toBe(401)
    // Other sessions live on.
    expect((await call('GET', '/v1/me', undefined, bearer(second.accessToken))).status).toBe(200)

    // The routes around a sign-in, for the cookie check below.
    for (const [m, p] of [
      ['GET', '/v1/config'],
      ['GET', '/healthz'],
      ['GET', '/.well-known/jwks.json'],
      ['GET', '/v1/openapi.json'],
      ['GET', '/v1/me/backup-codes'],
      ['POST', '/v1/me/backup-codes'],
      ['POST', '/v1/me/totp'],
    ] as const)
      await call(m, p, undefined, bearer(second.accessToken))
    await call('POST', '/v1/users', {
      email: 'c@example.com',
      password: 'a long enough one',
      name: 'C',
    })
    await call('POST', '/v1/sessions', { email: 'c@example.com', password: 'a long enough one' })
    await call('POST', '/v1/sessions', { email: 'c@example.com', password: 'wrong password!' })
    await call('DELETE', '/v1/sessions/current', undefined, bearer(second.accessToken))
    await call('GET', '/v1/nothing-here')
    expect(seen.length).toBeGreaterThan(70)
    for (const r of seen) expect(r.headers.get('set-cookie')).toBeNull()
  })
})

describe('T35 access tokens', () => {
  async function signedIn() {
    const { session, user } = await registerByPhone(t, phoneNo(2))
    const [h, p] = session.accessToken.split('.')
    const decode = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'))
    return { session, user, header: decode(h!), claims: decode(p!) as Record<string, unknown> }
  }
  const me = (token: string) => t.call('GET', '/v1/me', undefined, bearer(token))
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')

  it('T35 refuses alg none, HS256 with the public key, bad exp/nbf/aud/iss, and foreign jku/kid/jwk keys (401); the right token passes', async () => {
    const { session, header, claims } = await signedIn()
    const key = t.api.ctx.signingKey
    const now = Math.floor(t.clock.now / 1000)
    const sign = (o: { aud?: string; iss?: string; exp?: number; nbf?: number } = {}) => {
      const jwt = new SignJWT({ sid: claims.sid, auth_time: claims.auth_time })
        .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
        .setSubject(String(claims.sub))
        .setAudience(o.aud ?? AUDIENCE)
        .setIssuer(o.iss ?? PUBLIC_URL)
        .setIssuedAt(now)
        .setExpirationTime(o.exp ?? now + 900)
      return (o.nbf === undefined ? jwt : jwt.setNotBefore(o.nbf)).sign(key.privateKey)
    }
    // The control: a token we sign ourselves the same way is accepted.
    expect((await me(session.accessToken)).status).toBe(200)
    expect((await me(await sign({}))).status).toBe(200)

    const bad: [string, string][] = []
    bad.push(['alg none', `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`])
    bad.push(['alg none, no dot', `${enc({ alg: 'none' })}.${enc(claims)}`])
    const spki = await exportSPKI(key.publicKey)
    for (const [what, secret] of [
      ['JWK', JSON.stringify(key.publicJwk)],
      ['PEM', spki],
    ]) {
      const hs = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .sign(new TextEncoder().encode(secret))
      bad.push([`HS256 with the public key as ${what}`, hs])
    }
    bad.push(['expired', await sign({ exp: now - 1 })])
    bad.push(['not yet valid', await sign({ nbf: now + 600 })])
    bad.push(['wrong audience', await sign({ aud: 'another-site' })])
    bad.push(['wrong issuer', await sign({ iss: 'https://evil.example' })])
    const attacker = await generateKeyPair('ES256', { extractable: true })
    const foreign = (protectedHeader: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', ...protectedHeader })
        .sign(attacker.privateKey)
    bad.push([
      'foreign jku',
      await foreign({ kid: 'evil-key', jku: 'https://evil.example/jwks.json' }),
    ])
    bad.push(['foreign key under our kid', await foreign({ kid: key.kid })])
    bad.push(['embedded jwk', await foreign({ jwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } })])
    bad.push([
      'tampered subject',
      `${session.accessToken.split('.')[0]}.${enc({ ...claims, sub: 'usr_other' })}.${session.accessToken.split('.')[2]}`,
    ])
    bad.push(['expired by the clock', session.accessToken])
    for (const [what, token] of bad) {
      if (what === 'expired by the clock') t.clock.advance(901_000)
      const r = await me(token)
      expect({ what, status: r.status, code: r.body?.code }).toEqual({
        what,
        status: 401,
        code: 'unauthorized',
      })
    }
    expect(header).toMatchObject({ alg: 'ES256', kid: key.kid })
  })

  it('T35 stops a session at once after logout: its access token and its refresh token', async () => {
    const { session } = await signedIn()
    expect((await me(session.accessToken)).status).toBe(200)
    expect(
      (await t.call('DELETE', '/v1/sessions/current', undefined, bearer(session.accessToken)))
        .status,
    ).toBe(204)
    expect((await me(session.accessToken)).status).toBe(401)
    expect(
      (await t.call('POST', '/v1/sessions/refresh', { refreshToken: session.refreshToken })).status,
    ).toBe(401)
  })
})
