/**
 * The database guard against remote libSQL: a server that accepts and never answers, and a real
 * sqld (paused, killed, restarted). The embedded driver: guard-embedded.test.ts.
 */
import { createClient, type Client } from '@libsql/client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isUniqueViolation } from '../../../edge/accounts/users.js'
import { isDatabaseUnavailable } from '../../../edge/db/errors.js'
import { guardDatabase, type GuardedClient } from '../../../edge/db/guard.js'
import { abortingFetch, defaultDbLimits, type DbLimits } from '../../../edge/db/limits.js'
import { ApiError } from '../../../edge/http/errors.js'
import { blackHole, type BlackHole } from '../../helpers/black-hole.js'
import { refused, until } from '../../helpers/db.js'
import { startSqld, type Sqld } from '../../helpers/sqld.js'

const limits = (over: Partial<DbLimits>): DbLimits => ({ ...defaultDbLimits('http'), ...over })

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

  it('admits at most maxRequests at the door, and none once the queue head has waited a quarter of its deadline', async () => {
    raw = createClient({ url: hole.url })
    const db = guardDatabase(
      raw,
      limits({
        maxRequests: 2,
        maxConcurrency: 1,
        maxQueue: 100,
        queueTimeoutMs: 400,
        callTimeoutMs: 2_000,
      }),
    )
    expect([db.enter(), db.enter(), db.enter()]).toEqual([true, true, false])
    db.leave()
    expect(db.enter()).toBe(true)
    db.leave()
    db.leave()
    expect(db.requests).toBe(0)
    const calls = [db.execute('SELECT 1'), db.execute('SELECT 1')]
    calls.forEach((p) => p.catch(() => {}))
    const queued = Date.now()
    const admits = () => {
      const ok = db.enter()
      if (ok) db.leave()
      return ok
    }
    expect(admits()).toBe(true)
    await until(() => !admits(), 1_000, 'the door to close')
    expect(Date.now() - queued).toBeGreaterThanOrEqual(95)
    hole.drop()
    await settle(calls)
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

  it('asks sqld for its answers uncompressed (it gzips every answer to a plain fetch)', async () => {
    const encodings: (string | null)[] = []
    const seeing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      encodings.push(response.headers.get('content-encoding'))
      return response
    }
    const plain = createClient({ url: sqld.url, fetch: seeing })
    const ours = createClient({ url: sqld.url, fetch: abortingFetch(2_500, seeing) })
    try {
      await plain.execute('SELECT 1')
      expect(encodings).toEqual(['gzip'])
      encodings.length = 0
      const r = await ours.execute("SELECT 'uncompressed' AS v")
      expect(r.rows[0]?.v).toBe('uncompressed')
      expect(encodings).toEqual([null])
    } finally {
      plain.close()
      ours.close()
    }
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
