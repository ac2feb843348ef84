/**
 * The database's size at a steady state: our real app in-process, in production mode (codes go
 * to the local Twilio fake over HTTP), on an embedded file tuned as the Node entry tunes it, with a
 * clock moved forward so that weeks of traffic pass in a minute. `count` logins (start + check, a
 * new session each) of a pool of accounts are spread evenly over `days` simulated days, and the
 * maintenance job runs every simulated hour, as the entries' timer would. Then the database's pages
 * (`page_count × page_size`) per verification made, and what each table holds.
 *
 * Environment: BENCH_RETENTION_VERIFICATIONS (3 000: about 45 s on 2 idle cores; 10 000 takes
 * about 2.5 min), BENCH_RETENTION_DAYS (60: past every retention period but the audit's 365 days).
 */
import { createClient } from '@libsql/client'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, type App } from '../edge/app.js'
import { loadConfig } from '../edge/config.js'
import { tuneEmbeddedDatabase } from '../edge/db/pragmas.js'
import { startTwilio, TWILIO_CREDENTIALS, type TwilioFake } from '../tests/fakes/twilio.js'
import { BenchSetupError, clientAddress, Counter, phoneNumber } from './fixtures.js'

export const RETENTION_COUNT = Number(process.env.BENCH_RETENTION_VERIFICATIONS ?? 3_000)
const DAYS = Number(process.env.BENCH_RETENTION_DAYS ?? 60)
const ACCOUNTS = 100
/** Logins started together at one simulated instant (the app is async; the fake is HTTP). */
const GROUP = 10
const HOUR = 3_600_000
const ADMIN = 'bench-retention-admin-token'

export interface RetentionResult {
  count: number
  days: number
  seconds: number
  bytes: number
  pageSize: number
  freePages: number
  tables: { name: string; rows: number; bytes: number }[]
}

class InProcess {
  readonly addresses = new Counter()
  constructor(
    readonly app: App,
    readonly fake: TwilioFake,
  ) {}

  post<T>(path: string, body: unknown, expected: number): Promise<T> {
    return this.send<T>('POST', path, body, expected)
  }

  async send<T>(
    method: string,
    path: string,
    body: unknown,
    expected: number,
    token?: string,
  ): Promise<T> {
    const res = await this.app.fetch(
      new Request(`http://bench.local${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': clientAddress(this.addresses.next()),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      }),
    )
    const text = await res.text()
    if (res.status !== expected)
      throw new BenchSetupError(`${path}: ${res.status} (expected ${expected}): ${text}`)
    return JSON.parse(text) as T
  }

  /** The code the fake last delivered to `e164`. */
  code(e164: string): string {
    const national = e164.slice(-10)
    const m = this.fake.messages.findLast((x) => x.to.replace(/\D/g, '').endsWith(national))
    const code = m?.text.match(/\d{6}/)?.[0]
    if (code === undefined) throw new BenchSetupError(`no code reached ${e164}`)
    return code
  }

  /** start + check with the right code; `then` for a registration, the account step. */
  async verify(purpose: 'register' | 'login', e164: string) {
    const start = { purpose, phone: e164.slice(3), country: 'IN' }
    const v = await this.post<{ id: string }>('/v1/verifications', start, 201)
    await this.app.idle()
    return this.post<{ registrationTicket?: string }>(
      `/v1/verifications/${v.id}/check`,
      { code: this.code(e164) },
      200,
    )
  }
}

export async function measureRetention(
  count = RETENTION_COUNT,
  days = DAYS,
  log: (line: string) => void = () => {},
): Promise<RetentionResult> {
  const began = performance.now()
  const dir = await mkdtemp(join(tmpdir(), 'sms-auth-retention-'))
  const url = `file:${join(dir, 'steady.db')}`
  const db = createClient({ url })
  const fake = await startTwilio()
  const clock = { now: Date.parse('2026-01-05T00:00:00Z') }
  try {
    await tuneEmbeddedDatabase(db, url)
    const config = loadConfig({
      SMS_AUTH_MODE: 'production',
      SMS_AUTH_SECRET: 'b'.repeat(64),
      SMS_AUTH_ADMIN_TOKEN: ADMIN,
      SMS_AUTH_PUBLIC_URL: 'http://auth.test',
      SMS_AUTH_TRUST_PROXY: '1',
      SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: '1',
    })
    const app = await createApp({ db, config, clock: () => clock.now })
    const api = new InProcess(app, fake)
    const twilio = { enabled: true, credentials: TWILIO_CREDENTIALS, baseUrl: fake.baseUrl }
    await api.send('PUT', '/v1/admin/integrations/twilio', twilio, 200, ADMIN)
    const countries = { defaultCountry: 'IN', allowedCountries: ['IN'] }
    await api.send('PATCH', '/v1/admin/settings', countries, 200, ADMIN)
    const phones = Array.from({ length: ACCOUNTS }, (_, i) => phoneNumber(i).e164)
    for (const [i, e164] of phones.entries()) {
      const { registrationTicket } = await api.verify('register', e164)
      const user = { registrationTicket, name: `Steady ${i}`, email: `steady-${i}@example.com` }
      await api.post('/v1/users', user, 201)
    }
    fake.messages.length = 0
    fake.requests.length = 0

    const step = (days * 24 * HOUR) / count
    let nextRun = clock.now + HOUR
    for (let done = 0; done < count; done += GROUP) {
      const group = Array.from({ length: Math.min(GROUP, count - done) }, (_, k) => done + k)
      await Promise.all(group.map((n) => api.verify('login', phones[n % ACCOUNTS]!)))
      fake.messages.length = 0
      fake.requests.length = 0
      clock.now += step * group.length
      while (clock.now >= nextRun) {
        await app.maintain()
        nextRun += HOUR
      }
      if ((done + GROUP) % 2_000 === 0) log(`${done + GROUP} of ${count}`)
    }
    await app.idle()
    await db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    const pragma = async (name: string) =>
      Number(Object.values((await db.execute(`PRAGMA ${name}`)).rows[0]!)[0])
    const [pages, pageSize, freePages] = await Promise.all(
      ['page_count', 'page_size', 'freelist_count'].map(pragma),
    )
    return {
      count,
      days,
      seconds: (performance.now() - began) / 1000,
      bytes: pages! * pageSize!,
      pageSize: pageSize!,
      freePages: freePages!,
      tables: await tableSizes(db),
    }
  } finally {
    db.close()
    await fake.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/** Rows and bytes (the table's pages and its indexes', from dbstat) of each table with rows. */
async function tableSizes(db: ReturnType<typeof createClient>) {
  const r = await db.execute(`
    SELECT m.tbl_name AS name, sum(s.pgsize) AS bytes
    FROM dbstat s JOIN sqlite_master m ON m.name = s.name
    GROUP BY m.tbl_name ORDER BY bytes DESC`)
  const out: RetentionResult['tables'] = []
  for (const row of r.rows) {
    const name = String(row.name)
    const n = await db.execute(`SELECT count(*) AS n FROM "${name}"`)
    const rows = Number(n.rows[0]!.n)
    if (rows > 0) out.push({ name, rows, bytes: Number(row.bytes) })
  }
  return out
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`

/** Days each table keeps a row (tasks.ts with the defaults); a session lasts 30 days + 1. */
const KEPT_DAYS: Record<string, number> = {
  verifications: 1,
  rate_events: 1,
  messages: 30,
  sessions: 31,
  refresh_tokens: 31,
  audit: 365,
}

/**
 * Bytes a steady rate of one verification a day ends up keeping: each table's bytes per day of
 * traffic it holds now, times the days it keeps rows (past this run's length for the audit).
 */
function projectDaily(r: RetentionResult) {
  const perDay = r.count / r.days
  const parts = r.tables.flatMap((t): [string, number][] => {
    const days = KEPT_DAYS[t.name]
    return days === undefined
      ? []
      : [[t.name, (t.bytes * days) / (perDay * Math.min(days, r.days))]]
  })
  return { total: parts.reduce((sum, [, b]) => sum + b, 0), parts }
}

export function printRetention(r: RetentionResult): void {
  const perVerification = r.bytes / r.count
  console.log(
    `\nsteady state: ${r.count} logins over ${r.days} simulated days, production mode, the ` +
      `maintenance job hourly, default retention (${r.seconds.toFixed(0)} s)`,
  )
  console.log(
    `  database ${kib(r.bytes)} (${r.bytes / r.pageSize} pages of ${r.pageSize} B, ` +
      `${r.freePages} free) = ${Math.round(perVerification)} bytes per verification`,
  )
  const width = Math.max(...r.tables.map((t) => t.name.length))
  for (const t of r.tables)
    console.log(
      `  ${t.name.padEnd(width)}  ${String(t.rows).padStart(7)} rows  ${kib(t.bytes).padStart(9)}` +
        `  ${String(Math.round(t.bytes / r.count)).padStart(5)} B per verification`,
    )
  console.log(
    '  (verifications and rate-limit events are kept a day, send records 30 days, sessions 30 ' +
      'days + 1, audit rows 365 days: within this run, all of them)',
  )
  const daily = projectDaily(r)
  const parts = daily.parts.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ')
  console.log(
    `  so at a steady state of the default periods each verification a day keeps ≈ ` +
      `${kb(daily.total)} (${parts}): 10 000 a day ≈ ${((daily.total * 10_000) / 1e9).toFixed(1)} GB`,
  )
  if (r.count < 10_000) console.log('  (BENCH_RETENTION_VERIFICATIONS=10000 for 10 000 logins)')
}
