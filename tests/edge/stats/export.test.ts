/**
 * GET /v1/admin/stats: the CSV form of the same rows, the validation of the range and grouping,
 * and who may read the figures.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { csvField } from '../../../edge/stats/csv.js'
import { ADMIN_TOKEN, lastCode, phoneNo, testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import { namedAdmin } from '../admins/fixture.js'
import { stats, today } from './helpers.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const csv = (query: string, accept = 'text/csv') =>
  t.call('GET', `/v1/admin/stats?${query}`, undefined, {
    authorization: `Bearer ${ADMIN_TOKEN}`,
    accept,
  })

async function oneVerified() {
  const phone = phoneNo(7)
  const v = await t.call('POST', '/v1/verifications', { purpose: 'register', phone })
  const code = await lastCode(t, phone)
  expect((await t.call('POST', `/v1/verifications/${v.body.id}/check`, { code })).status).toBe(200)
}

describe('GET /v1/admin/stats with Accept: text/csv', () => {
  it('answers the same rows as CSV, one line a day, as a download', async () => {
    await oneVerified()
    const json = await stats(t, 'from=2026-11-20&to=2026-11-23')
    const r = await csv('from=2026-11-20&to=2026-11-23')
    expect(r.status, r.text).toBe(200)
    expect(r.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/)
    expect(r.headers.get('content-disposition')).toBe(
      'attachment; filename="sms-auth-stats-2026-11-20-2026-11-23-by-day.csv"',
    )
    const lines = r.text.split('\r\n')
    expect(lines.at(-1)).toBe('')
    expect(lines[0]).toBe(
      'day,started,sent,delivered,undelivered,failed,verified,conversion,spend_micro_usd,trips_prefix,trips_country',
    )
    expect(lines.slice(1, -1)).toHaveLength(4)
    const last = json.rows.at(-1)!
    expect(lines[4]).toBe(`${today(t)},1,1,1,0,0,1,1,${last.spend},0,0`)
    // A day with nothing: zeros, and no conversion (an empty field).
    expect(lines[1]).toBe('2026-11-20,0,0,0,0,0,0,,0,0,0')
  })

  it('adds a column per limit that refused something, grouped by country', async () => {
    const phone = phoneNo(8)
    for (let i = 0; i < 6; i++)
      await t.call(
        'POST',
        '/v1/verifications',
        { purpose: 'register', phone },
        {
          'x-forwarded-for': `198.51.100.${i}`,
        },
      )
    const r = await csv('groupBy=country')
    const [header, ...rows] = r.text.trim().split('\r\n')
    expect(header).toBe(
      'country,started,sent,delivered,undelivered,failed,verified,conversion,spend_micro_usd,refused_messages_per_number,trips_prefix,trips_country',
    )
    expect(rows[0]).toMatch(/^IN,5,5,5,0,0,0,0,\d+,0,0,0$/)
    // The refusals have no country: their row's key is empty.
    expect(rows[1]).toBe(',0,0,0,0,0,0,,0,1,0,0')
  })

  it('is in the OpenAPI document with both of its forms', async () => {
    const doc = (await t.call('GET', '/v1/openapi.json')).body
    const op = doc.paths['/v1/admin/stats'].get
    expect(op.operationId).toBe('getStats')
    expect(Object.keys(op.responses['200'].content).sort()).toEqual([
      'application/json',
      'text/csv',
    ])
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'from',
      'groupBy',
      'to',
    ])
  })

  it('answers JSON when JSON comes first or nothing is asked', async () => {
    expect((await csv('', 'application/json, text/csv;q=0.5')).body.groupBy).toBe('day')
    expect((await csv('', '*/*')).headers.get('content-type')).toMatch(/^application\/json/)
  })

  it('quotes fields as RFC 4180 says and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('=1+1')).toBe("'=1+1")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvField(-3)).toBe('-3')
    expect(csvField(null)).toBe('')
  })
})

describe('GET /v1/admin/stats: what it refuses', () => {
  it.each([
    ['from=2026-02-30', 'from'],
    ['to=2026-13-01', 'to'],
    ['from=20261101', 'from'],
    ['groupBy=week', 'groupBy'],
    ['from=2026-11-23&to=2026-11-22', 'to'],
    ['from=2025-11-22&to=2026-11-23', 'from'],
  ])('%s: invalid_request on %s', async (query, path) => {
    const r = await t.admin('GET', `/v1/admin/stats?${query}`)
    expectProblem(r, 400, 'invalid_request')
    expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path)
  })

  it('takes 366 days, both ends counted', async () => {
    const r = await stats(t, 'from=2025-11-23&to=2026-11-23')
    expect(r.rows).toHaveLength(366)
  })

  it('is for admins: support staff may read it, nobody else', async () => {
    expectProblem(await t.call('GET', '/v1/admin/stats'), 401, 'unauthorized')
    const support = await namedAdmin(t, 1, 'support')
    const r = await t.call('GET', '/v1/admin/stats?groupBy=provider', undefined, support.auth)
    expect(r.status, r.text).toBe(200)
    expect(r.body.groupBy).toBe('provider')
  })
})
