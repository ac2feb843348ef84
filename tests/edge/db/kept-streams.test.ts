/**
 * Kept Hrana streams (edge/db/kept-streams.ts) against a real sqld: statements and batches give
 * what @libsql/client gives, on one stream reused call after call; a failed call's stream is not
 * kept; a kept stream idle too long is not reused; a baton sqld no longer knows (sqld restarted)
 * gets the call sent once more on a new stream, run exactly once; errors are classified as before.
 */
import { createClient, type Client } from '@libsql/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from '../../../edge/db/errors.js'
import { nodeFetch } from '../../../edge/node/http-fetch.js'
import { keepStreams } from '../../../edge/db/kept-streams.js'
import { startSqld, type Sqld } from '../../helpers/sqld.js'

const kept = (url: string, idleMs?: number) => {
  const fetch = nodeFetch(5_000)
  const base = createClient({ url, fetch: fetch as unknown as typeof globalThis.fetch })
  return keepStreams(base, url, undefined, fetch, idleMs)
}

describe('kept streams on a real sqld', () => {
  let sqld: Sqld
  let plain: Client
  let db: ReturnType<typeof kept>
  beforeAll(async () => {
    sqld = await startSqld({ restartable: true })
    plain = createClient({ url: sqld.url })
    await plain.execute('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)')
    db = kept(sqld.url)
  })
  afterAll(async () => {
    db.close()
    plain.close()
    await sqld.close()
  })

  it('answers statements and batches as @libsql/client does, on one stream', async () => {
    const before = db.keptStats.opened
    const [inserted, read] = await db.batch(
      [
        {
          sql: 'INSERT INTO t VALUES (:id, :n), (:id2, :n2)',
          args: { id: 'a', n: 1, id2: 'b', n2: 2 },
        },
        'SELECT id, n FROM t ORDER BY id',
      ],
      'write',
    )
    expect(inserted!.rowsAffected).toBe(2)
    const theirs = await plain.execute('SELECT id, n FROM t ORDER BY id')
    expect(read!.columns).toEqual(theirs.columns)
    expect(read!.rows.map((r) => [r.id, r.n, r[0], r[1]])).toEqual(
      theirs.rows.map((r) => [r.id, r.n, r[0], r[1]]),
    )
    for (let i = 0; i < 20; i++) {
      const one = await db.execute({ sql: 'SELECT n FROM t WHERE id = ?', args: ['b'] })
      expect(one.rows[0]!.n).toBe(2)
    }
    const last = await db.execute("INSERT INTO t VALUES ('z', 26)")
    expect(last.rowsAffected).toBe(1)
    expect(Number(last.lastInsertRowid)).toBeGreaterThan(0)
    // Twenty-three calls one after the other, one stream.
    expect(db.keptStats.opened - before).toBe(1)
  })

  it('runs calls at once on streams of their own, then keeps them', async () => {
    const before = db.keptStats.opened
    const reads = () =>
      Promise.all(Array.from({ length: 4 }, () => db.execute("SELECT n FROM t WHERE id = 'a'")))
    for (const r of await reads()) expect(r.rows[0]!.n).toBe(1)
    const opened = db.keptStats.opened - before
    expect(opened).toBeGreaterThanOrEqual(3)
    await reads()
    expect(db.keptStats.opened - before).toBe(opened)
  })

  it('fails a batch at its statement, leaves nothing of it, and does not keep its stream', async () => {
    // One client with one kept stream, so that each stream not kept is seen as one opened.
    const db = kept(sqld.url)
    await db.execute('SELECT 1')
    const before = db.keptStats.opened
    const err = await db
      .batch(["INSERT INTO t VALUES ('c', 3)", "INSERT INTO t VALUES ('a', 9)"], 'write')
      .catch((e: unknown) => e)
    expect(err).toMatchObject({
      name: 'LibsqlBatchError',
      statementIndex: 1,
      code: 'SQLITE_CONSTRAINT',
    })
    expect(isDatabaseUnavailable(err)).toBe(false)
    const single = await db.execute("INSERT INTO t VALUES ('a', 9)").catch((e: unknown) => e)
    expect(single).toMatchObject({ name: 'LibsqlError', code: 'SQLITE_CONSTRAINT' })
    const c = await db.execute("SELECT count(*) AS c FROM t WHERE id = 'c'")
    expect(c.rows[0]!.c).toBe(0)
    // The batch's stream and the statement's were closed: each next call opened a new one.
    expect(db.keptStats.opened - before).toBe(2)
    // No stream holds the write lock: another client can write at once.
    await plain.execute("INSERT INTO t VALUES ('d', 4)")
    db.close()
  })

  it('does not reuse a stream idle past its limit', async () => {
    const short = kept(sqld.url, 30)
    try {
      await short.execute('SELECT 1')
      await short.execute('SELECT 1')
      expect(short.keptStats.opened).toBe(1)
      const at = Date.now()
      while (Date.now() - at <= 40) await new Promise((r) => setTimeout(r, 10))
      await short.execute('SELECT 1')
      expect(short.keptStats.opened).toBe(2)
    } finally {
      short.close()
    }
  })

  it('sends a call again, once, when sqld no longer knows the stream', async () => {
    await db.execute('SELECT 1')
    await sqld.kill()
    await sqld.restart()
    const resent = db.keptStats.resent
    await db.execute("INSERT INTO t VALUES ('e', 5)")
    expect(db.keptStats.resent - resent).toBeGreaterThanOrEqual(1)
    const e = await plain.execute("SELECT count(*) AS c FROM t WHERE id = 'e'")
    expect(e.rows[0]!.c).toBe(1)
  })

  it('calls a stopped sqld unavailable, and works again once it is back', async () => {
    await db.execute('SELECT 1')
    await sqld.kill()
    const err = await db.execute('SELECT 1').catch((e: unknown) => e)
    expect(isDatabaseUnavailable(err)).toBe(true)
    await sqld.restart()
    expect((await db.execute('SELECT 2 AS two')).rows[0]!.two).toBe(2)
  })
})
