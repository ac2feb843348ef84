/**
 * Past one machine: two real server processes on one sqld (libSQL server). State, limits and
 * single use must hold across them, since instances keep nothing of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request, startServer, type Server } from '../helpers/server.js'
import { startSqld, type Sqld } from '../helpers/sqld.js'

let sqld: Sqld
let a: Server
let b: Server
const ADMIN = 'cluster-admin-token-0123456789'
const env = () => ({
  DATABASE_URL: sqld.url,
  SMS_AUTH_SECRET: 'c'.repeat(64),
  SMS_AUTH_ADMIN_TOKEN: ADMIN,
  SMS_AUTH_PUBLIC_URL: 'http://auth.test',
  SMS_AUTH_TRUST_PROXY: '1',
})

beforeAll(async () => {
  sqld = await startSqld()
  a = await startServer({ runtime: 'node', env: env() })
  b = await startServer({ runtime: 'node', env: env() })
}, 90_000)

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()])
  await sqld?.close()
})

let ip = 0
/** Each request from its own address, so the per-address limits stay out of the way. */
const call = (
  s: Server,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => request(s, method, path, body, { 'x-forwarded-for': `10.9.0.${++ip % 250}`, ...headers })
const code = async (s: Server, phone: string) =>
  (await call(s, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body.messages[0]
    .code as string

describe('two instances on one sqld', () => {
  it('registers on one instance and signs in on the other; sessions end everywhere', async () => {
    const phone = '+919811100001'
    const v = await call(a, 'POST', '/v1/verifications', { purpose: 'register', phone })
    expect(v.status).toBe(201)
    const checked = await call(b, 'POST', `/v1/verifications/${v.body.id}/check`, {
      code: await code(b, phone),
    })
    expect(checked.body.status).toBe('approved')
    const user = await call(a, 'POST', '/v1/users', {
      registrationTicket: checked.body.registrationTicket,
      name: 'Ravi',
      email: 'ravi@example.com',
    })
    expect(user.status).toBe(201)
    const auth = { authorization: `Bearer ${user.body.session.accessToken}` }
    expect((await call(b, 'GET', '/v1/me', undefined, auth)).body.user.id).toBe(user.body.user.id)
    const login = await call(b, 'POST', '/v1/verifications', { purpose: 'login', phone })
    const signed = await call(a, 'POST', `/v1/verifications/${login.body.id}/check`, {
      code: await code(a, phone),
    })
    expect(signed.body.session.accessToken).toBeTruthy()
    expect((await call(b, 'DELETE', '/v1/sessions/current', undefined, auth)).status).toBe(204)
    expect((await call(a, 'GET', '/v1/me', undefined, auth)).status).toBe(401)
  })

  it('approves exactly one of 20 concurrent correct checks spread over both', async () => {
    const phone = '+919811100002'
    const v = await call(a, 'POST', '/v1/verifications', { purpose: 'register', phone })
    const c = await code(a, phone)
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 ? a : b, 'POST', `/v1/verifications/${v.body.id}/check`, { code: c }),
      ),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.every((r) => [200, 409, 429].includes(r.status))).toBe(true)
  })

  it('caps wrong codes at 5 across both instances', async () => {
    const phone = '+919811100003'
    const v = await call(b, 'POST', '/v1/verifications', { purpose: 'register', phone })
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(i % 2 ? a : b, 'POST', `/v1/verifications/${v.body.id}/check`, { code: '1234567' }),
      ),
    )
    expect(results.filter((r) => r.body.code === 'invalid_code')).toHaveLength(5)
    expect(
      (
        await call(a, 'POST', `/v1/verifications/${v.body.id}/check`, {
          code: await code(a, phone),
        })
      ).body.code,
    ).toBe('too_many_attempts')
  })

  it('counts the per-phone limit across both instances', async () => {
    const phone = '+919811100004'
    const statuses: number[] = []
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await call(i % 2 ? a : b, 'POST', '/v1/verifications', { purpose: 'register', phone }))
          .status,
      )
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429])
  })

  it('shares settings and signing keys', async () => {
    const patched = await call(
      a,
      'PATCH',
      '/v1/admin/settings',
      { defaultCountry: 'IN', siteName: 'Cluster' },
      { authorization: `Bearer ${ADMIN}` },
    )
    expect(patched.status).toBe(200)
    const config = await call(b, 'GET', '/v1/config')
    expect(config.body).toMatchObject({ defaultCountry: 'IN', siteName: 'Cluster' })
    const [ka, kb] = await Promise.all([
      call(a, 'GET', '/.well-known/jwks.json'),
      call(b, 'GET', '/.well-known/jwks.json'),
    ])
    expect(ka.body.keys).toEqual(kb.body.keys)
    expect(ka.body.keys).toHaveLength(1)
  })
})
