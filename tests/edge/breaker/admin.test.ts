/** /v1/admin/breaker: the list of tripped prefixes, release, and marking safe. */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import { auditRows } from '../test-numbers/helpers.js'
import { inPrefix, startTo, unverified } from './helpers.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const PREFIX = '+91988100'

it('lists a tripped prefix with its figures', async () => {
  await unverified(t, 8100, 20)
  const r = await t.admin('GET', '/v1/admin/breaker')
  expect(r.status, r.text).toBe(200)
  expect(r.body.entries).toEqual([
    {
      kind: 'prefix',
      scope: PREFIX,
      country: 'IN',
      blocked: true,
      safe: false,
      since: expect.any(String),
      until: expect.any(String),
      trips: 1,
      sent: 20,
      verified: 0,
      conversion: 0,
    },
  ])
  expect(Date.parse(r.body.entries[0].until) - Date.parse(r.body.entries[0].since)).toBe(3_600_000)
})

it('releases a block now, and its counts start again', async () => {
  await unverified(t, 8100, 20)
  const released = await t.admin('POST', `/v1/admin/breaker/${encodeURIComponent(PREFIX)}/release`)
  expect(released.status, released.text).toBe(200)
  expect(released.body.entry).toMatchObject({ scope: PREFIX, blocked: false, trips: 1 })
  // Not tripped again by the sends of before the release.
  expect((await startTo(t, inPrefix(8100, 1))).status).toBe(201)
  expect((await startTo(t, inPrefix(8100, 2))).status).toBe(201)
  const [row] = await auditRows(t, 'admin.breaker.release')
  expect(row).toMatchObject({ outcome: 'ok', detail: { kind: 'prefix', prefix: PREFIX } })
})

it('a prefix marked safe never trips; undone, it is judged again', async () => {
  // Digits alone name the prefix too.
  const safe = await t.admin('POST', '/v1/admin/breaker/91988100/safe')
  expect(safe.status, safe.text).toBe(200)
  expect(safe.body.entry).toMatchObject({
    scope: PREFIX,
    country: 'IN',
    safe: true,
    blocked: false,
  })
  await unverified(t, 8100, 25)
  expect(await auditRows(t, 'breaker.tripped')).toEqual([])
  const undo = await t.admin('DELETE', '/v1/admin/breaker/91988100/safe')
  expect(undo.status, undo.text).toBe(200)
  expect(undo.body.entry.safe).toBe(false)
  t.clock.advance(600_000) // the per-number limit's window
  await unverified(t, 8100, 20)
  expectProblem(await startTo(t, inPrefix(8100, 3)), 429, 'rate_limited')
})

it('marking a blocked country safe ends its block', async () => {
  for (const block of [8200, 8201, 8202]) await unverified(t, block, 20)
  expectProblem(await startTo(t, inPrefix(8209, 1)), 429, 'rate_limited')
  const r = await t.admin('POST', '/v1/admin/breaker/in/safe')
  expect(r.status, r.text).toBe(200)
  expect(r.body.entry).toMatchObject({ kind: 'country', scope: 'IN', safe: true, blocked: false })
  expect((await startTo(t, inPrefix(8209, 1))).status).toBe(201)
})

it('refuses a scope that is neither a prefix nor a country, and one never seen', async () => {
  expectProblem(await t.admin('POST', '/v1/admin/breaker/abc/release'), 400, 'invalid_request')
  expectProblem(await t.admin('POST', '/v1/admin/breaker/%2B1/release'), 400, 'invalid_request')
  expectProblem(await t.admin('POST', '/v1/admin/breaker/4479460/release'), 404, 'not_found')
  expectProblem(await t.admin('DELETE', '/v1/admin/breaker/GB/safe'), 404, 'not_found')
  expect((await t.call('GET', '/v1/admin/breaker')).status).toBe(401)
})
