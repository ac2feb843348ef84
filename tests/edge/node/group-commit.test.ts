/**
 * Group commit of the embedded database (edge/node/group-commit.ts), on a real libSQL file: the
 * write batches of one event-loop turn share one transaction, each gets exactly its own results, a
 * guard decides in the order the batches came as if each ran alone, and a batch that fails fails
 * alone: the others of its group commit, and nothing of it stays.
 */
import { createClient, type Client } from '@libsql/client'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { groupCommits } from '../../../edge/node/group-commit.js'
import { guardDatabase } from '../../../edge/db/guard.js'
import { defaultDbLimits } from '../../../edge/db/limits.js'

let dir: string
let raw: Client
let db: ReturnType<typeof groupCommits>

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sms-auth-group-'))
  raw = createClient({ url: `file:${join(dir, 'db')}` })
  await raw.execute('PRAGMA journal_mode = WAL')
  await raw.execute('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)')
  await raw.execute('CREATE TABLE slots (k TEXT PRIMARY KEY, left INTEGER NOT NULL)')
  await raw.execute("INSERT INTO slots VALUES ('last', 1)")
  db = groupCommits(raw)
})
afterEach(() => {
  raw.close()
  rmSync(dir, { recursive: true, force: true })
})

const insert = (id: string, n: number) => ({
  sql: 'INSERT INTO t (id, n) VALUES (?, ?)',
  args: [id, n],
})
const count = async () => Number((await raw.execute('SELECT count(*) AS c FROM t')).rows[0]!.c)

describe('group commit', () => {
  it('commits the write batches of one turn in one transaction, each with its own results', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        db.batch(
          [insert(`a${i}`, i), { sql: 'SELECT n FROM t WHERE id = ?', args: [`a${i}`] }],
          'write',
        ),
      ),
    )
    expect(db.groupStats).toMatchObject({ batches: 6, transactions: 1, retried: 0 })
    results.forEach((r, i) => {
      expect(r).toHaveLength(2)
      expect(r[0]!.rowsAffected).toBe(1)
      expect(r[1]!.rows.map((row) => Number(row.n))).toEqual([i])
    })
    expect(await count()).toBe(6)
  })

  it('decides a guard in the order the batches came, as if each ran alone', async () => {
    const take = (id: string) =>
      db.batch(
        [
          "UPDATE slots SET left = left - 1 WHERE k = 'last' AND left > 0",
          { sql: 'INSERT INTO t (id, n) SELECT ?, 1 WHERE changes() = 1', args: [id] },
        ],
        'write',
      )
    const [first, second, third] = await Promise.all([take('x'), take('y'), take('z')])
    expect(db.groupStats.transactions).toBe(1)
    expect([first, second, third].map((r) => r[0]!.rowsAffected)).toEqual([1, 0, 0])
    expect([first, second, third].map((r) => r[1]!.rowsAffected)).toEqual([1, 0, 0])
    expect((await raw.execute('SELECT id FROM t')).rows.map((r) => r.id)).toEqual(['x'])
  })

  it('fails a failing batch alone: the rest of its group commit, nothing of it stays', async () => {
    await raw.execute("INSERT INTO t VALUES ('taken', 0)")
    const outcomes = await Promise.allSettled([
      db.batch([insert('b1', 1)], 'write'),
      // Its first statement runs, its second breaks the primary key: neither may stay.
      db.batch([insert('b2', 2), insert('taken', 9)], 'write'),
      db.batch([insert('b3', 3)], 'write'),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    const failed = outcomes[1] as PromiseRejectedResult
    expect(String(failed.reason)).toMatch(/UNIQUE constraint failed/)
    // The same error as alone: the batch's own index of the statement that failed.
    expect((failed.reason as { statementIndex?: number }).statementIndex).toBe(1)
    expect(db.groupStats).toMatchObject({ retried: 1, transactions: 4 })
    const rows = await raw.execute('SELECT id, n FROM t ORDER BY id')
    expect(rows.rows.map((r) => [r.id, Number(r.n)])).toEqual([
      ['b1', 1],
      ['b3', 3],
      ['taken', 0],
    ])
  })

  it('passes reads, other modes and single statements straight to the driver', async () => {
    await db.execute(insert('e', 1))
    const read = await db.batch(['SELECT count(*) AS c FROM t'], 'read')
    await db.batch([insert('d', 2)], 'deferred')
    expect(Number(read[0]!.rows[0]!.c)).toBe(1)
    expect(db.groupStats.batches).toBe(0)
    expect(await count()).toBe(2)
    expect(db.protocol).toBe('file')
  })

  it('groups the batches the database guard lets through at once', async () => {
    const guarded = guardDatabase(db, defaultDbLimits('file'))
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => guarded.batch([insert(`g${i}`, i)], 'write')),
    )
    expect(db.groupStats.batches).toBe(20)
    expect(db.groupStats.transactions).toBe(1)
    expect(await count()).toBe(20)
  })
})
