/** allowedOrigins wildcards (`https://*.example.com`), what PATCH refuses, and the allowed headers. */
import { afterEach, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem, fromAddress } from '../../helpers/extra.js'

let t: TestApp
afterEach(() => t.close())

async function allow(allowedOrigins: string[]) {
  const r = await t.admin('PATCH', '/v1/admin/settings', { allowedOrigins })
  expect(r.status, r.text).toBe(200)
  expect(r.body.allowedOrigins).toEqual(allowedOrigins)
}

let n = 0
/** A state-changing call (a registration) from `origin`: 201, or 403 with nothing created. */
async function registerFrom(origin: string) {
  const email = `cors${++n}@example.com`
  const r = await t.call(
    'POST',
    '/v1/users',
    { email, password: 'long enough pw', name: 'C' },
    { origin, ...fromAddress(n) },
  )
  if (r.status !== 201) {
    expectProblem(r, 403, 'origin_not_allowed')
    expect(r.headers.get('access-control-allow-origin')).toBeNull()
    const rows = await t.db.execute({ sql: 'SELECT 1 FROM users WHERE email = ?', args: [email] })
    expect(rows.rows).toHaveLength(0)
    return false
  }
  expect(r.headers.get('access-control-allow-origin')).toBe(origin)
  return true
}

const preflight = (origin: string) =>
  t.call('OPTIONS', '/v1/verifications', undefined, {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type, authorization',
  })

describe('allowedOrigins: https://*.example.com', () => {
  it('allows any subdomain (one or more labels), same scheme and port, and nothing else', async () => {
    t = await testApp()
    await allow(['https://*.example.com'])
    const cases: [string, boolean][] = [
      ['https://sub.example.com', true],
      ['https://a.b.example.com', true],
      ['https://xn--bcher-kva.example.com', true],
      ['https://example.com', false],
      ['https://evil-example.com', false],
      ['https://example.com.evil.net', false],
      ['https://sub.example.com.evil.net', false],
      ['http://sub.example.com', false],
      ['https://sub.example.com:8443', false],
      ['https://.example.com', false],
      ['null', false],
    ]
    for (const [origin, allowed] of cases) {
      expect(await registerFrom(origin), origin).toBe(allowed)
      const p = await preflight(origin)
      expect(p.headers.get('access-control-allow-origin'), origin).toBe(allowed ? origin : null)
      if (!allowed) expectProblem(p, 403, 'origin_not_allowed')
    }
  })

  it('allows the bare domain only when it is listed too', async () => {
    t = await testApp()
    await allow(['https://*.example.com', 'https://example.com'])
    expect(await registerFrom('https://example.com')).toBe(true)
    expect(await registerFrom('https://shop.example.com')).toBe(true)
    expect(await registerFrom('https://evil-example.com')).toBe(false)
  })

  it('keeps the port of the entry', async () => {
    t = await testApp()
    await allow(['https://*.example.com:8443', 'http://*.dev.example.org'])
    expect(await registerFrom('https://sub.example.com:8443')).toBe(true)
    expect(await registerFrom('https://sub.example.com')).toBe(false)
    expect(await registerFrom('https://sub.example.com:84430')).toBe(false)
    expect(await registerFrom('http://a.dev.example.org')).toBe(true)
    expect(await registerFrom('https://a.dev.example.org')).toBe(false)
    expect(await registerFrom('http://dev.example.org')).toBe(false)
  })

  it('lets a "*" stored before entries were checked match nothing (fail closed)', async () => {
    t = await testApp()
    await t.db.execute({
      sql: `INSERT INTO settings (id, data, updated_at) VALUES (1, json(?), 0)
            ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
      args: [JSON.stringify({ allowedOrigins: ['*', 'https://*'] })],
    })
    expect(await registerFrom('https://anyone.example.net')).toBe(false)
  })
})

describe('PATCH /v1/admin/settings allowedOrigins', () => {
  it('refuses every entry that is not a bare origin or a subdomain wildcard, naming it', async () => {
    t = await testApp()
    await allow(['https://shop.example.com'])
    const bad = [
      '*',
      'https://*',
      'https://*.com',
      'https://*.localhost',
      'https://shop.example.com/',
      'https://shop.example.com/path',
      'https://shop.example.com?x=1',
      'https://shop.example.com#top',
      'https://user@shop.example.com',
      'https://user:pw@shop.example.com',
      'https://shop.example.com ',
      'https://shop.example.com:443',
      'HTTPS://Shop.Example.com',
      'https://a.*.example.com',
      'https://**.example.com',
      'https://*x.example.com',
      'https://*.*.example.com',
      'https://*.example.com/',
      'https://*.1.2.3',
      'https://*..example.com',
      'https://shop..example.com',
      'https://shop.example.com.',
      'ftp://files.example.com',
      'shop.example.com',
      '',
    ]
    for (const entry of bad) {
      const r = await t.admin('PATCH', '/v1/admin/settings', {
        allowedOrigins: ['https://ok.example.com', entry],
      })
      expectProblem(r, 400, 'invalid_request')
      const errors = r.body.errors as { path: string; message: string }[]
      expect(
        errors.map((e) => e.path),
        JSON.stringify(entry),
      ).toEqual(['allowedOrigins.1'])
      expect(errors[0]!.message.length).toBeGreaterThan(10)
    }
    // A near miss is told its canonical form.
    const near = await t.admin('PATCH', '/v1/admin/settings', {
      allowedOrigins: ['https://shop.example.com/'],
    })
    expect(near.body.errors[0].message).toContain('https://shop.example.com')
    expect((await t.admin('GET', '/v1/admin/settings')).body.allowedOrigins).toEqual([
      'https://shop.example.com',
    ])
  })

  it('accepts wildcards over a registrable domain, with or without a port, and local origins', async () => {
    t = await testApp()
    await allow([
      'https://*.example.com',
      'https://*.example.co.uk',
      'https://*.example.com:8443',
      'http://localhost:5173',
      'http://127.0.0.1:3000',
      'http://[::1]:8080',
    ])
  })
})

describe('CORS allowed request headers (SMS_AUTH_CORS_HEADERS)', () => {
  const SHOP = 'https://shop.example.com'

  it('answers preflights with the defaults, tracing headers included', async () => {
    t = await testApp()
    await allow([SHOP])
    const r = await preflight(SHOP)
    expect(r.status).toBe(204)
    expect(r.headers.get('access-control-allow-headers')).toBe(
      'Content-Type, Authorization, X-Request-Id, sentry-trace, baggage',
    )
  })

  it('answers the configured list, always with Content-Type and Authorization', async () => {
    t = await testApp({ env: { SMS_AUTH_CORS_HEADERS: ' X-Tenant ,traceparent,content-type' } })
    await allow([SHOP])
    const r = await preflight(SHOP)
    expect(r.status).toBe(204)
    expect(r.headers.get('access-control-allow-headers')).toBe(
      'Content-Type, Authorization, X-Tenant, traceparent',
    )
    // A foreign origin still gets no CORS headers at all.
    const foreign = await preflight('https://evil.example.net')
    expect(foreign.headers.get('access-control-allow-headers')).toBeNull()
  })
})
