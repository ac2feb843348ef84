/**
 * Issue 11, routes: the JSON content-type check and authentication are route middleware,
 * declared on each route (edge/http/json-body.ts, edge/http/auth.ts), not checks in handlers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonBody } from '../../../edge/http/json-body.js'
import { testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The app's routes (method, Hono path), each once, without the app-wide middleware. */
function routes() {
  const seen = new Map<string, { method: string; path: string }>()
  for (const r of t.api.app.routes)
    if (r.method !== 'ALL') seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path })
  return [...seen.values()]
}

describe('route middleware', () => {
  it('every route that takes a body declares the JSON check (receipts excepted)', () => {
    const withBody = routes().filter((r) => WITH_BODY.has(r.method))
    expect(withBody.length).toBeGreaterThan(15)
    const missing = withBody
      .filter((r) => !r.path.startsWith('/v1/webhooks/'))
      .filter(
        (r) =>
          !t.api.app.routes.some(
            (h) => h.method === r.method && h.path === r.path && h.handler === jsonBody,
          ),
      )
      .map((r) => `${r.method} ${r.path}`)
    expect(missing).toEqual([])
    const receipts = t.api.app.routes.filter((h) => h.path.startsWith('/v1/webhooks/'))
    expect(receipts.length).toBeGreaterThan(0)
    expect(receipts.some((h) => h.handler === jsonBody)).toBe(false)
  })

  it('every route documented with bearer security refuses a request without a token', async () => {
    const doc = (await t.call('GET', '/v1/openapi.json')).body as {
      paths: Record<string, Record<string, { security?: object[] }>>
    }
    const ops = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    )
    // Required: every alternative names a scheme. Optional (`[{}, {bearerAuth: []}]`) and public
    // (`[]`) operations never refuse a tokenless request as `unauthorized` (provider receipts,
    // which carry their own signature, excepted).
    const required = (s: object[]) => s.length > 0 && s.every((r) => Object.keys(r).length > 0)
    const secured = ops.filter(({ op }) => required(op.security ?? []))
    expect(secured.length).toBeGreaterThan(15)
    const call = ({ method, path }: { method: string; path: string }) =>
      t.call(method, path.replace(/\{[^}]+\}/g, 'x'), WITH_BODY.has(method) ? {} : undefined)
    for (const op of secured) expectProblem(await call(op), 401, 'unauthorized')
    const open = ops.filter(
      ({ op, path }) => !required(op.security ?? []) && !path.startsWith('/v1/webhooks/'),
    )
    expect(open.length).toBeGreaterThan(10)
    for (const op of open) {
      expect(op.op.security, `${op.method} ${op.path}`).toBeDefined()
      const r = await call(op)
      expect(r.body?.code, `${op.method} ${op.path}`).not.toBe('unauthorized')
    }
  })
})
