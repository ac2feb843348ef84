/**
 * Issue 13: the OpenAPI document tells the whole truth. The flows a site runs (phone registration
 * and login, a resend, a wrong code, refresh, me, TOTP set-up and an MFA sign-in with it, backup
 * codes, an admin settings read and patch, a 429, a 404) go through Prism's validation proxy in
 * front of a real edge: any answer the document does not describe fails the test. Requests that
 * break the document (a 413, a 415, a 405, an unknown path) are refused by Prism itself; the
 * edge's own answer to each is then checked against what the document says of that operation.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { totpAt } from '../../helpers/flows.js'
import { startServer, type Server } from '../../helpers/server.js'
import { saveDocument, send, startPrism, type Answer, type Prism } from './prism.js'

const ADMIN = 'prism-admin-token-0123456789'
let edge: Server
let prism: Prism
let dir: string
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sms-auth-prism-'))
  edge = await startServer({
    runtime: 'node',
    env: { SMS_AUTH_ADMIN_TOKEN: ADMIN, SMS_AUTH_SECRET: 'b'.repeat(64) },
  })
  const file = await saveDocument(edge.url, dir)
  doc = JSON.parse(await readFile(file, 'utf8'))
  prism = await startPrism(file, edge.url)
}, 60_000)
afterAll(async () => {
  await prism?.proc.close()
  await edge?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const json = (body: unknown, token?: string) => ({
  body: JSON.stringify(body),
  headers: {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  },
})
const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

/** Through Prism: the expected status, and nothing the document does not describe. */
async function ok(
  status: number,
  method: string,
  path: string,
  init?: Parameters<typeof send>[3],
): Promise<Answer> {
  const r = await send(prism.url, method, path, init)
  expect(r.violations, `${method} ${path}`).toEqual([])
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(status)
  return r
}

async function codeFor(phone: string): Promise<string> {
  const r = await ok(200, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
  return r.body.messages[0].code
}

describe('Prism validation proxy in front of the edge', () => {
  it('finds nothing undocumented in the flows', async () => {
    await ok(200, 'GET', '/v1/config')
    await ok(200, 'GET', '/healthz')
    await ok(200, 'GET', '/.well-known/jwks.json')
    const phone = '+14155552671'
    const v = await ok(201, 'POST', '/v1/verifications', json({ purpose: 'register', phone }))
    const id = v.body.id as string
    // A resend before resendAt: 429 with Retry-After (Prism checks the required header).
    const early = await ok(429, 'POST', `/v1/verifications/${id}/resend`, json({}))
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0)
    const code = await codeFor(phone)
    const wrong = code === '000000' ? '111111' : '000000'
    const bad = await ok(400, 'POST', `/v1/verifications/${id}/check`, json({ code: wrong }))
    expect(bad.body.code).toBe('invalid_code')
    const checked = await ok(200, 'POST', `/v1/verifications/${id}/check`, json({ code }))
    const ticket = checked.body.registrationTicket as string
    const user = await ok(
      201,
      'POST',
      '/v1/users',
      json({ registrationTicket: ticket, name: 'Pri', email: 'pri@example.test' }),
    )
    let session = user.body.session
    const refreshed = await ok(
      200,
      'POST',
      '/v1/sessions/refresh',
      json({ refreshToken: session.refreshToken }),
    )
    session = refreshed.body.session
    const token = session.accessToken as string
    await ok(200, 'GET', '/v1/me', auth(token))

    // TOTP set-up, backup codes, then a phone login that asks for the TOTP.
    const setup = await ok(200, 'POST', '/v1/me/totp', auth(token))
    const secret = setup.body.secret as string
    const now = Date.now()
    await ok(200, 'POST', '/v1/me/totp/verify', json({ code: totpAt(secret, now) }, token))
    const codes = await ok(201, 'POST', '/v1/me/backup-codes', auth(token))
    expect(codes.body.codes.length).toBeGreaterThan(0)
    await ok(200, 'GET', '/v1/me/backup-codes', auth(token))
    const login = await ok(201, 'POST', '/v1/verifications', json({ purpose: 'login', phone }))
    const loginCode = await codeFor(phone)
    const step = await ok(
      200,
      'POST',
      `/v1/verifications/${login.body.id}/check`,
      json({ code: loginCode }),
    )
    expect(step.body.mfaRequired).toBe(true)
    const mfa = await ok(
      200,
      'POST',
      '/v1/mfa/backup-code',
      json({ mfaTicket: step.body.mfaTicket, code: codes.body.codes[0] }),
    )
    expect(mfa.body.user.id).toBe(user.body.user.id)

    // The site owner's settings.
    const settings = await ok(200, 'GET', '/v1/admin/settings', auth(ADMIN))
    const patched = await ok(
      200,
      'PATCH',
      '/v1/admin/settings',
      json({ siteName: `${settings.body.siteName} (patched)` }, ADMIN),
    )
    expect(patched.body.siteName).toMatch(/\(patched\)$/)
    await ok(204, 'DELETE', '/v1/sessions/current', auth(mfa.body.session.accessToken))

    // A 404 the document names: an unknown verification id.
    const gone = await ok(404, 'POST', '/v1/verifications/ver_nosuch/check', json({ code }))
    expect(gone.body.code).toBe('verification_not_found')
  }, 60_000)

  /** The edge's own answer to a request Prism refused: documented for `op`, problem+json. */
  async function direct(op: { responses: object } | undefined, status: number, a: Answer) {
    expect(a.refusedByPrism).toBe(true)
    expect(op && Object.keys(op.responses)).toContain(String(status))
  }

  it('agrees with the edge on a 413, a 415, a 405 and an unknown path', async () => {
    const op = doc.paths['/v1/verifications'].post
    const big = JSON.stringify({ purpose: 'login', phone: '1'.repeat(20_000) })
    const cases = [
      { status: 413, method: 'POST', path: '/v1/verifications', init: json({}), op },
      { status: 415, method: 'POST', path: '/v1/verifications', op },
      { status: 405, method: 'DELETE', path: '/v1/config', op: undefined },
      { status: 404, method: 'GET', path: '/v1/nosuch', op: undefined },
    ] as const
    for (const c of cases) {
      const init =
        c.status === 413
          ? { ...json({}), body: big }
          : c.status === 415
            ? { body: 'phone=1', headers: { 'content-type': 'text/plain' } }
            : {}
      const viaPrism = await send(prism.url, c.method, c.path, init)
      expect(viaPrism.refusedByPrism, `${c.method} ${c.path}`).toBe(true)
      const own = await send(edge.url, c.method, c.path, init)
      expect(own.status, `${c.method} ${c.path}`).toBe(c.status)
      expect(own.headers.get('content-type')).toBe('application/problem+json')
      if (c.op) await direct(c.op, c.status, viaPrism)
      if (c.status === 405) {
        // The methods the edge allows are exactly those the document has for the path.
        const documented = Object.keys(doc.paths['/v1/config']).map((m) => m.toUpperCase())
        expect(own.headers.get('allow')?.split(', ').sort()).toEqual(documented.sort())
        expect(viaPrism.status).toBe(405)
      }
      if (c.status === 404) expect(viaPrism.status).toBe(404)
    }
  })
})
