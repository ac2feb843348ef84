/**
 * edge/db/replica.ts routes each call: to the replica only a plain read of a request that decides
 * nothing, to the primary everything else. Two real libSQL databases told apart by their rows.
 */
import { createClient, type Client, type ResultSet } from '@libsql/client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ReplicaClient } from '../../../edge/db/replica.js'

let primary: Client
let replica: Client
let staleOk = false
let db: ReplicaClient

beforeEach(async () => {
  primary = createClient({ url: ':memory:' })
  replica = createClient({ url: ':memory:' })
  for (const [client, where] of [
    [primary, 'primary'],
    [replica, 'replica'],
  ] as const) {
    await client.execute('CREATE TABLE t (n INTEGER, at TEXT)')
    await client.execute({ sql: 'INSERT INTO t VALUES (0, ?)', args: [where] })
  }
  staleOk = false
  db = new ReplicaClient({ replica, primary, mayReadReplica: () => staleOk })
})
afterEach(() => db.close())

const where = async (read: Promise<ResultSet>) => (await read).rows[0]?.at

describe('ReplicaClient', () => {
  it('reads the primary unless the request decides nothing', async () => {
    expect(await where(db.execute('SELECT at FROM t'))).toBe('primary')
    staleOk = true
    expect(await where(db.execute('SELECT at FROM t'))).toBe('replica')
    expect(await where(db.execute({ sql: '  select at FROM t WHERE n = ?', args: [0] }))).toBe(
      'replica',
    )
    expect(await where(db.execute('SELECT at FROM t WHERE n = ?', [0]))).toBe('replica')
    expect(db.served).toEqual({ replica: 3, primary: 1 })
  })

  it('writes to the primary, from any request, and never to the replica', async () => {
    staleOk = true
    await db.execute("UPDATE t SET n = 1 WHERE at = 'primary'")
    await db.execute({
      sql: 'WITH x AS (SELECT 2 AS n) INSERT INTO t SELECT n, ? FROM x',
      args: ['w'],
    })
    expect((await primary.execute('SELECT sum(n) AS s FROM t')).rows[0]!.s).toBe(3)
    expect((await replica.execute('SELECT sum(n) AS s FROM t')).rows[0]!.s).toBe(0)
  })

  it('runs every batch but a read batch of a request that decides nothing on the primary', async () => {
    staleOk = true
    const [w] = await db.batch(
      ['SELECT at FROM t', "UPDATE t SET n = 5 WHERE at = 'primary'"],
      'write',
    )
    expect(w!.rows[0]!.at).toBe('primary')
    expect((await db.batch(['SELECT at FROM t'], 'read'))[0]!.rows[0]!.at).toBe('replica')
    staleOk = false
    expect((await db.batch(['SELECT at FROM t'], 'read'))[0]!.rows[0]!.at).toBe('primary')
    expect((await db.batch(['SELECT at FROM t']))[0]!.rows[0]!.at).toBe('primary')
  })

  it('is a remote client to the guard: the primary protocol, closed with it', () => {
    expect(db.protocol).toBe(primary.protocol)
    db.close()
    expect(db.closed).toBe(true)
    expect(replica.closed).toBe(true)
  })
})
