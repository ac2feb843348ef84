/**
 * The configuration snapshot (edge/settings/snapshot.ts): settings and price overrides are read
 * again only when the version row has moved, and it moves on every write, whoever makes it, so a
 * second client of the same file (another instance) sees a change at its next use.
 */
import { createClient, type Client, type InStatement } from '@libsql/client'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../edge/db/migrate.js'
import { getSettings, patchSettings } from '../../../edge/settings/settings.js'
import { configSnapshot } from '../../../edge/settings/snapshot.js'
import { chargeOf } from '../../../edge/spend/cap.js'

/** A client that records the SQL of every call it is given. */
function recording(db: Client): { db: Client; sql: string[] } {
  const sql: string[] = []
  const text = (s: InStatement) => (typeof s === 'string' ? s : s.sql)
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === 'execute') return (s: InStatement) => (sql.push(text(s)), target.execute(s))
      if (prop === 'batch')
        return (s: InStatement[], mode?: 'read') => (
          sql.push(...s.map(text)),
          target.batch(s, mode)
        )
      const value = Reflect.get(target, prop) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { db: proxy, sql }
}

describe('the configuration snapshot', () => {
  let dir: string
  let a: Client
  let b: Client
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sms-auth-snapshot-'))
    const url = `file:${join(dir, 'db.sqlite')}`
    a = createClient({ url })
    b = createClient({ url })
    await migrate(a)
  })
  afterEach(() => {
    a.close()
    b.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('reads only the version while nothing changed', async () => {
    const rec = recording(b)
    await getSettings(rec.db)
    rec.sql.length = 0
    const again = await getSettings(rec.db)
    expect(again.siteName).toBe('sms-auth demo')
    expect(rec.sql).toEqual(['SELECT version FROM config_version WHERE id = 1'])
  })

  it('sees a patch made through another client at its next use', async () => {
    expect((await getSettings(b)).siteName).toBe('sms-auth demo')
    await patchSettings(a, { siteName: 'Elsewhere' }, 1)
    expect((await getSettings(b)).siteName).toBe('Elsewhere')
  })

  it('sees a row written by hand (no API) and a price override, by the triggers', async () => {
    await configSnapshot(b)
    await a.execute(`INSERT INTO settings (id, data, updated_at) VALUES (1, '{"codeLength":8}', 0)`)
    expect((await getSettings(b)).codeLength).toBe(8)
    const before = chargeOf(await configSnapshot(b), '+447400123456', 'sms', false)
    await a.execute(
      `INSERT INTO spend_prices (country, sms, voice, updated_at, updated_by) VALUES ('GB', 7, 9, 0, 'test')`,
    )
    const after = chargeOf(await configSnapshot(b), '+447400123456', 'sms', false)
    expect(before.micros).not.toBe(7)
    expect(after).toMatchObject({ micros: 7, country: 'GB' })
    await a.execute(`DELETE FROM spend_prices WHERE country = 'GB'`)
    expect(chargeOf(await configSnapshot(b), '+447400123456', 'voice', false).micros).toBe(
      chargeOf({ prices: new Map() }, '+447400123456', 'voice', false).micros,
    )
  })

  it('hands each caller its own settings object', async () => {
    const first = await getSettings(b)
    first.siteName = 'changed by a caller'
    expect((await getSettings(b)).siteName).toBe('sms-auth demo')
  })
})
