import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, PUBLIC_URL, phoneNo, testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem, outbox, start } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const SHOP = 'https://shop.example.com'
const EVIL = 'https://evil.example.net'

async function allowShop() {
  const r = await t.admin('PATCH', '/v1/admin/settings', { allowedOrigins: [SHOP] })
  expect(r.status, r.text).toBe(200)
}

const auditCount = async () =>
  (await t.admin('GET', '/v1/admin/audit?limit=1000')).body.events.length as number

describe('request bodies', () => {
  it('answers 413 payload_too_large for a body over 16 KiB', async () => {
    const big = { purpose: 'register', phone: phoneNo(1), locale: 'x'.repeat(17 * 1024) }
    expectProblem(await t.call('POST', '/v1/verifications', big), 413, 'payload_too_large')
    expectProblem(
      await t.call('POST', '/v1/users', { pad: 'y'.repeat(20_000) }),
      413,
      'payload_too_large',
    )
    expectProblem(
      await t.call(
        'PATCH',
        '/v1/admin/settings',
        { siteName: 'z'.repeat(17_000) },
        { authorization: `Bearer ${ADMIN_TOKEN}` },
      ),
      413,
      'payload_too_large',
    )
    expect(await outbox(t)).toEqual([])
  })

  it('answers 413 when the declared content-length is over 16 KiB', async () => {
    const body = JSON.stringify({
      purpose: 'register',
      phone: phoneNo(2),
      locale: 'x'.repeat(16 * 1024),
    })
    const r = await t.call('POST', '/v1/verifications', body, {
      'content-length': String(body.length),
    })
    expectProblem(r, 413, 'payload_too_large')
  })

  it('accepts a body just under 16 KiB (no 413)', async () => {
    const body = JSON.stringify({
      email: 'a@example.com',
      password: 'long enough pw',
      name: 'A',
      pad: '',
    })
    const padded = body.replace('"pad":""', `"pad":"${'p'.repeat(16 * 1024 - body.length)}"`)
    expect(padded.length).toBe(16 * 1024)
    const r = await t.call('POST', '/v1/users', padded)
    expectProblem(r, 400, 'invalid_request')
  })

  it('answers 415 or 400 for a body that is not JSON', async () => {
    const cases: [string, Record<string, string>][] = [
      ['purpose=login&phone=1', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['hello', { 'content-type': 'text/plain' }],
      ['{"purpose": "login",', { 'content-type': 'application/json' }],
      ['not json at all', { 'content-type': 'application/json' }],
    ]
    for (const [body, headers] of cases) {
      const r = await t.call('POST', '/v1/verifications', body, headers)
      expect([400, 415], `${headers['content-type']} ${body}`).toContain(r.status)
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(typeof r.body.code).toBe('string')
    }
  })

  it('never answers 500 to odd JSON bodies', async () => {
    const bodies = [
      'null',
      '[]',
      '"text"',
      '123',
      'true',
      '{"purpose":{"$gt":""}}',
      '{"__proto__":{"x":1}}',
    ]
    const deep = '['.repeat(2000) + ']'.repeat(2000)
    const routes = [
      '/v1/verifications',
      '/v1/verifications/ver_x/resend',
      '/v1/verifications/ver_x/check',
      '/v1/users',
      '/v1/sessions',
      '/v1/sessions/refresh',
    ]
    for (const path of routes) {
      for (const body of [...bodies, deep]) {
        const r = await t.call('POST', path, body)
        expect(r.status, `${path} ${body.slice(0, 40)} → ${r.text}`).toBeLessThan(500)
        expect(r.status).toBeGreaterThanOrEqual(400)
        expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      }
    }
    const nul = await t.call('POST', '/v1/verifications', {
      purpose: 'register',
      phone: '+91 98765\u000043210',
    })
    expect(nul.status).toBe(400)
  })
})

describe('routing', () => {
  it('answers 404 not_found for unknown routes', async () => {
    expectProblem(await t.call('GET', '/v1/nope'), 404, 'not_found')
    expectProblem(await t.call('GET', '/'), 404, 'not_found')
    expectProblem(await t.call('POST', '/v1/nope', { a: 1 }), 404, 'not_found')
    expectProblem(await t.call('DELETE', '/v1/verifications/ver_x/check/extra'), 404, 'not_found')
  })

  it('answers 404 for an unknown route even without a body', async () => {
    expectProblem(await t.call('POST', '/v1/nope'), 404, 'not_found')
  })

  it('answers 405 with Allow for a known route with the wrong method', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/v1/verifications', 'POST'],
      ['GET', '/v1/verifications/ver_x/check', 'POST'],
      ['PUT', '/v1/me', 'PATCH'],
      ['GET', '/v1/sessions/current', 'DELETE'],
      ['DELETE', '/v1/admin/settings', 'GET'],
      ['POST', '/v1/config', 'GET'],
    ]
    for (const [method, path, allowed] of cases) {
      const r = await t.call(method, path, method === 'POST' ? {} : undefined)
      expectProblem(r, 405, 'method_not_allowed')
      expect(r.headers.get('allow'), `${method} ${path}`).toContain(allowed)
    }
  })

  it('answers 405 for a wrong method without a body', async () => {
    expectProblem(await t.call('PUT', '/v1/me'), 405, 'method_not_allowed')
    expectProblem(await t.call('POST', '/v1/sessions/current'), 405, 'method_not_allowed')
  })
})

describe('errors', () => {
  it('are application/problem+json with type, title, status and code', async () => {
    const responses = [
      await t.call('GET', '/v1/me'),
      await t.call('POST', '/v1/verifications', { purpose: 'nope' }),
      await t.call('POST', '/v1/verifications', { purpose: 'login', phone: '1' }),
      await t.call('POST', '/v1/verifications/ver_x/check', { code: '123456' }),
      await t.call('POST', '/v1/sessions', { email: 'a@example.com', password: 'whatever long' }),
      await t.call('GET', '/v1/admin/settings'),
      await t.call('GET', '/v1/missing'),
    ]
    for (const r of responses) {
      expect(r.status).toBeGreaterThanOrEqual(400)
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(r.body).toMatchObject({
        type: expect.any(String),
        title: expect.any(String),
        status: r.status,
        code: expect.stringMatching(/^[a-z_]+$/),
      })
    }
  })
})

describe('CORS and the Origin check', () => {
  it('answers a preflight from an allowed origin with Access-Control-Allow-Origin', async () => {
    await allowShop()
    const r = await t.call('OPTIONS', '/v1/verifications', undefined, {
      origin: SHOP,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    })
    expect(r.status).toBeLessThan(300)
    expect(r.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(r.headers.get('access-control-allow-methods')).toContain('POST')
    expect(r.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type')
    expect(r.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization')
  })

  it('gives an allowed origin Access-Control-Allow-Origin on the actual request', async () => {
    await allowShop()
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone: phoneNo(3) },
      { origin: SHOP },
    )
    expect(r.status).toBe(201)
    expect(r.headers.get('access-control-allow-origin')).toBe(SHOP)
    const c = await t.call('GET', '/v1/config', undefined, { origin: SHOP })
    expect(c.headers.get('access-control-allow-origin')).toBe(SHOP)
  })

  it('does not answer a preflight from a foreign origin with CORS headers', async () => {
    await allowShop()
    const r = await t.call('OPTIONS', '/v1/verifications', undefined, {
      origin: EVIL,
      'access-control-request-method': 'POST',
    })
    expect(r.headers.get('access-control-allow-origin')).toBeNull()
    expect(r.status).toBeGreaterThanOrEqual(400)
  })

  it('refuses a POST with a foreign Origin (origin_not_allowed) and changes nothing', async () => {
    await allowShop()
    const phone = phoneNo(4)
    const before = await auditCount()
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone },
      { origin: EVIL },
    )
    expectProblem(r, 403, 'origin_not_allowed')
    expect(r.headers.get('access-control-allow-origin')).toBeNull()
    const u = await t.call(
      'POST',
      '/v1/users',
      { email: 'evil@example.com', password: 'long enough pw', name: 'E' },
      { origin: EVIL },
    )
    expectProblem(u, 403, 'origin_not_allowed')
    expect(await outbox(t, phone)).toEqual([])
    expect(await auditCount()).toBe(before)
    const again = await t.call('POST', '/v1/users', {
      email: 'evil@example.com',
      password: 'long enough pw',
      name: 'E',
    })
    expect(again.status).toBe(201)
  })

  it('refuses a foreign Origin when no origins are configured, and allows the API’s own origin', async () => {
    expectProblem(
      await t.call(
        'POST',
        '/v1/verifications',
        { purpose: 'register', phone: phoneNo(5) },
        { origin: SHOP },
      ),
      403,
      'origin_not_allowed',
    )
    await start(t, { purpose: 'register', phone: phoneNo(5) }, { origin: PUBLIC_URL })
  })

  it('does not answer preflights on admin routes with CORS headers, even from an allowed origin', async () => {
    await allowShop()
    for (const method of ['GET', 'PATCH']) {
      const r = await t.call('OPTIONS', '/v1/admin/settings', undefined, {
        origin: SHOP,
        'access-control-request-method': method,
        'access-control-request-headers': 'authorization',
      })
      expect(r.headers.get('access-control-allow-origin')).toBeNull()
      expect(r.headers.get('access-control-allow-methods')).toBeNull()
      expect(r.headers.get('access-control-allow-headers')).toBeNull()
    }
    const get = await t.call('GET', '/v1/admin/settings', undefined, {
      origin: SHOP,
      authorization: `Bearer ${ADMIN_TOKEN}`,
    })
    expect(get.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('refuses an admin change from a browser origin and changes nothing', async () => {
    await allowShop()
    const r = await t.call(
      'PATCH',
      '/v1/admin/settings',
      { siteName: 'Changed' },
      { origin: SHOP, authorization: `Bearer ${ADMIN_TOKEN}` },
    )
    expectProblem(r, 403, 'origin_not_allowed')
    expect((await t.call('GET', '/v1/config')).body.siteName).not.toBe('Changed')
  })
})
