/**
 * What the maintenance job keeps and for how long (README, Configuration; docs/security.md): rows
 * made through the API at one moment, then the clock moved to just before and just after each
 * retention period, one run at each stop.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../edge/config.js'
import { LOCKED_FOR_GOOD, reserveStatement } from '../../../edge/limits/guesses.js'
import { LONGEST_WINDOW_MS } from '../../../edge/maintenance/tasks.js'
import * as policy from '../../../edge/limits/policy.js'
import {
  ADMIN_TOKEN,
  SECRET,
  lastCode,
  phoneNo,
  registerByPhone,
  testApp,
  type TestApp,
} from '../../helpers/app.js'
import { bearer, check, expectProblem, start, wrongCode } from '../../helpers/extra.js'

const MIN = 60_000
const DAY = 86_400_000
const TABLES = [
  'verifications',
  'tickets',
  'sessions',
  'refresh_tokens',
  'rate_events',
  'guess_budgets',
  'messages',
  'dev_outbox',
  'audit',
  'users',
] as const

let t: TestApp
afterEach(() => t?.close())

async function counts(): Promise<Record<(typeof TABLES)[number], number>> {
  const out = {} as Record<(typeof TABLES)[number], number>
  for (const table of TABLES)
    out[table] = Number((await t.db.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n)
  return out
}

/** A budget locked for good (100 consecutive failures), made before the scene at `t0`. */
async function lockForGood(subject: string) {
  for (let i = 0; i < 200; i++) {
    const r = await t.db.execute(reserveStatement(subject, t.clock.now))
    const until = r.rows[0] ? Number(r.rows[0].locked_until) : null
    if (until === LOCKED_FOR_GOOD) return
    if (until === null || until > t.clock.now) t.clock.advance(61 * MIN)
  }
  throw new Error('never locked for good')
}

/** Moves the clock to `t0 + offset` and runs the job once there. */
async function runAt(t0: number, offset: number) {
  t.clock.now = t0 + offset
  const run = await t.api.maintain()
  expect(run).toMatchObject({ claimed: true, more: false })
  return counts()
}

describe('the maintenance job', () => {
  it('removes each kind of row once past its retention and keeps it until then', async () => {
    t = await testApp()
    await lockForGood('ph:locked-for-good')
    const t0 = t.clock.now
    // Two accounts (one signed out again), a rotation, and a verification with a wrong guess.
    const a = await registerByPhone(t, phoneNo(1))
    const rotated = await t.call('POST', '/v1/sessions/refresh', {
      refreshToken: a.session.refreshToken,
    })
    expect(rotated.status, rotated.text).toBe(200)
    const b = await registerByPhone(t, phoneNo(2))
    await t.call('DELETE', '/v1/sessions/current', undefined, bearer(b.session.accessToken))
    const v = await start(t, { purpose: 'register', phone: phoneNo(3) })
    await check(t, v.id, wrongCode(await lastCode(t, phoneNo(3))))
    const made = await counts()
    expect(made).toMatchObject({ verifications: 3, tickets: 2, sessions: 2, refresh_tokens: 3 })
    expect(made).toMatchObject({ guess_budgets: 2, users: 2 })
    expect(made.messages).toBe(3)
    expect(made.dev_outbox).toBe(3)

    // Expired: no sealed number or code stays, tickets go; the row still tells "expired".
    let now = await runAt(t0, 10 * MIN)
    expect(now).toMatchObject({ ...made, tickets: 0 })
    const sealed = await t.db.execute(
      'SELECT count(*) AS n FROM verifications WHERE sealed IS NOT NULL',
    )
    expect(sealed.rows[0]!.n).toBe(0)
    expectProblem(await check(t, v.id, '000000'), 410, 'verification_expired')

    // Just short of a day: all kept.
    now = await runAt(t0, DAY - MIN)
    expect(now).toMatchObject({ verifications: 3, rate_events: made.rate_events, sessions: 2 })
    // Past the longest rate-limit window the events go, and a session signed out a day ago with
    // its refresh token; the verifications go a day after they expired.
    now = await runAt(t0, DAY + 9 * MIN)
    expect(now).toMatchObject({ verifications: 3, rate_events: 0, sessions: 1, refresh_tokens: 2 })
    now = await runAt(t0, DAY + 10 * MIN)
    expect(now).toMatchObject({ verifications: 0, sessions: 1, refresh_tokens: 2 })
    expectProblem(await check(t, v.id, '000000'), 404, 'verification_not_found')

    // Send records, outbox rows and idle budgets: 30 days; a budget locked for good: never.
    now = await runAt(t0, 30 * DAY - MIN)
    expect(now).toMatchObject({ messages: 3, dev_outbox: 3, guess_budgets: 2 })
    now = await runAt(t0, 30 * DAY)
    expect(now).toMatchObject({ messages: 0, dev_outbox: 0, guess_budgets: 1, sessions: 1 })
    const kept = await t.db.execute('SELECT subject, locked_until FROM guess_budgets')
    expect(kept.rows.map((r) => [r.subject, r.locked_until])).toEqual([
      ['ph:locked-for-good', LOCKED_FOR_GOOD],
    ])

    // A session a day past its expiry goes, with every refresh token it rotated through.
    now = await runAt(t0, 31 * DAY)
    expect(now).toMatchObject({ sessions: 0, refresh_tokens: 0, users: 2 })

    // Audit rows: 365 days.
    now = await runAt(t0, 365 * DAY - MIN)
    expect(now.audit).toBe(made.audit)
    now = await runAt(t0, 365 * DAY)
    expect(now).toEqual({
      ...Object.fromEntries(TABLES.map((x) => [x, 0])),
      guess_budgets: 1,
      users: 2,
    })
  })

  it('keeps what SMS_AUTH_RETENTION_DAYS and SMS_AUTH_AUDIT_RETENTION_DAYS say', async () => {
    t = await testApp({
      env: { SMS_AUTH_RETENTION_DAYS: '2', SMS_AUTH_AUDIT_RETENTION_DAYS: '7' },
    })
    const t0 = t.clock.now
    await start(t, { purpose: 'register', phone: phoneNo(4) })
    expect((await t.admin('PATCH', '/v1/admin/settings', { siteName: 'Kept' })).status).toBe(200)
    const made = await counts()
    expect(made).toMatchObject({ messages: 1, dev_outbox: 1, audit: 2 })
    expect(await runAt(t0, 2 * DAY - MIN)).toMatchObject({ messages: 1, dev_outbox: 1 })
    expect(await runAt(t0, 2 * DAY)).toMatchObject({ messages: 0, dev_outbox: 0, audit: 2 })
    expect((await runAt(t0, 7 * DAY - MIN)).audit).toBe(2)
    expect((await runAt(t0, 7 * DAY)).audit).toBe(0)
  })

  it('keeps rate-limit events for the longest window of any limit', () => {
    const windows = Object.values(policy).flatMap((v) =>
      (typeof v === 'object' || typeof v === 'function') && 'windowMs' in v ? [v.windowMs] : [],
    )
    expect(windows.length).toBeGreaterThan(5)
    expect(LONGEST_WINDOW_MS).toBe(Math.max(...windows))
    expect(LONGEST_WINDOW_MS).toBe(DAY)
  })
})

describe('retention configuration', () => {
  const base = { SMS_AUTH_SECRET: SECRET, SMS_AUTH_ADMIN_TOKEN: ADMIN_TOKEN }

  it('defaults to 30 days and 365 days for audit rows', () => {
    expect(loadConfig(base).retention).toEqual({ days: 30, auditDays: 365 })
    const set = { ...base, SMS_AUTH_RETENTION_DAYS: '90', SMS_AUTH_AUDIT_RETENTION_DAYS: '3650' }
    expect(loadConfig(set).retention).toEqual({ days: 90, auditDays: 3650 })
  })

  it.each([
    ['SMS_AUTH_RETENTION_DAYS', '0'],
    ['SMS_AUTH_RETENTION_DAYS', '1.5'],
    ['SMS_AUTH_AUDIT_RETENTION_DAYS', 'forever'],
    ['SMS_AUTH_AUDIT_RETENTION_DAYS', '36501'],
  ])('refuses %s=%s in one line', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(
      `${name} must be a whole number from 1 to 36500`,
    )
  })
})
