/**
 * The database guard on the embedded driver: file databases locked by a second client, :memory:,
 * and a static check that no edge code opens an interactive transaction.
 */
import { createClient, type Client } from '@libsql/client'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isUniqueViolation } from '../../../edge/accounts/users.js'
import { isDatabaseUnavailable } from '../../../edge/db/errors.js'
import {
  guardDatabase,
  InteractiveTransactionError,
  type GuardedClient,
} from '../../../edge/db/guard.js'
import { defaultDbLimits, type DbLimits } from '../../../edge/db/limits.js'
import { refused } from '../../helpers/db.js'
import { root } from '../../helpers/server.js'

const limits = (over: Partial<DbLimits>): DbLimits => ({ ...defaultDbLimits('file'), ...over })

describe('on a file database locked by another client', () => {
  let dir: string
  let holder: Client
  let other: Client
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sms-auth-guard-'))
    const url = `file:${join(dir, 'db.sqlite')}`
    holder = createClient({ url })
    other = createClient({ url })
    await holder.execute('PRAGMA journal_mode = WAL')
    await holder.execute('CREATE TABLE t (v TEXT NOT NULL UNIQUE)')
  })
  afterAll(() => {
    holder?.close()
    other?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('retries a write that finds the database locked and succeeds once the lock is released', async () => {
    const db = guardDatabase(other, limits({ busyTries: 4, busyBudgetMs: 2_000 }))
    const tx = await holder.transaction('write')
    let committedAt = 0
    try {
      await tx.execute("INSERT INTO t VALUES ('held')")
      // The lock is real: a third client, unguarded, is refused at once.
      const third = createClient({ url: `file:${join(dir, 'db.sqlite')}` })
      await expect(third.execute("INSERT INTO t VALUES ('raw')")).rejects.toMatchObject({
        code: 'SQLITE_BUSY',
      })
      third.close()
      const write = db.execute("INSERT INTO t VALUES ('guarded')")
      // The embedded driver runs synchronously: once the event loop turns, the first try has
      // failed and the guard sleeps before the next.
      await new Promise((resolve) => setImmediate(resolve))
      expect(db.inFlight).toBe(1)
      await tx.commit()
      committedAt = Date.now()
      await write
      expect(Date.now()).toBeGreaterThanOrEqual(committedAt)
    } finally {
      tx.close()
    }
    const rows = await holder.execute('SELECT v FROM t ORDER BY v')
    expect(rows.rows.map((r) => r.v)).toEqual(['guarded', 'held'])
  })

  it('fails with database_unavailable once the retry budget is spent', async () => {
    const db = guardDatabase(other, limits({ busyTries: 4, busyBudgetMs: 300 }))
    const tx = await holder.transaction('write')
    try {
      const r = await refused(db.execute("INSERT INTO t VALUES ('late')"))
      expect(r.retryAfter).toBe(1)
      expect(r.ms).toBeGreaterThanOrEqual(100)
      expect(r.ms).toBeLessThan(1_000)
      // executeMultiple is not a transaction: a busy one is never tried again.
      const m = await refused(db.executeMultiple("INSERT INTO t VALUES ('m1');"))
      expect(m.ms).toBeLessThan(50)
    } finally {
      tx.close()
    }
    const none = await holder.execute("SELECT count(*) AS n FROM t WHERE v IN ('late', 'm1')")
    expect(none.rows[0]?.n).toBe(0)
    // A statement that failed busy must not swallow the writes after it (the driver leaves it in
    // progress: libsql-client-ts#352): this one commits and the other client sees it.
    await db.execute("INSERT INTO t VALUES ('later')")
    const seen = await holder.execute("SELECT count(*) AS n FROM t WHERE v = 'later'")
    expect(seen.rows[0]?.n).toBe(1)
  })
})

describe('on :memory:', () => {
  let raw: Client
  let db: GuardedClient
  beforeAll(async () => {
    raw = createClient({ url: ':memory:' })
    db = guardDatabase(raw, defaultDbLimits(raw.protocol))
    await db.execute('CREATE TABLE u (email TEXT NOT NULL UNIQUE)')
  })
  afterAll(() => raw.close())

  it('uses the embedded defaults: no timer, a slot for every request the door lets run', () => {
    expect(raw.protocol).toBe('file')
    const embedded = defaultDbLimits('file')
    expect(embedded.callTimeoutMs).toBe(0)
    expect(embedded.maxConcurrency).toBeGreaterThanOrEqual(embedded.maxRunning)
    expect(defaultDbLimits('http')).toMatchObject({ callTimeoutMs: 5_000, maxConcurrency: 16 })
  })

  it('passes a UNIQUE violation through for isUniqueViolation', async () => {
    await db.execute({ sql: 'INSERT INTO u VALUES (?)', args: ['a@example.com'] })
    const err = await db
      .execute({ sql: 'INSERT INTO u VALUES (?)', args: ['a@example.com'] })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'SQLITE_CONSTRAINT',
      extendedCode: 'SQLITE_CONSTRAINT_UNIQUE',
    })
    expect(isUniqueViolation(err, 'email')).toBe(true)
  })

  it('passes a programming error through (it stays a 500)', async () => {
    const err = await db
      .execute({ sql: 'INSERT INTO u VALUES (?)', args: [undefined as unknown as string] })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TypeError)
    expect(isDatabaseUnavailable(err)).toBe(false)
  })

  it('refuses interactive transactions', async () => {
    await expect(db.transaction('write')).rejects.toBeInstanceOf(InteractiveTransactionError)
  })

  it('answers database_unavailable once the client is closed', async () => {
    const other = createClient({ url: ':memory:' })
    const closed = guardDatabase(other, defaultDbLimits(other.protocol))
    other.close()
    expect((await refused(closed.execute('SELECT 1'))).retryAfter).toBe(2)
  })
})

describe('the edge code', () => {
  it('opens no interactive transaction anywhere (they would hold sqld’s write lock)', () => {
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else if (/\.ts$/.test(name) && /\.transaction\s*\(/.test(readFileSync(path, 'utf8')))
          offenders.push(path.slice(root.length))
      }
    }
    walk(join(root, 'edge'))
    expect(offenders).toEqual([])
  })
})
