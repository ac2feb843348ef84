/**
 * docs/api.md is the contract in the repository: every route the server describes in its OpenAPI
 * document, and every error code of shared/errors.ts, is written there.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { ERRORS } from '../../shared/errors.js'
import { testApp, type TestApp } from '../helpers/app.js'

const doc = readFile(new URL('../../docs/api.md', import.meta.url), 'utf8')
const open: TestApp[] = []
afterAll(async () => {
  for (const t of open) await t.close()
})

describe('docs/api.md', () => {
  it('names every route of the OpenAPI document with its method', async () => {
    const t = await testApp()
    open.push(t)
    const r = await t.call('GET', '/v1/openapi.json')
    expect(r.status).toBe(200)
    const text = await doc
    const missing: string[] = []
    for (const [path, ops] of Object.entries(r.body.paths as Record<string, object>))
      for (const method of Object.keys(ops)) {
        const route = `${method.toUpperCase()} ${path}`
        if (!text.includes(route)) missing.push(route)
      }
    expect(missing).toEqual([])
    expect(Object.keys(r.body.paths).length).toBeGreaterThan(25)
  })

  it('lists every error code in its table', async () => {
    const text = await doc
    const rows = new Set([...text.matchAll(/^\|\s*`([a-z_]+)`\s*\|/gm)].map((m) => m[1]))
    const missing = Object.keys(ERRORS).filter((code) => !rows.has(code))
    expect(missing).toEqual([])
  })
})
