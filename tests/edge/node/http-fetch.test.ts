/**
 * The Node entry's fetch for the libSQL HTTP client (edge/node/http-fetch.ts), against a real sqld
 * and a server on 127.0.0.1 that never answers: statements, batches (read through the client's
 * cursors) and statement errors come back as with fetch; a stopped sqld and a silent server are
 * failures the guard calls unavailable, the silent one given up on after the time it was given.
 */
import { createClient, type Client } from '@libsql/client'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from '../../../edge/db/errors.js'
import { nodeFetch } from '../../../edge/node/http-fetch.js'
import { startSqld, type Sqld } from '../../helpers/sqld.js'

const clientOn = (url: string, ms = 5_000): Client =>
  createClient({ url, fetch: nodeFetch(ms) as unknown as typeof fetch })

describe('the node:http fetch on a real sqld', () => {
  let sqld: Sqld
  let db: Client
  beforeAll(async () => {
    sqld = await startSqld()
    db = clientOn(sqld.url)
    await db.execute('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)')
  })
  afterAll(async () => {
    db.close()
    await sqld.close()
  })

  it('runs statements and write batches, with their rows and counts', async () => {
    const [inserted, read] = await db.batch(
      [
        { sql: 'INSERT INTO t VALUES (?, ?), (?, ?)', args: ['a', 1, 'b', 2] },
        'SELECT id, n FROM t ORDER BY id',
      ],
      'write',
    )
    expect(inserted!.rowsAffected).toBe(2)
    expect(read!.rows.map((r) => [r.id, Number(r.n)])).toEqual([
      ['a', 1],
      ['b', 2],
    ])
    const one = await db.execute({ sql: 'SELECT n FROM t WHERE id = ?', args: ['b'] })
    expect(Number(one.rows[0]!.n)).toBe(2)
  })

  it('reports a statement error as one, not as the database being down', async () => {
    const err = await db.execute("INSERT INTO t VALUES ('a', 9)").catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'LibsqlError', code: 'SQLITE_CONSTRAINT' })
    expect(isDatabaseUnavailable(err)).toBe(false)
    const batchErr = await db
      .batch(["INSERT INTO t VALUES ('c', 3)", "INSERT INTO t VALUES ('a', 9)"], 'write')
      .catch((e: unknown) => e)
    expect(isDatabaseUnavailable(batchErr)).toBe(false)
    // The batch left nothing.
    const c = await db.execute("SELECT count(*) AS c FROM t WHERE id = 'c'")
    expect(Number(c.rows[0]!.c)).toBe(0)
  })

  it('reports a stopped sqld as unavailable', async () => {
    const other = await startSqld()
    const client = clientOn(other.url)
    await client.execute('SELECT 1')
    await other.close()
    const err = await client.execute('SELECT 1').catch((e: unknown) => e)
    client.close()
    expect(err).toBeInstanceOf(Error)
    expect(isDatabaseUnavailable(err)).toBe(true)
  })
})

describe('the node:http fetch on a server that never answers', () => {
  let server: Server
  let url: string
  const seen: IncomingHttpHeaders[] = []
  beforeAll(async () => {
    server = createServer((req) => {
      seen.push(req.headers)
      req.resume()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('gives up after the time it was given, as unavailable, and asks for no compression', async () => {
    const fetchOnce = nodeFetch(300)
    const began = Date.now()
    const err = await fetchOnce(`${url}/v2/pipeline`, { method: 'POST', body: '{}' }).catch(
      (e: unknown) => e,
    )
    expect(err).toMatchObject({ name: 'TimeoutError' })
    expect(isDatabaseUnavailable(err)).toBe(true)
    expect(Date.now() - began).toBeGreaterThanOrEqual(290)
    expect(seen.at(-1)?.['accept-encoding']).toBe('identity')
  })
})
