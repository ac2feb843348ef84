/**
 * Issue 13: the OpenAPI document reads well to generators and linters: Redocly's recommended
 * ruleset finds no error, every operation has a stable camelCase operationId and the security it
 * needs, the shared types are named components, and every operation lists the errors its traits
 * give it (checked here one by one, against the server by tests/edge/openapi/prism.test.ts).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { root } from '../../helpers/server.js'
import { testApp, type TestApp } from '../../helpers/app.js'

interface Op {
  operationId?: string
  description?: string
  security?: Record<string, string[]>[]
  parameters?: { in: string }[]
  requestBody?: unknown
  responses: Record<string, { content?: object; headers?: Record<string, unknown> }>
}
let t: TestApp
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any
let ops: { method: string; path: string; op: Op }[]
beforeAll(async () => {
  t = await testApp()
  doc = (await t.call('GET', '/v1/openapi.json')).body
  ops = Object.entries(doc.paths as Record<string, Record<string, Op>>).flatMap(
    ([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ method, path, op })),
  )
})
afterAll(() => t.close())

const name = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`
const NO_INPUT = ['GET /v1/config', 'GET /healthz', 'GET /.well-known/jwks.json']

describe('the OpenAPI document', () => {
  it('passes redocly lint (recommended) with no error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sms-auth-redocly-'))
    try {
      const file = join(dir, 'openapi.json')
      await writeFile(file, JSON.stringify(doc))
      const bin = join(root, 'node_modules/.bin/redocly')
      const args = ['lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'json']
      const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: '1' }
      // Exit status 1 on errors: the report on stdout says which.
      const out = await promisify(execFile)(bin, args, { env }).catch((e) => e)
      const report = JSON.parse(out.stdout)
      expect(report.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual(
        [],
      )
      // The only warnings allowed are those redocly.yaml justifies.
      const warned = report.problems.map(
        (p: { ruleId: string; location: { pointer: string }[] }) =>
          `${p.ruleId} ${p.location[0].pointer}`,
      )
      expect(warned.sort()).toEqual(
        [
          'operation-4xx-response #/paths/~1.well-known~1jwks.json/get/responses',
          'operation-4xx-response #/paths/~1healthz/get/responses',
          'operation-4xx-response #/paths/~1v1~1config/get/responses',
        ].sort(),
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it('gives every operation a unique camelCase operationId', () => {
    const ids = ops.map((o) => o.op.operationId)
    expect(ops.length).toBeGreaterThan(30)
    for (const o of ops) expect(o.op.operationId, name(o)).toMatch(/^[a-z][a-zA-Z]+$/)
    expect(new Set(ids).size).toBe(ids.length)
    expect(doc.paths['/v1/verifications/{id}/check'].post.operationId).toBe('checkVerification')
  })

  it('is described in docs/api.md: every operationId and security scheme', async () => {
    const text = await readFile(join(root, 'docs/api.md'), 'utf8')
    for (const o of ops) expect(text, name(o)).toContain(`\`${o.op.operationId}\``)
    for (const s of Object.keys(doc.components.securitySchemes)) expect(text).toContain(`\`${s}\``)
    expect(text).toContain('`security: [{}, {bearerAuth: []}]`')
  })

  it('names the security of every operation with a defined scheme', () => {
    const schemes = Object.keys(doc.components.securitySchemes).sort()
    expect(schemes).toEqual(['adminToken', 'bearerAuth', 'metricsToken'])
    for (const o of ops) {
      expect(o.op.security, name(o)).toBeDefined()
      for (const req of o.op.security!)
        for (const s of Object.keys(req)) expect(schemes, name(o)).toContain(s)
      if (o.path.startsWith('/v1/admin/'))
        expect(o.op.security, name(o)).toEqual([{ adminToken: [] }])
      if (o.path.startsWith('/v1/me')) expect(o.op.security, name(o)).toEqual([{ bearerAuth: [] }])
    }
    expect(doc.paths['/v1/sessions/introspect'].post.security).toEqual([{ adminToken: [] }])
    expect(doc.paths['/metrics'].get.security).toEqual([{ metricsToken: [] }, { adminToken: [] }])
    expect(doc.paths['/v1/config'].get.security).toEqual([])
    // The check of an enroll or change_phone code needs the bearer: optional in the scheme, said so.
    const check = doc.paths['/v1/verifications/{id}/check'].post
    expect(check.security).toEqual([{}, { bearerAuth: [] }])
    expect(check.description).toMatch(/`enroll`[^.]*`change_phone`[^.]*Bearer access token/)
  })

  it('names the shared types as components instead of repeating them inline', () => {
    const schemas = doc.components.schemas
    for (const n of ['User', 'Session', 'UserSession', 'Verification', 'Settings', 'Problem'])
      expect(schemas[n], n).toBeDefined()
    // The body of User appears once, as its component.
    const user = JSON.stringify(schemas.User.properties)
    expect(JSON.stringify(doc.paths).includes(user)).toBe(false)
    expect(JSON.stringify(doc.paths)).toContain('"#/components/schemas/User"')
  })

  it('lists on every operation the errors its traits give it, as problem+json', () => {
    for (const o of ops) {
      const { op } = o
      const has = (s: number) =>
        expect(Object.keys(op.responses), `${name(o)} ${s}`).toContain(`${s}`)
      has(500)
      if (o.path !== '/.well-known/jwks.json') has(503)
      if (op.requestBody) [400, 413, 415].forEach(has)
      if (op.parameters?.some((p) => p.in === 'path')) [400, 404].forEach(has)
      if (op.security?.length && op.security.every((r) => Object.keys(r).length)) has(401)
      if (!['get', 'head'].includes(o.method)) has(403)
      if (!NO_INPUT.includes(name(o)))
        expect(
          Object.keys(op.responses).some((s) => s.startsWith('4')),
          name(o),
        ).toBe(true)
      for (const [status, res] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue
        expect(Object.keys(res.content ?? {}), `${name(o)} ${status}`).toEqual([
          'application/problem+json',
        ])
        if (status === '429' || status === '503')
          expect(res.headers?.['Retry-After'], `${name(o)} ${status}`).toBeDefined()
      }
    }
    const rateLimited = ops.filter((o) => o.op.responses['429'])
    expect(rateLimited.length).toBeGreaterThan(8)
  })
})
