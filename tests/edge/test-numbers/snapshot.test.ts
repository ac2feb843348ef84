/**
 * The test numbers live in the configuration snapshot (edge/settings/snapshot.ts, migration 0017):
 * a start reads no `test_numbers` row of its own, yet an add, a removal or a re-seal made by any
 * instance is honoured by the next start on every other one, since each moves the version.
 */
import { createClient, type Client, type InStatement } from '@libsql/client'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SECRET, testApp, type TestApp } from '../../helpers/app.js'
import { check, expectProblem, fromAddress } from '../../helpers/extra.js'
import { listNumber, UK_TEST, US_TEST } from './helpers.js'

const CODE = '424242'
const NEW = 'b'.repeat(64)

/** A client that records the SQL of every statement it is given (batches included). */
function recording(db: Client): { db: Client; sql: string[] } {
  const sql: string[] = []
  const text = (s: InStatement | string) => (typeof s === 'string' ? s : s.sql)
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === 'execute') return (s: InStatement) => (sql.push(text(s)), target.execute(s))
      if (prop === 'batch')
        return (s: InStatement[], mode?: 'read' | 'write') => (
          sql.push(...s.map(text)),
          target.batch(s, mode)
        )
      const value = Reflect.get(target, prop) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { db: proxy, sql }
}

let dir: string
let url: string
const apps: TestApp[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sms-auth-test-numbers-'))
  url = `file:${join(dir, 'db.sqlite')}`
})
afterEach(() => {
  for (const t of apps.splice(0)) t.close()
  rmSync(dir, { recursive: true, force: true })
})

/** One more instance on the shared file: its own client, so its own snapshot. */
async function instance(env: Record<string, string> = {}, db = createClient({ url })) {
  const t = await testApp({ db, env })
  apps.push(t)
  return t
}

let n = 0
const startTo = (t: TestApp, phone: string) =>
  t.call('POST', '/v1/verifications', { purpose: 'register', phone }, fromAddress(++n))

describe('test numbers in the configuration snapshot', () => {
  it('an add and a removal on one instance are honoured by the next start on another', async () => {
    const a = await instance()
    const b = await instance()
    // B's snapshot is loaded while the number (a reserved one) is not listed: refused.
    expectProblem(await startTo(b, US_TEST), 400, 'invalid_phone')
    await listNumber(a, US_TEST, CODE)
    const v = await startTo(b, US_TEST)
    expect(v.status, v.text).toBe(201)
    expect((await check(b, v.body.id, CODE)).status).toBe(200)
    expect((await a.admin('DELETE', `/v1/admin/test-numbers/${US_TEST}`)).status).toBe(204)
    expectProblem(await startTo(b, US_TEST), 400, 'invalid_phone')
  })

  it('a re-seal moves the version: an instance that could not open the old seal can now', async () => {
    const old = await instance()
    // A rotation under way: the signing key is re-sealed under the new secret at once, so an
    // instance with the new secret only can start; the old instance still seals under the old.
    const both = () => instance({ SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: SECRET })
    await (await both()).api.resealed()
    const rolled = await instance({ SMS_AUTH_SECRET: NEW })
    const unreadable = () => rolled.logs.filter((l) => l.includes('sealed.unreadable')).length
    expectProblem(await startTo(rolled, UK_TEST), 400, 'invalid_phone')
    await listNumber(old, UK_TEST, CODE)
    await listNumber(old, US_TEST, CODE)
    // The list as sealed under the old secret opens for none of it: the number is unlisted.
    expectProblem(await startTo(rolled, UK_TEST), 400, 'invalid_phone')
    // Only the number asked for is opened: one unreadable seal, not the whole list's.
    expect(unreadable()).toBe(1)
    expect((await startTo(rolled, '+919812345678')).status).toBe(201)
    expect(unreadable()).toBe(1)
    // An instance with both secrets re-seals the list before it serves (maintenance/reseal.ts).
    await both()
    const v = await startTo(rolled, UK_TEST)
    expect(v.status, v.text).toBe(201)
    expect((await check(rolled, v.body.id, CODE)).status).toBe(200)
    expect(unreadable()).toBe(1)
  })

  it('a start reads the version once and no test_numbers row', async () => {
    const rec = recording(createClient({ url }))
    const t = await instance({}, rec.db)
    await listNumber(t, US_TEST, CODE)
    // The first start after the add reloads the snapshot (the list with it).
    expect((await startTo(t, US_TEST)).status).toBe(201)
    for (const phone of [US_TEST, '+919812345678']) {
      rec.sql.length = 0
      const v = await startTo(t, phone)
      expect(v.status, v.text).toBe(201)
      expect(rec.sql.filter((s) => /\btest_numbers\b/.test(s))).toEqual([])
      expect(rec.sql.filter((s) => /\bconfig_version\b/.test(s))).toEqual([
        'SELECT version FROM config_version WHERE id = 1',
      ])
    }
  })
})
