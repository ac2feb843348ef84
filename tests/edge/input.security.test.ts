/**
 * Hostile input (SECURITY.md T01, T02, T16, T35): every bad request gets a 4xx problem+json with
 * its code, and the database is exactly as it was before.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { base64url } from '../../edge/crypto/random.js'
import { REFRESH_REUSE_GRACE_MS } from '../../edge/limits/policy.js'
import { phoneNo, registerByPhone, testApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const TABLES = [
  'users',
  'verifications',
  'sessions',
  'refresh_tokens',
  'tickets',
  'rate_events',
  'messages',
  'dev_outbox',
  'settings',
]

async function snapshot(): Promise<string> {
  const parts: string[] = []
  for (const table of TABLES)
    parts.push(JSON.stringify((await t.db.execute(`SELECT * FROM ${table}`)).rows))
  return parts.join('\n')
}

function expectProblem(
  r: { status: number; headers: Headers; body: { code?: string } },
  status?: number,
) {
  expect(r.status).toBeGreaterThanOrEqual(400)
  expect(r.status).toBeLessThan(500)
  if (status) expect(r.status).toBe(status)
  expect(r.headers.get('content-type')).toContain('application/problem+json')
  expect(typeof r.body.code).toBe('string')
}

const huge = 'x'.repeat(20_000)
const BAD_BODIES: [string, string, unknown][] = [
  ['/v1/verifications', 'malformed JSON', '{"purpose": "login", "phone": '],
  ['/v1/verifications', 'a JSON array', '[1,2,3]'],
  ['/v1/verifications', 'a number for the phone', { purpose: 'login', phone: 919876543210 }],
  ['/v1/verifications', 'an array for the phone', { purpose: 'login', phone: ['+919876543210'] }],
  ['/v1/verifications', 'an unknown purpose', { purpose: 'admin', phone: '+919876543210' }],
  [
    '/v1/verifications',
    'a NUL byte in the phone',
    { purpose: 'login', phone: '+91987654\u00003210' },
  ],
  ['/v1/verifications', 'a 3-digit number', { purpose: 'register', phone: '123' }],
  ['/v1/verifications', 'letters', { purpose: 'register', phone: 'call me maybe' }],
  [
    '/v1/verifications',
    'a 20-digit number',
    { purpose: 'register', phone: '+91987654321098765432' },
  ],
  ['/v1/verifications', 'a huge string', { purpose: 'register', phone: huge.slice(0, 10_000) }],
  [
    '/v1/verifications',
    'an unknown field',
    { purpose: 'register', phone: '+919876543210', admin: true },
  ],
  [
    '/v1/verifications',
    'a bad country',
    { purpose: 'register', phone: '9876543210', country: 'india' },
  ],
  [
    '/v1/users',
    'a forged registration ticket',
    { registrationTicket: 'reg_forged', name: 'Eve', email: 'eve@example.com' },
  ],
  [
    '/v1/users',
    'a NUL in the name',
    { email: 'e@example.com', password: 'a long enough one', name: 'E\u0000ve' },
  ],
  [
    '/v1/users',
    'a 101-character name',
    { email: 'e@example.com', password: 'a long enough one', name: 'n'.repeat(101) },
  ],
  ['/v1/users', 'a short password', { email: 'e@example.com', password: 'short', name: 'Eve' }],
  [
    '/v1/users',
    'a common password',
    { email: 'e@example.com', password: 'password123', name: 'Eve' },
  ],
  [
    '/v1/users',
    'both ticket and password',
    { registrationTicket: 'x', email: 'e@example.com', password: 'a long enough one', name: 'Eve' },
  ],
  [
    '/v1/users',
    'a bad email',
    { email: 'not-an-email', password: 'a long enough one', name: 'Eve' },
  ],
  ['/v1/sessions', 'a number for the password', { email: 'e@example.com', password: 12345678 }],
  ['/v1/sessions/refresh', 'a forged refresh token', { refreshToken: 'rt_forged' }],
  ['/v1/verifications/ver_nope/check', 'an unknown verification', { code: '123456' }],
  ['/v1/verifications/ver_nope/check', 'a number for the code', { code: 123456 }],
  ['/v1/verifications/ver_nope/check', 'null for the code', { code: null }],
  ['/v1/verifications/ver_nope/resend', 'a bad channel', { channel: 'fax' }],
]

describe('bad input', () => {
  for (const [path, what, body] of BAD_BODIES) {
    it(`POST ${path} with ${what} → 4xx problem+json, nothing changed`, async () => {
      await registerByPhone(t, phoneNo(1))
      const before = await snapshot()
      const r = await t.call('POST', path, body)
      expectProblem(r)
      expect(await snapshot()).toBe(before)
    })
  }

  it('refuses a body over 16 KiB with 413 payload_too_large', async () => {
    const r = await t.call('POST', '/v1/verifications', { purpose: 'register', phone: huge })
    expectProblem(r, 413)
    expect(r.body.code).toBe('payload_too_large')
  })

  it('refuses a body that is not JSON', async () => {
    const r = await t.call('POST', '/v1/verifications', 'purpose=login', {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expectProblem(r)
    expect([400, 415]).toContain(r.status)
  })

  it('keeps the wrong-code count when a check has a wrongly typed code', async () => {
    const phone = phoneNo(2)
    const v = await t.call('POST', '/v1/verifications', { purpose: 'register', phone })
    const r = await t.call('POST', `/v1/verifications/${v.body.id}/check`, { code: 123456 })
    expectProblem(r, 400)
    expect(r.body.code).toBe('invalid_request')
    const row = await t.db.execute({
      sql: 'SELECT attempts FROM verifications WHERE id = ?',
      args: [v.body.id],
    })
    expect(Number(row.rows[0]!.attempts)).toBe(0)
  })
})

function forge(header: object, payload: object, signature = ''): string {
  const enc = (o: object) => base64url(new TextEncoder().encode(JSON.stringify(o)))
  return `${enc(header)}.${enc(payload)}.${signature}`
}

describe('forged tokens', () => {
  async function claims() {
    const { session } = await registerByPhone(t, phoneNo(3))
    const [, payload] = session.accessToken.split('.')
    return {
      session,
      payload: JSON.parse(
        new TextDecoder().decode(
          Uint8Array.from(atob(payload!.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
            c.charCodeAt(0),
          ),
        ),
      ),
    }
  }

  it('accepts the real token', async () => {
    const { session } = await claims()
    expect(
      (await t.call('GET', '/v1/me', undefined, { authorization: `Bearer ${session.accessToken}` }))
        .status,
    ).toBe(200)
  })

  it('refuses alg: none', async () => {
    const { payload } = await claims()
    const token = forge({ alg: 'none', typ: 'JWT' }, payload)
    const r = await t.call('GET', '/v1/me', undefined, { authorization: `Bearer ${token}` })
    expectProblem(r, 401)
    expect(r.body.code).toBe('unauthorized')
  })

  it('refuses HS256 signed with the public key, and a tampered payload', async () => {
    const { session, payload } = await claims()
    const jwks = (await t.call('GET', '/.well-known/jwks.json')).body
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(JSON.stringify(jwks.keys[0])),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    const unsigned = forge({ alg: 'HS256', typ: 'JWT' }, payload).slice(0, -1)
    const sig = base64url(
      new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(unsigned))),
    )
    expectProblem(
      await t.call('GET', '/v1/me', undefined, { authorization: `Bearer ${unsigned}.${sig}` }),
      401,
    )
    const [h, , s] = session.accessToken.split('.')
    const other = forge({}, { ...payload, sub: 'usr_someoneelse' }).split('.')[1]
    expectProblem(
      await t.call('GET', '/v1/me', undefined, { authorization: `Bearer ${h}.${other}.${s}` }),
      401,
    )
  })

  it('refuses an expired token (injected clock)', async () => {
    const { session } = await claims()
    t.clock.advance(901_000)
    expectProblem(
      await t.call('GET', '/v1/me', undefined, { authorization: `Bearer ${session.accessToken}` }),
      401,
    )
  })

  it('refuses an mfa ticket used as an access token', async () => {
    const r = await t.call('POST', '/v1/users', {
      email: 'mfa@example.com',
      password: 'a long enough one',
      name: 'M',
    })
    const at = r.body.session.accessToken
    const phone = phoneNo(4)
    const v = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'enroll', phone },
      { authorization: `Bearer ${at}` },
    )
    const code = (await t.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body
      .messages[0].code
    await t.call(
      'POST',
      `/v1/verifications/${v.body.id}/check`,
      { code },
      { authorization: `Bearer ${at}` },
    )
    const signIn = await t.call('POST', '/v1/sessions', {
      email: 'mfa@example.com',
      password: 'a long enough one',
    })
    expect(signIn.body.mfaRequired).toBe(true)
    expectProblem(
      await t.call('GET', '/v1/me', undefined, {
        authorization: `Bearer ${signIn.body.mfaTicket}`,
      }),
      401,
    )
    expectProblem(
      await t.call('POST', '/v1/sessions/refresh', { refreshToken: signIn.body.mfaTicket }),
      401,
    )
    t.clock.advance(10 * 60_000 + 1)
    const late = await t.call('POST', '/v1/verifications', {
      purpose: 'mfa',
      mfaTicket: signIn.body.mfaTicket,
    })
    expectProblem(late, 401)
  })
})

describe('refresh tokens', () => {
  it('rotates, and reuse of a spent token after the two-tab grace ends the session', async () => {
    const { session } = await registerByPhone(t, phoneNo(5))
    const first = await t.call('POST', '/v1/sessions/refresh', {
      refreshToken: session.refreshToken,
    })
    expect(first.status).toBe(200)
    expect(first.body.session.refreshToken).not.toBe(session.refreshToken)
    t.clock.advance(REFRESH_REUSE_GRACE_MS)
    const reuse = await t.call('POST', '/v1/sessions/refresh', {
      refreshToken: session.refreshToken,
    })
    expectProblem(reuse, 401)
    const auth = { authorization: `Bearer ${first.body.session.accessToken}` }
    expectProblem(await t.call('GET', '/v1/me', undefined, auth), 401)
    expectProblem(
      await t.call('POST', '/v1/sessions/refresh', {
        refreshToken: first.body.session.refreshToken,
      }),
      401,
    )
  })
})
