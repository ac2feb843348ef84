import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PUBLIC_URL, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem, outbox, start } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

describe('GET /v1/config', () => {
  it('returns the public widget configuration with the documented fields', async () => {
    const r = await t.call('GET', '/v1/config')
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toMatch(/^application\/json/)
    expect(r.body).toEqual({
      siteName: expect.any(String),
      defaultCountry: expect.stringMatching(/^[A-Z]{2}$/),
      allowedCountries: null,
      codeLength: 6,
      channels: ['sms', 'voice'],
      resendCooldownSeconds: 30,
      phoneLogin: true,
      phoneRegistration: true,
      passwordLogin: true,
      challenge: null,
    })
  })

  it('does not expose admin-only settings', async () => {
    await t.admin('PATCH', '/v1/admin/settings', { allowedOrigins: ['https://shop.example.com'] })
    const r = await t.call('GET', '/v1/config')
    expect(r.body.allowedOrigins).toBeUndefined()
    expect(r.body.messageTemplate).toBeUndefined()
  })
})

describe('GET /healthz', () => {
  it('answers 200 {ok: true} when the database answers', async () => {
    const r = await t.call('GET', '/healthz')
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ ok: true })
  })

  it('answers 503 when the database reads but cannot write (read-only): healthy means writable', async () => {
    expect((await t.call('GET', '/healthz')).status).toBe(200)
    await t.db.execute('PRAGMA query_only = ON')
    const r = await t.call('GET', '/healthz')
    expectProblem(r, 503, 'database_unavailable')
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
    await t.db.execute('PRAGMA query_only = OFF')
    expect((await t.call('GET', '/healthz')).status).toBe(200)
  })

  it('answers a 503 database_unavailable problem with Retry-After when the database does not', async () => {
    t.db.close()
    const r = await t.call('GET', '/healthz')
    expectProblem(r, 503, 'database_unavailable')
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('GET /.well-known/jwks.json', () => {
  it('publishes an ES256 key that verifies the access tokens', async () => {
    const r = await t.call('GET', '/.well-known/jwks.json')
    expect(r.status).toBe(200)
    const jwks = r.body as JSONWebKeySet
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1)
    const key = jwks.keys[0]!
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: expect.any(String) })
    expect(key.d).toBeUndefined()
    const { user, session } = await registerByPhone(t, phoneNo(1))
    expect(decodeProtectedHeader(session.accessToken)).toMatchObject({ alg: 'ES256', kid: key.kid })
    const { payload } = await jwtVerify(session.accessToken, createLocalJWKSet(jwks), {
      algorithms: ['ES256'],
      issuer: PUBLIC_URL,
      currentDate: new Date(t.clock.now),
    })
    expect(payload.sub).toBe(user.id)
    expect(payload.exp! - payload.iat!).toBe(900)
  })

  it('does not verify a token signed by another key', async () => {
    const { session } = await registerByPhone(t, phoneNo(2))
    const other = await testApp()
    try {
      const jwks = (await other.call('GET', '/.well-known/jwks.json')).body as JSONWebKeySet
      await expect(
        jwtVerify(session.accessToken, createLocalJWKSet(jwks), {
          currentDate: new Date(t.clock.now),
        }),
      ).rejects.toThrow()
    } finally {
      other.close()
    }
  })
})

/** Every operation of API.md: [method, path as written there, a concrete path to probe]. */
const API_MD: [string, string, string][] = [
  ['get', '/v1/config', '/v1/config'],
  ['post', '/v1/verifications', '/v1/verifications'],
  ['post', '/v1/verifications/{id}/resend', '/v1/verifications/ver_probe/resend'],
  ['post', '/v1/verifications/{id}/check', '/v1/verifications/ver_probe/check'],
  ['post', '/v1/users', '/v1/users'],
  ['post', '/v1/sessions', '/v1/sessions'],
  ['post', '/v1/mfa/totp', '/v1/mfa/totp'],
  ['post', '/v1/mfa/backup-code', '/v1/mfa/backup-code'],
  ['post', '/v1/sessions/refresh', '/v1/sessions/refresh'],
  ['delete', '/v1/sessions/current', '/v1/sessions/current'],
  ['get', '/v1/me', '/v1/me'],
  ['post', '/v1/me/phone/remove', '/v1/me/phone/remove'],
  ['post', '/v1/me/backup-codes', '/v1/me/backup-codes'],
  ['get', '/v1/me/backup-codes', '/v1/me/backup-codes'],
  ['post', '/v1/me/totp', '/v1/me/totp'],
  ['post', '/v1/me/totp/verify', '/v1/me/totp/verify'],
  ['delete', '/v1/me/totp', '/v1/me/totp'],
  ['get', '/v1/admin/settings', '/v1/admin/settings'],
  ['patch', '/v1/admin/settings', '/v1/admin/settings'],
  ['get', '/v1/admin/integrations', '/v1/admin/integrations'],
  ['put', '/v1/admin/integrations/{provider}', '/v1/admin/integrations/twilio'],
  ['post', '/v1/admin/integrations/{provider}/test', '/v1/admin/integrations/twilio/test'],
  ['post', '/v1/admin/users/{id}/phone', '/v1/admin/users/usr_probe/phone'],
  ['get', '/v1/admin/audit', '/v1/admin/audit'],
  ['post', '/v1/webhooks/{provider}', '/v1/webhooks/twilio'],
  ['get', '/v1/dev/outbox', '/v1/dev/outbox'],
  ['get', '/healthz', '/healthz'],
  ['get', '/.well-known/jwks.json', '/.well-known/jwks.json'],
]

/** The routes every build so far implements. */
const CORE = [
  'get /v1/config',
  'post /v1/verifications',
  'post /v1/verifications/{id}/resend',
  'post /v1/verifications/{id}/check',
  'post /v1/users',
  'post /v1/sessions',
  'post /v1/sessions/refresh',
  'delete /v1/sessions/current',
  'get /v1/me',
  'get /v1/admin/settings',
  'patch /v1/admin/settings',
  'get /v1/admin/audit',
  'get /healthz',
  'get /.well-known/jwks.json',
]

describe('GET /v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document', async () => {
    const r = await t.call('GET', '/v1/openapi.json')
    expect(r.status).toBe(200)
    expect(r.body.openapi).toMatch(/^3\.1\./)
    expect(r.body.info).toMatchObject({ title: expect.any(String), version: expect.any(String) })
    expect(typeof r.body.paths).toBe('object')
  })

  it('lists every operation of API.md that the server implements', async () => {
    const doc = (await t.call('GET', '/v1/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>
    }
    const listed = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m} ${path}`),
      ),
    )
    const implemented: string[] = []
    for (const [method, path, probe] of API_MD) {
      const body = method === 'get' || method === 'delete' ? undefined : {}
      const r = await t.call(method.toUpperCase(), probe, body)
      if (!(r.status === 404 && r.body?.code === 'not_found') && r.status !== 405) {
        implemented.push(`${method} ${path}`)
      }
    }
    expect(implemented).toEqual(expect.arrayContaining(CORE))
    expect(implemented.filter((op) => !listed.has(op))).toEqual([])
  })

  it('documents the error responses as problem+json', async () => {
    const doc = (await t.call('GET', '/v1/openapi.json')).body
    const check = doc.paths['/v1/verifications/{id}/check'].post
    expect(Object.keys(check.responses)).toEqual(
      expect.arrayContaining(['200', '400', '404', '409', '410', '429']),
    )
    expect(Object.keys(check.responses['400'].content)).toEqual(['application/problem+json'])
  })
})

describe('GET /v1/dev/outbox', () => {
  it('lists what the console provider sent, newest first, filtered by number', async () => {
    const phone = phoneNo(3)
    const v = await start(t, { purpose: 'register', phone })
    t.clock.advance(30_000)
    await t.call('POST', `/v1/verifications/${v.id}/resend`, { channel: 'voice' })
    await start(t, { purpose: 'register', phone: phoneNo(4) })
    const sent = await outbox(t, phone)
    expect(sent).toHaveLength(2)
    expect(sent[0]).toEqual({
      to: phone,
      channel: 'voice',
      body: expect.any(String),
      code: expect.stringMatching(/^\d{6}$/),
      at: new Date(t.clock.now).toISOString(),
    })
    expect(sent[1]!.channel).toBe('sms')
    expect(await outbox(t)).toHaveLength(3)
  })

  it('refuses an invalid number with invalid_phone', async () => {
    expectProblem(await t.call('GET', '/v1/dev/outbox?to=12'), 400, 'invalid_phone')
  })

  it('does not exist in production mode (404)', async () => {
    const prod = await testApp({ env: { SMS_AUTH_MODE: 'production' } })
    try {
      expectProblem(
        await prod.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phoneNo(5))}`),
        404,
        'not_found',
      )
      expectProblem(await prod.call('GET', '/v1/dev/outbox'), 404, 'not_found')
      const doc = (await prod.call('GET', '/v1/openapi.json')).body
      expect(doc.paths['/v1/dev/outbox']).toBeUndefined()
    } finally {
      prod.close()
    }
  })
})
