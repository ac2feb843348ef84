/**
 * The Activity figures' two costs, measured (`npx tsx bench/activity.ts`):
 * 1. reading a year: GET /v1/admin/stats's query over 366 days of a busy site's daily table
 *    (~10 M verifications a year, spread over 60 countries, 2 channels and 4 providers, every
 *    one active every day: a worst case of 177 k rows), grouped by day and by country;
 * 2. writing them: what the triggers of migration 0014 add to a start and its check, in-process on
 *    an embedded file database, the same flows with the triggers and with them dropped.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { migrate } from '../edge/db/migrate.js'
import { tuneEmbeddedDatabase } from '../edge/db/pragmas.js'
import { DEFAULT_SETTINGS } from '../edge/settings/settings.js'
import { statsReport } from '../edge/stats/report.js'
import { lastCode, testApp } from '../tests/helpers/app.js'

const dir = mkdtempSync(join(tmpdir(), 'sms-auth-activity-'))
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10
/** CPU time of this process since `c0` (ms): the figure that holds on a busy shared machine. */
const cpu = (c0: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(c0)
  return Math.round((d.user + d.system) / 100) / 10
}

async function readYear() {
  const db = createClient({ url: `file:${join(dir, 'year.db')}` })
  await tuneEmbeddedDatabase(db, 'file:')
  await migrate(db)
  const countries = Array.from({ length: 60 }, (_, i) =>
    String.fromCharCode(65 + (i % 26), 65 + Math.floor(i / 26)),
  )
  const providers = ['twilio', 'clickatell', 'twofactor', 'smstools']
  const start = Date.parse('2025-12-01T00:00:00Z')
  const insert = `INSERT INTO stats_daily (day, country, channel, provider, started, sent, delivered,
    verified, spend) VALUES (?, ?, ?, ?, 20, 22, 21, 17, 183000)`
  let rows = 0
  for (let d = 0; d < 366; d++) {
    const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10)
    const batch = []
    for (const c of countries)
      for (const ch of ['sms', 'voice'])
        for (const p of providers) batch.push({ sql: insert, args: [day, c, ch, p] })
    for (const l of ['messages_per_number', 'messages_per_address', 'breaker', 'spend_cap'])
      batch.push({ sql: 'INSERT INTO stats_refusals VALUES (?, ?, 9)', args: [day, l] })
    await db.batch(batch, 'write')
    rows += batch.length
  }
  const settings = DEFAULT_SETTINGS
  for (const groupBy of ['day', 'country', 'provider'] as const) {
    const times: number[] = []
    const cpus: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      const c0 = process.cpuUsage()
      await statsReport(db, { from: '2025-12-01', to: '2026-12-01', groupBy }, settings)
      times.push(ms(t0))
      cpus.push(cpu(c0))
    }
    const mid = (xs: number[]) => xs.sort((a, b) => a - b)[2]
    console.log(
      `read 366 days of ${rows} rows, groupBy=${groupBy}: median ${mid(times)} ms wall, ${mid(cpus)} ms CPU`,
    )
  }
  const month = performance.now()
  const monthCpu = process.cpuUsage()
  await statsReport(db, { from: '2026-11-02', to: '2026-12-01', groupBy: 'day' }, settings)
  console.log(`read 30 days, groupBy=day: ${ms(month)} ms wall, ${cpu(monthCpu)} ms CPU`)
  db.close()
}

async function writeCost(withTriggers: boolean, n: number) {
  const db = createClient({ url: `file:${join(dir, `flows-${withTriggers}-${Date.now()}.db`)}` })
  const t = await testApp({ db })
  await tuneEmbeddedDatabase(db, 'file:')
  if (!withTriggers) {
    const r = await db.execute(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'stats_%'",
    )
    for (const row of r.rows) await db.execute(`DROP TRIGGER ${String(row.name)}`)
  }
  const c0 = process.cpuUsage()
  for (let i = 0; i < n; i++) {
    const phone = `+9198${String(1000 + i).padStart(4, '0')}${String(4000 + i).padStart(4, '0')}`
    const v = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone },
      { 'x-forwarded-for': `10.9.${i >> 8}.${i & 255}` },
    )
    await t.call('POST', `/v1/verifications/${v.body.id}/check`, { code: await lastCode(t, phone) })
  }
  const per = cpu(c0) / n
  t.close()
  return per
}

try {
  await readYear()
  const n = 400
  const runs: Record<string, number[]> = { with: [], without: [] }
  for (let r = 0; r < 3; r++) {
    runs.without!.push(await writeCost(false, n))
    runs.with!.push(await writeCost(true, n))
  }
  const median = (xs: number[]) => Math.round(xs.sort((a, b) => a - b)[1]! * 1000) / 1000
  console.log(
    `start + outbox read + check, ${n} flows x 3 runs (console provider, in-process): ` +
      `${median(runs.without!)} ms CPU without the triggers, ${median(runs.with!)} ms CPU with them`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
