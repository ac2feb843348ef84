/**
 * The database guard against real libSQL: a server that accepts and never answers, a real sqld
 * (paused, killed, restarted) and file databases locked by a second client.
 */
import { createClient, type Client } from '@libsql/client'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isUniqueViolation } from '../../../edge/accounts/users.js'
import { isDatabaseUnavailable } from '../../../edge/db/errors.js'
import {
  abortingFetch,
  defaultDbLimits,
  guardDatabase,
  InteractiveTransactionError,
  type DbLimits,
  type GuardedClient,
} from '../../../edge/db/guard.js'
import { ApiError } from '../../../edge/http/errors.js'
import { blackHole, until, type BlackHole } from '../../helpers/black-hole.js'
import { root } from '../../helpers/server.js'
import { startSqld, type Sqld } from '../../helpers/sqld.js'

const limits = (over: Partial<DbLimits>): DbLimits => ({ ...defaultDbLimits('http'), ...over })

/** Awaits a refusal and how long it took from `since`. */
async function refused(p: Promise<unknown>, since = Date.now()) {
  const err = await p.then(
    () => {
      throw new Error('expected a refusal')
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ApiError)
  const api = err as ApiError
  expect(api.code).toBe('database_unavailable')
  expect(api.status).toBe(503)
  return { retryAfter: api.extras.retryAfter, ms: Date.now() - since }
}

/** Settles every promise and ignores the outcome (calls left pending by a test). */
const settle = (ps: Promise<unknown>[]) => Promise.allSettled(ps)

describe('on a server that accepts and never answers', () => {
  let hole: BlackHole
  let raw: Client
  beforeAll(async () => {
    hole = await blackHole()
  })
  afterEach(() => {
    raw?.close()
    hole.drop()
  })
  afterAll(() => hole.close())

  it('refuses at once a call that finds the queue full', async () => {
    raw = createClient({ url: hole.url })
    const db = guardDatabase(raw, limits({ maxConcurrency: 2, maxQueue: 3, callTimeoutMs: 1_000 }))
    const pending = Array.from({ length: 5 }, () => db.execute('SELECT 1'))
    pending.forEach((p) => p.catch(() => {}))
    expect({ inFlight: db.inFlight, waiting: db.waiting }).toEqual({ inFlight: 2, waiting: 3 })
    // Let the driver send the first two (its first fetch loads undici, synchronously).
    await new Promise((resolve) => setImmediate(resolve))
    const since = Date.now()
    const r = await refused(db.execute('SELECT 1'), since)
    expect(r.retryAfter).toBe(1)
    expect(r.ms).toBeLessThan(20)
    db.close()
    hole.drop()
    await settle(pending)
  })

  it('refuses a queued call that waits past its deadline, while the first still runs', async () => {
    raw = createClient({ url: hole.url })
    const db = guardDatabase(
      raw,
      limits({ maxConcurrency: 1, queueTimeoutMs: 300, callTimeoutMs: 3_000 }),
    )
    const first = db.execute('SELECT 1')
    first.catch(() => {})
    const r = await refused(db.execute('SELECT 1'))
    expect(r.retryAfter).toBe(1)
    expect(r.ms).toBeGreaterThanOrEqual(295)
    expect(r.ms).toBeLessThan(1_000)
    expect({ inFlight: db.inFlight, waiting: db.waiting }).toEqual({ inFlight: 1, waiting: 0 })
    hole.drop()
    await settle([first])
  })

  it('answers a call that cannot finish at its timeout; the slot stays taken until the driver lets go', async () => {
    raw = createClient({ url: hole.url })
    const db = guardDatabase(raw, limits({ maxConcurrency: 1, callTimeoutMs: 300 }))
    const r = await refused(db.execute('SELECT 1'))
    expect(r.retryAfter).toBe(2)
    expect(r.ms).toBeGreaterThanOrEqual(295)
    expect(r.ms).toBeLessThan(1_000)
    // The statement may still reach the server: it is counted until the driver settles it.
    expect(db.inFlight).toBe(1)
    await until(() => hole.connections() > 0, 2_000, 'a connection to the black hole')
    hole.drop()
    await until(() => db.inFlight === 0, 2_000, 'the slot to come back')
  })

  it('gets the slot back when the aborting fetch of the entries gives up on the request', async () => {
    raw = createClient({ url: hole.url, fetch: abortingFetch(600) })
    const db = guardDatabase(raw, limits({ maxConcurrency: 1, callTimeoutMs: 300 }))
    const started = Date.now()
    await refused(db.execute('SELECT 1'))
    expect(db.inFlight).toBe(1)
    await until(() => db.inFlight === 0, 3_000, 'the slot to come back')
    const ms = Date.now() - started
    expect(ms).toBeGreaterThanOrEqual(590)
    expect(ms).toBeLessThan(1_500)
  })
})

describe('on a real sqld', () => {
  let sqld: Sqld
  let raw: Client
  let db: GuardedClient
  beforeAll(async () => {
    sqld = await startSqld({ restartable: true })
    raw = createClient({ url: sqld.url, fetch: abortingFetch(2_500) })
    db = guardDatabase(
      raw,
      limits({ maxConcurrency: 2, maxQueue: 8, queueTimeoutMs: 4_000, callTimeoutMs: 1_500 }),
    )
    await db.execute('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)')
  })
  afterAll(async () => {
    raw?.close()
    await sqld?.close()
  })

  it('passes constraint and SQL errors through unchanged', async () => {
    await db.execute({ sql: 'INSERT INTO notes (body) VALUES (?)', args: ['one'] })
    const dup = await db
      .execute({ sql: 'INSERT INTO notes (body) VALUES (?)', args: ['one'] })
      .catch((e: unknown) => e)
    expect(dup).toMatchObject({ name: 'LibsqlError', code: 'SQLITE_CONSTRAINT' })
    expect(isUniqueViolation(dup, 'body')).toBe(true)
    const inBatch = await db
      .batch([{ sql: 'INSERT INTO notes (body) VALUES (?)', args: ['one'] }], 'write')
      .catch((e: unknown) => e)
    expect(isUniqueViolation(inBatch, 'body')).toBe(true)
    const syntax = await db.execute('SELEC 1').catch((e: unknown) => e)
    expect(syntax).toMatchObject({ name: 'LibsqlError', code: 'SQL_PARSE_ERROR' })
    const missing = await db.execute('SELECT * FROM nowhere').catch((e: unknown) => e)
    expect(missing).not.toBeInstanceOf(ApiError)
    expect(isDatabaseUnavailable(missing)).toBe(false)
  })

  it('queues calls past the concurrency limit and serves every one once slots free', async () => {
    sqld.pause()
    try {
      const writes = Array.from({ length: 6 }, (_, i) =>
        db.execute({ sql: 'INSERT INTO notes (body) VALUES (?)', args: [`queued ${i}`] }),
      )
      await until(() => db.inFlight === 2 && db.waiting === 4, 1_000, '2 in flight, 4 waiting')
      sqld.resume()
      await Promise.all(writes)
    } finally {
      sqld.resume()
    }
    const rows = await db.execute("SELECT body FROM notes WHERE body LIKE 'queued %' ORDER BY body")
    expect(rows.rows.map((r) => r.body)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `queued ${i}`))
  })

  it('times out on a stopped sqld, and serves again once it goes on', async () => {
    sqld.pause()
    try {
      const r = await refused(db.execute('SELECT 1'))
      expect(r.retryAfter).toBe(2)
      expect(r.ms).toBeGreaterThanOrEqual(1_495)
      expect(r.ms).toBeLessThan(2_500)
    } finally {
      sqld.resume()
    }
    await until(() => db.inFlight === 0, 5_000, 'the timed-out slot to come back')
    await db.execute({ sql: 'INSERT INTO notes (body) VALUES (?)', args: ['after pause'] })
  })

  it('answers connection refused at once, and serves again after a restart on the same port', async () => {
    await sqld.kill()
    try {
      const r = await refused(db.execute('SELECT 1'))
      expect(r.retryAfter).toBe(2)
      expect(r.ms).toBeLessThan(500)
      const w = await refused(db.batch(['SELECT 1', 'SELECT 2'], 'write'))
      expect(w.ms).toBeLessThan(500)
    } finally {
      await sqld.restart()
    }
    const rows = await db.execute("SELECT count(*) AS n FROM notes WHERE body = 'after pause'")
    expect(rows.rows[0]?.n).toBe(1)
  })
})

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

  it('uses the embedded defaults: no timer, a few slots', () => {
    expect(raw.protocol).toBe('file')
    expect(defaultDbLimits('file')).toMatchObject({ callTimeoutMs: 0, maxConcurrency: 4 })
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
