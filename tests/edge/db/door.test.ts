/**
 * The door's line (edge/db/door.ts) and the shedding middleware that uses it
 * (edge/http/shedding.ts): a few requests run at once, the others wait first in first out, and
 * one that waited past the deadline is answered 503 with Retry-After before it ran. The clock is
 * injected (or faked), and requests are held by promises the test settles: no sleeps.
 */
import { Hono } from 'hono'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Door } from '../../../edge/db/door.js'
import { defaultDbLimits } from '../../../edge/db/limits.js'
import { ApiError } from '../../../edge/http/errors.js'
import { problemResponse } from '../../../edge/http/errors.js'
import { shedAtTheDoor } from '../../../edge/http/shedding.js'

/** Date and the line's deadline timer faked; setImmediate (Hono, the default hand-over) real. */
function clock() {
  vi.useFakeTimers({ now: 1_000, toFake: ['Date', 'setTimeout', 'clearTimeout'] })
  return { advance: (ms: number) => vi.advanceTimersByTime(ms) }
}

/** Waits, a turn of the event loop at a time (setImmediate stays real), until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !cond(); i++) await new Promise((resolve) => setImmediate(resolve))
  expect(cond()).toBe(true)
}

/** Later turns of the event loop, run when the test says so. */
function turns() {
  const queued: Array<() => void> = []
  return {
    defer: (fn: () => void) => void queued.push(fn),
    /** Runs the turn queued so far; resolves once the promises it settled have been answered. */
    async next() {
      for (const fn of queued.splice(0)) fn()
      await Promise.resolve()
    },
    get queued() {
      return queued.length
    },
  }
}

describe('Door', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('lets maxRunning run at once and hands each freed turn to the longest waiting', async () => {
    const t = clock()
    const loop = turns()
    const door = new Door(2, 500, loop.defer)
    expect([door.turn(), door.turn()]).toEqual([true, true])
    const order: string[] = []
    const third = door.turn()
    const fourth = door.turn()
    expect(third).toBeInstanceOf(Promise)
    void (third as Promise<boolean>).then((ok) => order.push(`third ${ok}`))
    void (fourth as Promise<boolean>).then((ok) => order.push(`fourth ${ok}`))
    expect({ running: door.running, waiting: door.waiting }).toEqual({ running: 2, waiting: 2 })
    t.advance(100)
    door.done()
    await loop.next()
    expect(order).toEqual(['third true'])
    expect({ running: door.running, waiting: door.waiting }).toEqual({ running: 2, waiting: 1 })
    door.done()
    await loop.next()
    expect(order).toEqual(['third true', 'fourth true'])
    door.done()
    door.done()
    expect({ running: door.running, waiting: door.waiting }).toEqual({ running: 0, waiting: 0 })
    // A free door lets the next one run at once again.
    expect(door.turn()).toBe(true)
    door.done()
  })

  it('turns away a request that waited past the deadline, and the next one in time runs', async () => {
    const t = clock()
    const loop = turns()
    const door = new Door(1, 500, loop.defer)
    expect(door.turn()).toBe(true)
    const late = door.turn() as Promise<boolean>
    t.advance(300)
    const inTime = door.turn() as Promise<boolean>
    t.advance(201) // the first waiter has waited 501 ms, the second 201 ms
    door.done()
    await loop.next()
    expect(await late).toBe(false)
    expect(await inTime).toBe(true)
    expect({ running: door.running, waiting: door.waiting }).toEqual({ running: 1, waiting: 0 })
    door.done()
  })

  it('hands a freed turn over in a later turn of the event loop, and keeps it for the line', async () => {
    const t = clock()
    const loop = turns()
    const door = new Door(1, 500, loop.defer)
    expect(door.turn()).toBe(true)
    const started: number[] = []
    for (const n of [1, 2, 3]) {
      // Each request ends as soon as it runs: handed over at once, all three would run now.
      void (door.turn() as Promise<boolean>).then(() => {
        started.push(n)
        door.done()
      })
    }
    door.done()
    await Promise.resolve()
    expect(started).toEqual([])
    // A request arriving meanwhile does not take the freed place: it queues behind the line.
    expect(door.turn()).toBeInstanceOf(Promise)
    await loop.next()
    expect(started).toEqual([1])
    await loop.next()
    expect(started).toEqual([1, 2])
    expect(loop.queued).toBe(1)
  })

  it('gives the kept place back when every waiter expired meanwhile', async () => {
    const t = clock()
    const loop = turns()
    const door = new Door(1, 500, loop.defer)
    expect(door.turn()).toBe(true)
    const late = door.turn() as Promise<boolean>
    door.done()
    t.advance(501)
    await loop.next()
    expect(await late).toBe(false)
    expect({ running: door.running, waiting: door.waiting }).toEqual({ running: 0, waiting: 0 })
    expect(door.turn()).toBe(true)
  })

  it('turns a waiter away at its deadline even when no running request ends', async () => {
    vi.useFakeTimers({ now: 50_000 })
    const door = new Door(1, 500)
    expect(door.turn()).toBe(true)
    let answer: boolean | undefined
    void (door.turn() as Promise<boolean>).then((ok) => (answer = ok))
    await vi.advanceTimersByTimeAsync(499)
    expect(answer).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(answer).toBe(false)
    expect(door.waiting).toBe(0)
    door.done()
  })

  it('has a short line for the embedded driver and none in front of a libSQL server', () => {
    const file = defaultDbLimits('file')
    expect(file.maxRunning).toBeLessThan(file.maxRequests)
    expect(file.doorTimeoutMs).toBeLessThanOrEqual(1_000)
    const remote = defaultDbLimits('http')
    expect(remote.maxRunning).toBe(remote.maxRequests)
  })
})

describe('shedAtTheDoor', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /** An app whose one route runs until the test releases it, behind a door of one. */
  function app(maxRequests: number) {
    const t = clock()
    const door = new Door(1, 500)
    let requests = 0
    const db = {
      enter: () => (requests < maxRequests ? (requests++, true) : false),
      leave: () => void requests--,
    }
    const releases: Array<() => void> = []
    let ran = 0
    const hono = new Hono()
    hono.use(shedAtTheDoor(db, door))
    hono.post('/work', async (c) => {
      ran++
      await new Promise<void>((resolve) => releases.push(resolve))
      return c.json({ ok: true })
    })
    hono.get('/healthz', (c) => c.json({ ok: true }))
    hono.onError((err) => {
      if (err instanceof ApiError) return problemResponse(err)
      throw err
    })
    const post = () => hono.request('/work', { method: 'POST' })
    return { t, door, post, releases, ran: () => ran, requests: () => requests, hono }
  }

  it('answers 503 with Retry-After to a request that waited too long in line, which never ran', async () => {
    const a = app(10)
    const first = a.post()
    await until(() => a.ran() === 1)
    const second = a.post()
    await until(() => a.door.waiting === 1)
    a.t.advance(501)
    a.releases[0]!()
    const late = await second
    expect(late.status).toBe(503)
    expect(late.headers.get('retry-after')).toBe('1')
    expect(late.headers.get('content-type')).toContain('application/problem+json')
    expect(((await late.json()) as { code: string }).code).toBe('database_unavailable')
    expect((await first).status).toBe(200)
    expect(a.ran()).toBe(1)
    expect({ requests: a.requests(), running: a.door.running }).toEqual({ requests: 0, running: 0 })
  })

  it('runs a request that waits in time once the one ahead ends', async () => {
    const a = app(10)
    const first = a.post()
    await until(() => a.ran() === 1)
    const second = a.post()
    await until(() => a.door.waiting === 1)
    a.t.advance(499)
    a.releases[0]!()
    await until(() => a.ran() === 2)
    a.releases[1]!()
    expect([(await first).status, (await second).status]).toEqual([200, 200])
    expect({ requests: a.requests(), running: a.door.running }).toEqual({ requests: 0, running: 0 })
  })

  it('refuses at once past maxRequests, and never sheds /healthz', async () => {
    const a = app(1)
    const first = a.post()
    await until(() => a.ran() === 1)
    const refused = await a.post()
    expect(refused.status).toBe(503)
    expect(a.door.waiting).toBe(0)
    expect((await a.hono.request('/healthz')).status).toBe(200)
    a.releases[0]!()
    expect((await first).status).toBe(200)
    expect(a.ran()).toBe(1)
  })
})
