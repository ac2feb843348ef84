/**
 * Each admin role against every admin operation, walked from the OpenAPI document (so a route added
 * later is covered without a change here): the admin token and a named owner reach every handler;
 * a support admin reaches only the operations of SUPPORT and is refused `403 forbidden` on the rest;
 * a plain user's token and an admin's SMS-only session are `403`, no token `401`. GET /metrics
 * and introspection take the admin token only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_TOKEN,
  phoneNo,
  registerByPhone,
  testApp,
  type Res,
  type TestApp,
} from '../../helpers/app.js'
import { bearer, expectProblem, signUp } from '../../helpers/extra.js'
import { namedAdmin, signInSmsOnly, type Named } from './fixture.js'

/** What support staff may use (docs/api.md, Admin accounts and roles); everything else: owners. */
const SUPPORT = new Set([
  'get /v1/admin/me',
  'get /v1/admin/settings',
  'get /v1/admin/audit',
  'get /v1/admin/integrations',
  'get /v1/admin/integrations/{provider}',
  'get /v1/admin/users',
  'get /v1/admin/users/{id}',
  'patch /v1/admin/users/{id}',
  'post /v1/admin/users/{id}/unlock',
  'post /v1/admin/users/{id}/sessions/revoke',
  'get /v1/admin/event-endpoints',
  'get /v1/admin/event-endpoints/{id}/deliveries',
  'get /v1/admin/breaker',
  'get /v1/admin/stats',
  'get /v1/admin/limits',
])
/** The admin token only: server-to-server routes, never a named admin's session. */
const TOKEN_ONLY = new Set(['get /metrics', 'post /v1/sessions/introspect'])

let t: TestApp
let owner: Named
let support: Named
let ops: { op: string; method: string; path: string; statuses: string[] }[]
const as: Record<string, Record<string, string>> = {}

beforeAll(async () => {
  t = await testApp()
  owner = await namedAdmin(t, 1, 'owner')
  support = await namedAdmin(t, 2, 'support')
  // An admin row for a phone-only account (it could never be granted one: see admins.test.ts),
  // signed in with the SMS code alone: one factor.
  const phoneOnly = await registerByPhone(t, phoneNo(3900))
  await t.db.execute({
    sql: `INSERT INTO admins (user_id, role, created_at, created_by) VALUES (?, 'owner', 0, 'test')`,
    args: [phoneOnly.user.id],
  })
  const sms = await signInSmsOnly(t, phoneNo(3900))
  const user = await signUp(t, 'plain@example.com')
  as.owner = owner.auth
  as.token = bearer(ADMIN_TOKEN)
  as.support = support.auth
  as.user = bearer(user.session.accessToken)
  as.smsOnly = bearer(sms.accessToken)
  const doc = await t.call('GET', '/v1/openapi.json')
  ops = Object.entries(
    doc.body.paths as Record<string, Record<string, { security?: object[]; responses: object }>>,
  )
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        op: `${method} ${path}`,
        method,
        path,
        sec: op.security,
        statuses: Object.keys(op.responses),
      })),
    )
    .filter((o) => JSON.stringify(o.sec ?? []).includes('adminToken'))
}, 60_000)

afterAll(() => t?.close())

/** The operation with its path parameters filled (ids that name nothing) and an empty JSON body. */
function call(
  o: { method: string; path: string },
  headers: Record<string, string> = {},
): Promise<Res> {
  const path = o.path
    .replace('{provider}', 'console')
    .replace('{id}', o.path.includes('event-') ? 'whe_nobody' : 'usr_nobody')
    .replace('{userId}', 'usr_nobody')
  return t.call(o.method.toUpperCase(), path, o.method === 'get' ? undefined : {}, headers)
}

describe('admin roles, on every admin operation of the OpenAPI document', () => {
  it('finds the admin operations, and every support one among them', () => {
    expect(ops.length).toBeGreaterThan(25)
    const names = ops.map((o) => o.op)
    for (const op of [...SUPPORT, ...TOKEN_ONLY]) expect(names).toContain(op)
    // The document tells clients so: every admin operation may answer 401 and (roles) 403.
    for (const o of ops)
      expect(o.statuses, o.op).toEqual(
        expect.arrayContaining(TOKEN_ONLY.has(o.op) ? ['401'] : ['401', '403']),
      )
  })

  it('without a token: 401 unauthorized', async () => {
    for (const o of ops) expectProblem(await call(o), 401, 'unauthorized')
  })

  it('a plain user, and an admin signed in with the SMS code alone: 403 forbidden', async () => {
    for (const o of ops) {
      if (TOKEN_ONLY.has(o.op)) continue
      const user = await call(o, as.user!)
      expect({ op: o.op, status: user.status, code: user.body?.code }).toEqual({
        op: o.op,
        status: 403,
        code: 'forbidden',
      })
      const sms = await call(o, as.smsOnly!)
      expect({ op: o.op, status: sms.status, code: sms.body?.code }).toEqual({
        op: o.op,
        status: 403,
        code: 'forbidden',
      })
      expect(sms.body.detail).toMatch(/phone and a second factor/)
    }
  })

  it('support: the support operations reach their handler; every other one is 403 forbidden', async () => {
    for (const o of ops) {
      const r = await call(o, as.support!)
      const got = { op: o.op, status: r.status, code: r.body?.code }
      if (TOKEN_ONLY.has(o.op)) expect(got).toMatchObject({ status: 401, code: 'unauthorized' })
      else if (SUPPORT.has(o.op)) {
        expect([401, 403], `${o.op}: ${r.text}`).not.toContain(r.status)
        expect(r.status, o.op).toBeLessThan(500)
      } else expect(got).toEqual({ op: o.op, status: 403, code: 'forbidden' })
    }
  })

  it('a named owner and the admin token reach every handler (GET /metrics: the token only)', async () => {
    for (const o of ops) {
      for (const who of ['owner', 'token'] as const) {
        const r = await call(o, who === 'owner' ? as.owner! : as.token!)
        if (who === 'owner' && TOKEN_ONLY.has(o.op)) {
          expectProblem(r, 401, 'unauthorized')
          continue
        }
        expect([401, 403], `${who} ${o.op}: ${r.text}`).not.toContain(r.status)
        expect(r.status, o.op).toBeLessThan(500)
      }
    }
  })
})
