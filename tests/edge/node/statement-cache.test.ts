/**
 * The prepared-statement cache of embedded databases (edge/node/statement-cache.ts): a statement is
 * prepared once and reused with the right answers, a failed batch leaves it usable, two clients
 * keep their own, and a schema change empties it (a kept `SELECT *` would miss a new column).
 */
import { createClient, type Client } from '@libsql/client'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cachePreparedStatements } from '../../../edge/node/statement-cache.js'

const libsql = createRequire(createRequire(import.meta.url).resolve('@libsql/client'))(
  'libsql',
) as {
  prototype: { prepare(sql: string): unknown }
}
const prepared: string[] = []

describe('the statement cache', () => {
  let dir: string
  let a: Client
  let b: Client
  beforeAll(async () => {
    // Counts the prepares that reach libsql, under the cache.
    const original = libsql.prototype.prepare
    libsql.prototype.prepare = function (this: unknown, sql: string) {
      prepared.push(sql)
      return original.call(this, sql)
    }
    cachePreparedStatements()
    cachePreparedStatements()
    dir = mkdtempSync(join(tmpdir(), 'sms-auth-stmt-'))
    a = createClient({ url: `file:${join(dir, 'db')}` })
    await a.execute('PRAGMA journal_mode = WAL')
    await a.execute('CREATE TABLE t (n INTEGER PRIMARY KEY, s TEXT NOT NULL)')
    b = createClient({ url: `file:${join(dir, 'db')}` })
  })
  afterAll(() => {
    a.close()
    b.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('prepares a statement once and answers each use with its own arguments', async () => {
    const insert = 'INSERT INTO t (n, s) VALUES (?, ?)'
    const select = 'SELECT n, s FROM t WHERE n >= ? ORDER BY n'
    for (let n = 1; n <= 50; n++) await a.execute({ sql: insert, args: [n, `s${n}`] })
    expect((await a.execute({ sql: select, args: [49] })).rows.map((r) => r.s)).toEqual([
      's49',
      's50',
    ])
    expect((await a.execute({ sql: select, args: [50] })).rows.map((r) => r.s)).toEqual(['s50'])
    expect(prepared.filter((sql) => sql === insert)).toHaveLength(1)
    expect(prepared.filter((sql) => sql === select)).toHaveLength(1)
  })

  it('keeps a statement usable after it failed inside a batch that rolled back', async () => {
    const guarded = 'INSERT INTO t (n, s) VALUES (?, ?)'
    await expect(
      a.batch(
        [
          { sql: guarded, args: [100, 'x'] },
          { sql: guarded, args: [1, 'dup'] },
        ],
        'write',
      ),
    ).rejects.toThrow()
    expect((await a.execute('SELECT count(*) AS c FROM t WHERE n = 100')).rows[0]!.c).toBe(0)
    await a.batch([{ sql: guarded, args: [100, 'y'] }], 'write')
    expect((await b.execute('SELECT s FROM t WHERE n = 100')).rows[0]!.s).toBe('y')
  })

  it("keeps each client's statements apart: both see the other's writes", async () => {
    const sql = 'SELECT s FROM t WHERE n = ?'
    await b.execute({ sql: 'INSERT INTO t (n, s) VALUES (?, ?)', args: [200, 'from b'] })
    expect((await a.execute({ sql, args: [200] })).rows[0]!.s).toBe('from b')
    expect((await b.execute({ sql, args: [200] })).rows[0]!.s).toBe('from b')
    expect(prepared.filter((s) => s === sql)).toHaveLength(2)
  })

  it('empties on a schema change, so SELECT * names a new column', async () => {
    const star = 'SELECT * FROM t WHERE n = 1'
    expect((await a.execute(star)).columns).toEqual(['n', 's'])
    await a.execute("ALTER TABLE t ADD COLUMN extra TEXT NOT NULL DEFAULT 'e'")
    const after = await a.execute(star)
    expect(after.columns).toEqual(['n', 's', 'extra'])
    expect(after.rows[0]!.extra).toBe('e')
  })
})

describe('statements that return no data, and ones that return some', () => {
  it('answer a kept INSERT with its changes, a kept INSERT … RETURNING with its rows', async () => {
    const db = createClient({ url: ':memory:' })
    await db.execute('CREATE TABLE r (n INTEGER PRIMARY KEY, s TEXT)')
    for (let n = 1; n <= 3; n++) {
      const plain = await db.execute({ sql: 'INSERT INTO r (n, s) VALUES (?, ?)', args: [n, 'p'] })
      expect(plain.rowsAffected).toBe(1)
      expect(plain.rows).toEqual([])
      const back = await db.execute({
        sql: 'INSERT INTO r (n, s) VALUES (?, ?) RETURNING n, s',
        args: [n + 10, `r${n}`],
      })
      expect(back.rows.map((r) => [r.n, r.s])).toEqual([[n + 10, `r${n}`]])
    }
    db.close()
  })
})
