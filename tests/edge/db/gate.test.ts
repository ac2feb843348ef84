/**
 * The write gate of the database guard (edge/db/gate.ts): writes to a libSQL server pass a few at
 * a time, reads beside them take every slot, and a write that waits past its deadline is refused.
 */
import { createClient, type Client, type InStatement } from '@libsql/client'
import { describe, expect, it } from 'vitest'
import { Gate } from '../../../edge/db/gate.js'
import { guardDatabase } from '../../../edge/db/guard.js'
import { defaultDbLimits } from '../../../edge/db/limits.js'
import { refused } from '../../helpers/db.js'

describe('the gate', () => {
  it('lets `size` callers in, the next when one leaves, and refuses one still waiting at its deadline', async () => {
    const gate = new Gate(1)
    const now = Date.now()
    await gate.take(now, now + 60_000, () => new Error('never'))
    let second = false
    const waiting = gate
      .take(now, now + 60_000, () => new Error('never'))
      .then(() => {
        second = true
      })
    await Promise.resolve()
    expect(second).toBe(false)
    gate.release()
    await waiting
    expect(second).toBe(true)
    const late = gate.take(Date.now(), Date.now() + 20, () => new Error('too late'))
    await expect(late).rejects.toThrow('too late')
  })
})

/** A real :memory: client that counts the writes and reads it is running at once. */
function counting(raw: Client) {
  const peak = { writes: 0, reads: 0 }
  let writes = 0
  let reads = 0
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5))
  const track = async <T>(write: boolean, run: () => Promise<T>): Promise<T> => {
    if (write) peak.writes = Math.max(peak.writes, ++writes)
    else peak.reads = Math.max(peak.reads, ++reads)
    try {
      await tick()
      return await run()
    } finally {
      if (write) writes--
      else reads--
    }
  }
  const client = new Proxy(raw, {
    get(target, prop) {
      if (prop === 'execute')
        return (s: InStatement) =>
          track(/^\s*INSERT/i.test(typeof s === 'string' ? s : s.sql), () => target.execute(s))
      if (prop === 'batch')
        return (s: InStatement[], mode?: 'write' | 'read') =>
          track(mode !== 'read', () => target.batch(s, mode))
      const value = Reflect.get(target, prop) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { client, peak }
}

describe('the guard with a write gate', () => {
  it('runs at most maxWrites writes at once, and reads beside them up to maxConcurrency', async () => {
    const raw = createClient({ url: ':memory:' })
    await raw.execute('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
    const { client, peak } = counting(raw)
    const db = guardDatabase(client, {
      ...defaultDbLimits('http'),
      maxConcurrency: 6,
      maxWrites: 2,
    })
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) =>
        db.execute({ sql: 'INSERT INTO notes (body) VALUES (?)', args: [`n${i}`] }),
      ),
      ...Array.from({ length: 4 }, (_, i) =>
        db.batch([{ sql: 'INSERT INTO notes (body) VALUES (?)', args: [`b${i}`] }], 'write'),
      ),
      ...Array.from({ length: 8 }, () => db.execute('SELECT count(*) FROM notes')),
    ])
    expect(peak.writes).toBe(2)
    expect(peak.reads).toBeGreaterThan(2)
    expect((await db.execute('SELECT count(*) AS n FROM notes')).rows[0]?.n).toBe(12)
    raw.close()
  })

  it('refuses a write that waits at the gate past the queue deadline with database_unavailable', async () => {
    const raw = createClient({ url: ':memory:' })
    await raw.execute('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const slow = new Proxy(raw, {
      get(target, prop) {
        if (prop === 'batch')
          return async (s: InStatement[], mode?: 'write') => {
            await held
            return target.batch(s, mode)
          }
        const value = Reflect.get(target, prop) as unknown
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const db = guardDatabase(slow, {
      ...defaultDbLimits('http'),
      maxWrites: 1,
      queueTimeoutMs: 100,
      callTimeoutMs: 60_000,
    })
    const first = db.batch([{ sql: 'INSERT INTO notes (body) VALUES (?)', args: ['a'] }], 'write')
    const second = db.batch([{ sql: 'INSERT INTO notes (body) VALUES (?)', args: ['b'] }], 'write')
    expect((await refused(second)).retryAfter).toBe(1)
    release()
    await first
    raw.close()
  })
})
