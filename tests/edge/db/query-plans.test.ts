/**
 * Every hot query uses an index (issue 12, "stay small"): every statement the app runs during every
 * flow, the admin listings, the refusals and a maintenance run is planned by SQLite itself
 * (`EXPLAIN QUERY PLAN`, with its arguments), and none may scan a table that grows with traffic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '@libsql/client'
import { tuneEmbeddedDatabase } from '../../../edge/db/pragmas.js'
import { REFRESH_REUSE_GRACE_MS } from '../../../edge/limits/policy.js'
import { startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { ADMIN_TOKEN, openDb, phoneNo, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem } from '../../helpers/extra.js'
import { fullFlows } from '../../helpers/flows.js'
import { codeTo, freshAddress, registerVia, useProvider } from '../../helpers/production.js'
import { recordingClient, type Recorded } from '../../helpers/recorder.js'

/** Tables whose rows grow with users or traffic (settings, integrations, keys, jobs do not). */
const GROWING = [
  'verifications',
  'rate_events',
  'sessions',
  'refresh_tokens',
  'tickets',
  'users',
  'audit',
  'messages',
  'guess_budgets',
  'backup_codes',
  'dev_outbox',
  'stats_daily',
  'stats_refusals',
]
const NOT_ALIASES = new Set(
  'WHERE ON JOIN LEFT INNER CROSS ORDER GROUP LIMIT SET USING VALUES SELECT DEFAULT AND OR UNION RETURNING NOT EXISTS'.split(
    ' ',
  ),
)
const DAY = 86_400_000

/** The growing tables a plan reads in full (`SCAN t`, with or without a covering index). */
function fullScans(sql: string, plan: string[]): string[] {
  const names = new Map(GROWING.map((t) => [t, t]))
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    const [, table, alias] = m
    if (GROWING.includes(table!) && alias && !NOT_ALIASES.has(alias.toUpperCase()))
      names.set(alias, table!)
  }
  return plan.flatMap((line) => {
    const name = /^SCAN (\w+)/.exec(line)?.[1]
    return name !== undefined && names.has(name) ? [names.get(name)!] : []
  })
}

const isQuery = (sql: string) => /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(sql)

async function scansOf(db: Client, statements: Recorded[]) {
  const distinct = new Map<string, Recorded>()
  for (const s of statements) if (isQuery(s.sql) && !distinct.has(s.sql)) distinct.set(s.sql, s)
  const found: { sql: string; plan: string[]; scans: string[] }[] = []
  for (const s of distinct.values()) {
    const r = await db.execute({ sql: `EXPLAIN QUERY PLAN ${s.sql}`, args: s.args ?? [] })
    const plan = r.rows.map((row) => String(row.detail))
    found.push({ sql: s.sql.replace(/\s+/g, ' ').trim(), plan, scans: fullScans(s.sql, plan) })
  }
  return found
}

let twilio: TwilioFake
beforeAll(async () => {
  twilio = await startTwilio()
})
afterAll(async () => {
  await twilio.close()
})

/** A production-mode app (as helpers/production.ts makes one) whose client records statements. */
async function recordedProduction() {
  const opened = openDb()
  const rec = recordingClient(opened.db)
  const t = await testApp({
    db: rec.db,
    env: { SMS_AUTH_MODE: 'production', SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: '1' },
  })
  await tuneEmbeddedDatabase(opened.db, 'file:')
  // From here on: what serving does (the migrations ran, each once, before).
  rec.statements.length = 0
  const r = await t.admin('PATCH', '/v1/admin/settings', { allowedCountries: ['IN', 'US', 'GB'] })
  expect(r.status, r.text).toBe(200)
  await useProvider(t, 'twilio', twilio.baseUrl, { voice: true })
  return {
    t,
    raw: opened.db,
    statements: rec.statements,
    close: () => (t.close(), opened.cleanup()),
  }
}

/** What fullFlows leaves out: rotation and reuse, sign-out, receipts, refusals, admin pages. */
async function moreFlows(t: TestApp) {
  const { user, session: s } = await registerVia(t, twilio, phoneNo(40))
  const rotated = await t.call('POST', '/v1/sessions/refresh', { refreshToken: s.refreshToken })
  expect(rotated.status, rotated.text).toBe(200)
  // A second tab within the grace gets the same pair; after it, the token is reuse.
  const tab = await t.call('POST', '/v1/sessions/refresh', { refreshToken: s.refreshToken })
  expect(tab.body.session.refreshToken, tab.text).toBe(rotated.body.session.refreshToken)
  t.clock.advance(REFRESH_REUSE_GRACE_MS)
  expectProblem(
    await t.call('POST', '/v1/sessions/refresh', { refreshToken: s.refreshToken }),
    401,
    'unauthorized',
  )
  const other = (await registerVia(t, twilio, phoneNo(41))).session
  expect((await t.call('GET', '/v1/me', undefined, bearer(other.accessToken))).status).toBe(200)
  const live = await t.admin('POST', '/v1/sessions/introspect', { token: other.accessToken })
  expect(live.body.active, live.text).toBe(true)
  const out = await t.call('DELETE', '/v1/sessions/current', undefined, bearer(other.accessToken))
  expect(out.status, out.text).toBe(204)

  const receipt = twilio.callback(twilio.messages[0]!.id, 'delivered')
  const body = await receipt.text()
  const headers = new Headers(receipt.headers)
  headers.set('content-length', String(Buffer.byteLength(body)))
  expect(
    (await t.api.fetch(new Request(receipt.url, { method: 'POST', headers, body }))).status,
  ).toBe(200)

  // An expired verification: its check and resend read the row to tell why.
  const phone = phoneNo(42)
  const late = await t.call(
    'POST',
    '/v1/verifications',
    { purpose: 'register', phone },
    freshAddress(),
  )
  t.clock.advance(11 * 60_000)
  const code = codeTo(twilio, phone)
  expectProblem(
    await t.call('POST', `/v1/verifications/${late.body.id}/check`, { code }),
    410,
    'verification_expired',
  )
  expect((await t.call('POST', `/v1/verifications/${late.body.id}/resend`, {})).status).toBe(410)
  // The per-number cap refuses the sixth code: the refusal reads which limit and until when.
  for (let i = 0; i < 6; i++)
    await t.call('POST', '/v1/verifications', { purpose: 'register', phone }, freshAddress())
  expect(t.logs.some((l) => l.includes('"limit":"messages_per_number"'))).toBe(true)

  const page = await t.admin('GET', '/v1/admin/audit?limit=3')
  expect(page.body.nextBefore).toEqual(expect.any(Number))
  await t.admin('GET', `/v1/admin/audit?limit=3&before=${page.body.nextBefore}`)
  await t.admin('GET', '/v1/admin/audit?limit=2&action=verification.start')
  expect((await t.admin('POST', `/v1/admin/users/${user.id}/unlock`)).status).toBe(200)
  // The account's life (issue 14): the user's sessions, and the owner's search, page and actions.
  // (The list without a query also counts every user, a count no index can answer without
  // reading one: it is left out here; admin-users.test.ts plans its page.)
  const third = await registerVia(t, twilio, phoneNo(43))
  const own = bearer(third.session.accessToken)
  const mine = await t.call('GET', '/v1/me/sessions', undefined, own)
  expect(mine.body.sessions, mine.text).toHaveLength(1)
  expect((await t.call('POST', '/v1/me/sessions/revoke-others', undefined, own)).status).toBe(200)
  expect((await t.call('DELETE', '/v1/me/sessions/ses_x', undefined, own)).status).toBe(404)
  const found = await t.admin('GET', `/v1/admin/users?query=${phoneNo(40).slice(-6)}&limit=1`)
  expect(found.body.users, found.text).toHaveLength(1)
  await t.admin('GET', '/v1/admin/users?query=asha&limit=1')
  expect((await t.admin('GET', `/v1/admin/users/${user.id}`)).status).toBe(200)
  const off = await t.admin('PATCH', `/v1/admin/users/${user.id}`, { disabled: true, name: 'X' })
  expect(off.status, off.text).toBe(200)
  expect((await t.admin('POST', `/v1/admin/users/${user.id}/sessions/revoke`)).status).toBe(200)
  expect((await t.admin('DELETE', `/v1/admin/users/${user.id}`)).status).toBe(204)
  expect((await t.call('DELETE', '/v1/me', undefined, own)).status).toBe(204)
  // Test numbers: listed, signed up with, listed, removed (which ends its live verifications).
  const listed = await t.admin('POST', '/v1/admin/test-numbers', { phone: '+12015550123' })
  expect(listed.status, listed.text).toBe(201)
  const test = await t.call('POST', '/v1/verifications', {
    purpose: 'register',
    phone: '+12015550123',
  })
  expect(test.status, test.text).toBe(201)
  expect((await t.admin('GET', '/v1/admin/test-numbers')).body.testNumbers).toHaveLength(1)
  expect((await t.admin('DELETE', '/v1/admin/test-numbers/%2B12015550123')).status).toBe(204)
  expect((await t.call('GET', '/healthz')).status).toBe(200)
  // The Activity figures, a year of them, in JSON and CSV.
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  const range = `from=${day(t.clock.now - 365 * DAY)}&to=${day(t.clock.now)}`
  const year = await t.admin('GET', `/v1/admin/stats?${range}&groupBy=country`)
  expect(year.body.totals.started, year.text).toBeGreaterThan(0)
  const csv = await t.call('GET', '/v1/admin/stats', undefined, {
    authorization: `Bearer ${ADMIN_TOKEN}`,
    accept: 'text/csv',
  })
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
}

describe('every statement the app runs', () => {
  it('uses an index on every growing table: every flow, the admin listings, refusals and a maintenance run', async () => {
    const p = await recordedProduction()
    try {
      await fullFlows(p.t, twilio)
      await moreFlows(p.t)
      // Past every retention period, so each of the job's deletes finds rows and runs.
      p.t.clock.advance(400 * DAY)
      const run = await p.t.api.maintain()
      expect(run.claimed).toBe(true)
      expect(run.changed).toMatchObject({
        verifications: expect.any(Number),
        audit: expect.any(Number),
      })
      expect(run.changed.audit).toBeGreaterThan(0)

      const plans = await scansOf(p.raw, p.statements)
      const sqls = plans.map((x) => x.sql)
      expect(sqls.some((q) => q.startsWith('DELETE FROM audit WHERE rowid IN'))).toBe(true)
      expect(
        sqls.some((q) => q.includes('FROM audit WHERE action = :action AND id < :before')),
      ).toBe(true)
      expect(plans.length).toBeGreaterThan(60)
      expect(plans.filter((x) => x.scans.length > 0)).toEqual([])
      // A range on the rowid is a search, yet filtered by action it would walk every older row
      // until `limit` matched (the query that froze an instance): it must seek the action's rows.
      const filtered = plans.find((x) => x.sql.includes('FROM audit WHERE action = :action'))
      expect(filtered!.plan.join(' | ')).toContain('INDEX audit_action (action=? AND rowid<?)')
      // The Activity figures read the range of days on the daily tables' keys, nothing else.
      for (const table of ['stats_daily', 'stats_refusals']) {
        const read = plans.find((x) => x.sql.includes(`FROM ${table} WHERE day >= ?`))
        expect(read!.plan.join(' | ')).toMatch(
          new RegExp(
            `SEARCH ${table} USING (COVERING )?INDEX sqlite_autoindex_${table}_1 \\(day>\\? AND day<\\?\\)`,
          ),
        )
      }
      expect(sqls.some((q) => q.startsWith('INSERT INTO stats_refusals'))).toBe(true)
    } finally {
      p.close()
    }
  })

  it('uses an index in development mode too: the outbox, with and without a number', async () => {
    const opened = openDb()
    const rec = recordingClient(opened.db)
    const t = await testApp({ db: rec.db })
    rec.statements.length = 0
    try {
      const phone = phoneNo(50)
      const v = await t.call('POST', '/v1/verifications', { purpose: 'register', phone })
      expect(v.status, v.text).toBe(201)
      const mine = await t.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
      expect(mine.body.messages).toHaveLength(1)
      expect((await t.call('GET', '/v1/dev/outbox')).body.messages).toHaveLength(1)
      const ok = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
        code: mine.body.messages[0].code,
      })
      expect(ok.status, ok.text).toBe(200)
      t.clock.advance(400 * DAY)
      expect((await t.api.maintain()).changed.dev_outbox).toBe(1)
      const plans = await scansOf(opened.db, rec.statements)
      expect(plans.filter((x) => x.scans.length > 0)).toEqual([])
      const outbox = plans.find((x) => x.sql.includes('FROM dev_outbox WHERE to_phone = :to'))
      expect(outbox!.plan.join(' | ')).toContain('INDEX dev_outbox_to (to_phone=? AND id<?)')
    } finally {
      t.close()
      opened.cleanup()
    }
  })

  it("plans the Activity triggers' lookups on an index (migration 0014)", async () => {
    const opened = openDb()
    const t = await testApp({ db: opened.db })
    try {
      // As the triggers read them: is this a verification's first code? which was its first code?
      const lookups = [
        {
          sql: `SELECT 1 FROM messages WHERE verification_id = ? AND id != ?`,
          args: ['ver_x', 'msg_x'],
        },
        {
          sql: `SELECT country, channel, provider FROM messages
                WHERE verification_id = ? AND kind = 'code' ORDER BY created_at LIMIT 1`,
          args: ['ver_x'],
        },
      ]
      for (const found of await scansOf(opened.db, lookups)) {
        expect(found.scans, found.sql).toEqual([])
        expect(found.plan.join(' | ')).toContain('INDEX messages_verification (verification_id=?)')
        expect(found.plan.join(' | ')).not.toContain('TEMP B-TREE')
      }
      const triggers = await opened.db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'stats_%'",
      )
      const text = triggers.rows.map((r) => String(r.sql).replace(/\s+/g, ' ')).join('\n')
      expect(text).toContain('WHERE verification_id = NEW.verification_id AND id != NEW.id')
      expect(text).toContain(
        "WHERE verification_id = NEW.id AND kind = 'code' ORDER BY created_at LIMIT 1",
      )
    } finally {
      t.close()
      opened.cleanup()
    }
  })

  it('would catch a scan: the unfiltered form of the old audit query is one', async () => {
    const opened = openDb()
    const t = await testApp({ db: opened.db })
    try {
      const sql = `SELECT id FROM audit WHERE (:action IS NULL OR action = :action) ORDER BY id DESC LIMIT 5`
      const [found] = await scansOf(opened.db, [{ sql, args: { action: 'x' } }])
      expect(found!.scans).toEqual(['audit'])
      const aliased = 'SELECT count(*) FROM backup_codes b WHERE b.used_at IS NULL'
      expect((await scansOf(opened.db, [{ sql: aliased }]))[0]!.scans).toEqual(['backup_codes'])
    } finally {
      t.close()
      opened.cleanup()
    }
  })
})
