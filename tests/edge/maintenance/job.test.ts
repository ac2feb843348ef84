/**
 * The maintenance job (edge/maintenance): claimed by exactly one instance per period, on a shared
 * file and on a real sqld; bounded batches and a time budget; scheduled by the entries' timer; and
 * no longer run from the start path.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { maintenanceJob, DEFAULT_MAINTENANCE } from '../../../edge/maintenance/job.js'
import { scheduleMaintenance, type Timer } from '../../../edge/maintenance/schedule.js'
import { DEFAULT_RETENTION } from '../../../edge/maintenance/tasks.js'
import { phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { until } from '../../helpers/db.js'
import { bearer } from '../../helpers/extra.js'
import { freshAddress } from '../../helpers/production.js'
import { recordingClient } from '../../helpers/recorder.js'
import { startSqld, type Sqld } from '../../helpers/sqld.js'

const DAY = 86_400_000
const open: TestApp[] = []
afterEach(() => {
  for (const t of open.splice(0)) t.close()
})

const count = async (t: TestApp, table: string) =>
  Number((await t.db.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n)

/** `n` rate-limit events two days old: past the longest window, so the job's to delete. */
async function oldEvents(t: TestApp, n: number) {
  await t.db.execute({
    sql: `WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < ?)
          INSERT INTO rate_events (key, at) SELECT 'addr:old' || k, ? FROM i`,
    args: [n, t.clock.now - 2 * DAY],
  })
}

/** Two instances on one database, sharing one clock. */
async function pair(url: string) {
  const a = await testApp({ dbUrl: url })
  const b = await testApp({ dbUrl: url, clock: a.clock })
  open.push(a, b)
  return [a, b] as const
}

async function exactlyOneWorks(a: TestApp, b: TestApp) {
  for (let round = 0; round < 4; round++) {
    await oldEvents(a, 30)
    const reports = await Promise.all([a.api.maintain(), b.api.maintain()])
    expect(reports.map((r) => r.claimed).sort()).toEqual([false, true])
    const loser = reports.find((r) => !r.claimed)!
    expect(loser.changed).toEqual({})
    expect(reports.find((r) => r.claimed)!.changed.rate_events).toBe(30)
    expect(await count(a, 'rate_events')).toBe(0)
    // Within the period, neither claims again; after it, one of them does.
    expect((await b.api.maintain()).claimed).toBe(false)
    a.clock.advance(DEFAULT_MAINTENANCE.intervalMs)
  }
  const job = await a.db.execute('SELECT claimed_by, finished_at, result FROM jobs')
  expect(job.rows).toHaveLength(1)
  expect(Number(job.rows[0]!.finished_at)).toBeGreaterThan(0)
  expect(JSON.parse(String(job.rows[0]!.result))).toMatchObject({ rate_events: 30 })
}

describe('App.maintain() on two instances', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sms-auth-maintain-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('is done by exactly one of them each period (one embedded file)', async () => {
    const [a, b] = await pair(`file:${join(dir, 'shared.db')}`)
    await exactlyOneWorks(a, b)
  })

  describe('on a real sqld', () => {
    let sqld: Sqld
    beforeAll(async () => {
      sqld = await startSqld()
    }, 30_000)
    afterAll(async () => {
      await sqld?.close()
    })

    it('is done by exactly one of them each period (one libSQL server)', async () => {
      const [a, b] = await pair(sqld.url)
      await exactlyOneWorks(a, b)
    })
  })
})

describe('a maintenance run', () => {
  it('changes at most its batch size per statement: many rows take several runs', async () => {
    const t = await testApp({ maintenance: { batchSize: 10, budgetMs: 0 } })
    open.push(t)
    await oldEvents(t, 25)
    const runs = []
    for (let i = 0; i < 4; i++) {
      runs.push(await t.api.maintain())
      t.clock.advance(DEFAULT_MAINTENANCE.intervalMs)
    }
    expect(runs.map((r) => [r.changed.rate_events, r.more])).toEqual([
      [10, true],
      [10, true],
      [5, false],
      [0, false],
    ])
    expect(await count(t, 'rate_events')).toBe(0)
  })

  it('goes on in rounds of batches within its time budget, then stops with the rest for the next', async () => {
    const t = await testApp({ maintenance: { batchSize: 10, budgetMs: 60_000 } })
    open.push(t)
    await oldEvents(t, 95)
    // Within the budget: rounds until done, still 10 rows a statement.
    const rec = recordingClient(t.db)
    const whole = await t.api.maintain()
    expect(whole).toMatchObject({ claimed: true, more: false, changed: { rate_events: 95 } })
    t.clock.advance(DEFAULT_MAINTENANCE.intervalMs)

    // A budget of 1 s on a clock that takes 400 ms a round: rounds 1 to 3, not a fourth.
    await oldEvents(t, 95)
    let wall = 0
    const limits = { ...DEFAULT_MAINTENANCE, batchSize: 10, budgetMs: 1_000 }
    const job = maintenanceJob({ ...t.api.ctx, db: rec.db }, DEFAULT_RETENTION, limits, () => {
      const now = wall
      wall += 400
      return now
    })
    const cut = await job()
    expect(cut).toMatchObject({ claimed: true, more: true, changed: { rate_events: 30 } })
    expect(await count(t, 'rate_events')).toBe(65)
    const deletes = rec.statements.filter((s) => s.sql.startsWith('DELETE FROM rate_events'))
    expect(deletes).toHaveLength(3)
    for (const d of deletes) expect((d.args as unknown[]).at(-1)).toBe(10)
  })

  it('takes a session with more refresh tokens than a batch over several runs, tokens first', async () => {
    const t = await testApp({ maintenance: { batchSize: 10, budgetMs: 0 } })
    open.push(t)
    let { session } = await registerByPhone(t, phoneNo(7))
    for (let i = 0; i < 24; i++) {
      const r = await t.call('POST', '/v1/sessions/refresh', { refreshToken: session.refreshToken })
      expect(r.status, r.text).toBe(200)
      session = r.body.session
    }
    await t.call('DELETE', '/v1/sessions/current', undefined, bearer(session.accessToken))
    t.clock.advance(DAY)
    const left = []
    for (let i = 0; i < 4; i++) {
      const run = await t.api.maintain()
      const orphans = await t.db.execute(`SELECT count(*) AS n FROM refresh_tokens
        WHERE session_id NOT IN (SELECT id FROM sessions)`)
      expect(orphans.rows[0]!.n).toBe(0)
      left.push([
        run.changed['sessions.revoked'],
        await count(t, 'sessions'),
        await count(t, 'refresh_tokens'),
      ])
      t.clock.advance(DEFAULT_MAINTENANCE.intervalMs)
    }
    expect(left).toEqual([
      [10, 1, 15],
      [10, 1, 5],
      [6, 0, 0],
      [0, 0, 0],
    ])
  })

  it('keeps one run per instance at a time: a second call joins the run under way', async () => {
    const t = await testApp()
    open.push(t)
    const [first, second] = [t.api.maintain(), t.api.maintain()]
    expect(second).toBe(first)
    expect((await first).claimed).toBe(true)
  })
})

describe('scheduleMaintenance (the runtime entries)', () => {
  it('runs the job on an unref’d timer until stopped', async () => {
    const t = await testApp({ maintenance: { intervalMs: 20 } })
    open.push(t)
    const unrefd: Timer[] = []
    const stop = scheduleMaintenance(
      t.api,
      () => {},
      (timer) => unrefd.push(timer),
    )
    try {
      // The maintenance job and the event delivery (events/delivery.ts).
      expect(unrefd).toHaveLength(2)
      await until(async () => (await count(t, 'jobs')) === 1, 5_000, 'a scheduled run')
    } finally {
      stop()
    }
  })

  it('logs a failed run (the database closed) and keeps going', async () => {
    const t = await testApp({ maintenance: { intervalMs: 20 } })
    open.push(t)
    const logged: string[] = []
    t.db.close()
    const stop = scheduleMaintenance(
      t.api,
      (event) => logged.push(event),
      () => {},
    )
    try {
      await until(() => logged.length >= 2, 5_000, 'two failed runs logged')
      expect(new Set(logged)).toEqual(new Set(['maintenance.failed']))
    } finally {
      stop()
    }
  })
})

describe('POST /v1/verifications', () => {
  it('no longer prunes anything: 200 starts leave old rows to the job', async () => {
    const t = await testApp()
    open.push(t)
    await oldEvents(t, 5)
    const rec = recordingClient(t.db)
    const watched = await testApp({ db: rec.db, clock: t.clock })
    for (let i = 0; i < 200; i++) {
      const r = await watched.call(
        'POST',
        '/v1/verifications',
        { purpose: 'register', phone: phoneNo(100 + i) },
        freshAddress(),
      )
      expect(r.status, r.text).toBe(201)
    }
    const cleanup = rec.statements.filter(
      (s) =>
        /^\s*(DELETE|UPDATE)\b/i.test(s.sql) && !/^\s*UPDATE verifications SET sends/i.test(s.sql),
    )
    expect(cleanup.map((s) => s.sql)).toEqual([])
    expect(await count(t, 'rate_events')).toBe(5 + 3 * 200)
    t.clock.advance(11 * 60_000)
    expect((await t.api.maintain()).changed).toMatchObject({
      rate_events: 5,
      'verifications.sealed': 200,
    })
  })
})
