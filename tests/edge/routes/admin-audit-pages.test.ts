/** GET /v1/admin/audit a page at a time: `before` (an event id) and `nextBefore`. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { phoneNo, testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem, fromAddress, start } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
  for (let i = 0; i < 5; i++) {
    await start(t, { purpose: 'register', phone: phoneNo(i) }, fromAddress(i))
    await t.admin('PATCH', '/v1/admin/settings', { siteName: `Site ${i}` })
    t.clock.advance(1_000)
  }
})
afterEach(() => t.close())

type Page = { events: { id: number; action: string }[]; nextBefore: number | null }

async function walk(query: string): Promise<Page[]> {
  const pages: Page[] = []
  let before: number | null | undefined
  do {
    const r = await t.admin('GET', `/v1/admin/audit?${query}${before ? `&before=${before}` : ''}`)
    expect(r.status, r.text).toBe(200)
    pages.push(r.body as Page)
    before = (r.body as Page).nextBefore
  } while (before !== null && pages.length < 20)
  return pages
}

describe('GET /v1/admin/audit', () => {
  it('pages through every event newest first, each once, with nextBefore null on the last page', async () => {
    const all = (await t.admin('GET', '/v1/admin/audit?limit=1000')).body as Page
    expect(all.events).toHaveLength(10)
    expect(all.nextBefore).toBeNull()
    const pages = await walk('limit=3')
    expect(pages.map((p) => p.events.length)).toEqual([3, 3, 3, 1])
    expect(pages.flatMap((p) => p.events.map((e) => e.id))).toEqual(all.events.map((e) => e.id))
    expect(pages[0]!.nextBefore).toBe(pages[0]!.events[2]!.id)
  })

  it('pages the events of one action alone', async () => {
    const pages = await walk('limit=2&action=admin.settings')
    expect(pages.map((p) => p.events.length)).toEqual([2, 2, 1])
    const events = pages.flatMap((p) => p.events)
    expect(new Set(events.map((e) => e.action))).toEqual(new Set(['admin.settings']))
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => b - a))
  })

  it('answers nextBefore null when a full page holds the oldest event (no empty page to fetch)', async () => {
    const first = (await t.admin('GET', '/v1/admin/audit?limit=5&action=admin.settings'))
      .body as Page
    expect(first.events).toHaveLength(5)
    expect(first.nextBefore).toBeNull()
  })

  it('refuses a cursor or a limit out of range', async () => {
    for (const q of ['before=0', 'before=abc', 'before=-4', 'limit=1001'])
      expectProblem(await t.admin('GET', `/v1/admin/audit?${q}`), 400, 'invalid_request')
  })

  it('is documented in the OpenAPI document', async () => {
    const doc = (await t.call('GET', '/v1/openapi.json')).body
    const op = doc.paths['/v1/admin/audit'].get
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'action',
      'before',
      'limit',
    ])
    const schema = op.responses['200'].content['application/json'].schema
    expect(Object.keys(schema.properties).sort()).toEqual(['events', 'nextBefore'])
  })
})
