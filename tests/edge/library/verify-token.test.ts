/**
 * sms-auth/server against a real edge: tokens it signed, its JWKS over real HTTP on 127.0.0.1.
 * A valid token verifies with typed claims; an expired, foreign, tampered, `alg: none`, HS256 or
 * unknown-kid one is refused; both middlewares answer 200 or a 401 problem+json.
 */
import express from 'express'
import { Hono } from 'hono'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AccessTokenError,
  introspect,
  smsAuthHono,
  verifyAccessToken,
  type AccessTokenClaims,
  type SmsAuthVariables,
  type VerifyOptions,
} from '../../../edge/server/index.js'
import { smsAuthExpress } from '../../../edge/server/express.js'
import {
  ADMIN_TOKEN,
  PUBLIC_URL,
  phoneNo,
  registerByPhone,
  testApp,
  type TestApp,
} from '../../helpers/app.js'
import { listen, type Listening } from '../../helpers/listen.js'

let t: TestApp
let edge: Listening
let token: string
let userId: string
let opts: () => VerifyOptions

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

beforeAll(async () => {
  t = await testApp()
  edge = await listen((req: Request) => t.api.app.fetch(req))
  const reg = await registerByPhone(t, phoneNo(11))
  token = reg.session.accessToken
  userId = reg.user.id
  opts = () => ({
    jwksUrl: `${edge.url}/.well-known/jwks.json`,
    issuer: PUBLIC_URL,
    currentDate: new Date(t.clock.now),
  })
})

afterAll(async () => {
  await edge?.close()
  t?.close()
})

async function refusal(tok: string, o: VerifyOptions = opts()) {
  const err = await verifyAccessToken(tok, o).then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AccessTokenError)
  return (err as AccessTokenError).reason
}

describe('verifyAccessToken', () => {
  it('verifies a token the edge signed, with typed claims', async () => {
    const claims: AccessTokenClaims = await verifyAccessToken(token, opts())
    expect(claims.sub).toBe(userId)
    expect(claims.iss).toBe(PUBLIC_URL)
    expect(claims.aud).toBe('sms-auth')
    expect(typeof claims.sid).toBe('string')
    expect(claims.amr).toEqual(['sms'])
    expect(claims.phone_verified).toBe(true)
    expect(claims.exp - claims.iat).toBe(900)
    expect(claims.auth_time).toBe(Math.floor(t.clock.now / 1000))
  })

  it('refuses an expired token once the clock passes exp', async () => {
    const at = new Date(t.clock.now + 16 * 60_000)
    expect(await refusal(token, { ...opts(), currentDate: at })).toBe('expired')
  })

  it('refuses the wrong issuer and the wrong audience', async () => {
    expect(await refusal(token, { ...opts(), issuer: 'https://evil.example' })).toBe('invalid')
    expect(await refusal(token, { ...opts(), audience: 'another-app' })).toBe('invalid')
  })

  it('refuses a tampered payload, alg none, HS256 with the public key and an unknown kid', async () => {
    const [h, p, s] = token.split('.')
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString())
    const forged = b64({ ...payload, sub: 'someone-else' })
    expect(await refusal(`${h}.${forged}.${s}`)).toBe('invalid')

    expect(await refusal(`${b64({ alg: 'none', typ: 'JWT' })}.${p}.`)).toBe('invalid')

    const jwks = await (await fetch(`${edge.url}/.well-known/jwks.json`)).json()
    const kid = jwks.keys[0].kid
    const hsHead = b64({ alg: 'HS256', kid, typ: 'JWT' })
    const mac = createHmac('sha256', JSON.stringify(jwks.keys[0]))
      .update(`${hsHead}.${p}`)
      .digest('base64url')
    expect(await refusal(`${hsHead}.${p}.${mac}`)).toBe('invalid')

    const other = await generateKeyPair('ES256')
    const foreign = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: 'unknown-kid', typ: 'JWT' })
      .sign(other.privateKey)
    expect(await refusal(foreign)).toBe('invalid')
    // The same foreign key presented under the edge's kid fails its signature.
    const underKid = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .sign(other.privateKey)
    expect(await refusal(underKid)).toBe('invalid')
    // And verifying with a public key you hold works the same way.
    const own = await verifyAccessToken(token, {
      publicKey: await crypto.subtle.importKey(
        'jwk',
        jwks.keys[0],
        { name: 'ECDSA', namedCurve: 'P-256' },
        true,
        ['verify'],
      ),
      issuer: PUBLIC_URL,
      currentDate: new Date(t.clock.now),
    })
    expect(own.sub).toBe(userId)
    expect(await exportJWK(other.publicKey)).not.toEqual(jwks.keys[0])
  })

  it('refuses a missing token', async () => {
    expect(await refusal('')).toBe('missing')
  })
})

describe('middlewares', () => {
  async function expect401(res: Response) {
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect((await res.json()).code).toBe('unauthorized')
  }

  it('smsAuthHono: c.get("smsAuth") on a valid token, 401 otherwise', async () => {
    const app = new Hono<{ Variables: SmsAuthVariables }>()
    app.use('/api/*', smsAuthHono(opts()))
    app.get('/api/me', (c) => c.json({ sub: c.get('smsAuth').sub }))
    const ok = await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ sub: userId })
    await expect401(await app.request('/api/me'))
    await expect401(
      await app.request('/api/me', { headers: { authorization: `Bearer ${token}x` } }),
    )
  })

  it('smsAuthExpress: req.smsAuth on a valid token, 401 otherwise', async () => {
    const app = express()
    app.get('/api/me', smsAuthExpress(opts()), (req, res) => {
      res.json({ sub: req.smsAuth?.sub })
    })
    const server = await listen(app, false)
    try {
      const ok = await fetch(`${server.url}/api/me`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(ok.status).toBe(200)
      expect(await ok.json()).toEqual({ sub: userId })
      await expect401(await fetch(`${server.url}/api/me`))
      await expect401(
        await fetch(`${server.url}/api/me`, { headers: { authorization: 'Bearer not.a.token' } }),
      )
    } finally {
      await server.close()
    }
  })
})

describe('introspect', () => {
  it('sees a logout before the token expires', async () => {
    const reg = await registerByPhone(t, phoneNo(12))
    const o = { url: edge.url, token: ADMIN_TOKEN }
    expect((await introspect(reg.session.accessToken, o)).active).toBe(true)
    const out = await t.call('DELETE', '/v1/sessions/current', undefined, {
      authorization: `Bearer ${reg.session.accessToken}`,
    })
    expect(out.status).toBeLessThan(300)
    expect(await introspect(reg.session.accessToken, o)).toEqual({ active: false })
    expect(await verifyAccessToken(reg.session.accessToken, opts())).toMatchObject({
      sub: reg.user.id,
    })
  })
})
