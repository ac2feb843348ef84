/**
 * Refusals by limit (edge/stats/refusals.ts): a burst of refused starts is counted exactly, in far
 * fewer writes than refusals (one write in flight per instance; what comes meanwhile joins the
 * next), and a failed write loses its counts without stopping later ones.
 */
import { createClient } from '@libsql/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RefusalTally, refusedLimit } from '../../../edge/stats/refusals.js'
import { openDb, phoneNo, testApp } from '../../helpers/app.js'
import { recordingClient } from '../../helpers/recorder.js'
import { startSqld, type Sqld } from '../../helpers/sqld.js'
import { stats } from './helpers.js'

let sqld: Sqld
beforeAll(async () => {
  sqld = await startSqld()
})
afterAll(async () => {
  await sqld?.close()
})

describe('refusals by limit', () => {
  it('counts a burst of 60 refused starts on a libSQL server exactly, in fewer writes', async () => {
    const rec = recordingClient(createClient({ url: sqld.url }))
    const t = await testApp({ db: rec.db })
    try {
      const phone = phoneNo(30)
      const start = (i: number) =>
        t.api.app.request('/v1/verifications', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.18.0.${i}` },
          body: JSON.stringify({ purpose: 'register', phone }),
        })
      for (let i = 0; i < 5; i++) expect((await start(i)).status).toBe(201)
      rec.statements.length = 0
      const burst = await Promise.all(Array.from({ length: 60 }, (_, i) => start(10 + i)))
      expect(burst.map((r) => r.status)).toEqual(Array(60).fill(429))
      await t.api.idle()
      const writes = rec.statements.filter((s) => s.sql.startsWith('INSERT INTO stats_refusals'))
      expect(writes.length).toBeGreaterThan(0)
      expect(writes.length).toBeLessThan(20)
      console.log(`60 refusals in a burst: ${writes.length} writes of their counts`)
      expect((await stats(t)).totals.refused).toEqual({ messages_per_number: 60 })
    } finally {
      t.close()
    }
  })

  it('drops the counts of a failed write and counts the next ones', async () => {
    const opened = openDb()
    let failing = true
    const pending: Promise<unknown>[] = []
    const db = new Proxy(opened.db, {
      get(target, prop) {
        if (prop === 'execute' && failing) return () => Promise.reject(new Error('down'))
        const v: unknown = Reflect.get(target, prop, target)
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    })
    const t = await testApp({ db: opened.db })
    try {
      const tally = new RefusalTally({
        db,
        clock: () => Date.parse('2026-11-23T12:00:00Z'),
        defer: (w) => void pending.push(w.catch(() => 'failed')),
      })
      tally.observe('limit.refused', { limit: 'messages_per_number' })
      tally.observe('spend.cap_reached', { cap: 'daily' })
      expect(await Promise.all(pending)).toEqual(['failed'])
      failing = false
      tally.observe('limit.refused', { limit: 'breaker' })
      tally.observe('request', { status: 200 })
      await Promise.all(pending)
      const r = await opened.db.execute('SELECT day, limit_name, n FROM stats_refusals')
      expect(r.rows.map((x) => [x.day, x.limit_name, x.n])).toEqual([['2026-11-23', 'breaker', 1]])
    } finally {
      t.close()
      opened.cleanup()
    }
  })

  it('names the limit of each refusal event, and nothing else', () => {
    expect(refusedLimit('limit.refused', { limit: 'breaker' })).toBe('breaker')
    expect(refusedLimit('spend.cap_reached', { cap: 'monthly' })).toBe('spend_cap')
    expect(refusedLimit('limit.refused', {})).toBe('unknown')
    expect(refusedLimit('verification.started', { limit: 'x' })).toBeNull()
  })
})
