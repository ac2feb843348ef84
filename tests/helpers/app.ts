/** An in-process edge on a real libSQL database, with a clock the test moves. */
import { createClient, type Client } from '@libsql/client'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, type App } from '../../edge/app.js'
import { loadConfig, type Config } from '../../edge/config.js'
import type { MaintenanceLimits } from '../../edge/maintenance/job.js'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'
export const SECRET = 'a'.repeat(64)
export const PUBLIC_URL = 'http://127.0.0.1:8787'

export interface TestApp {
  api: App
  db: Client
  config: Config
  clock: { now: number; advance(ms: number): void }
  logs: string[]
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res>
  admin(method: string, path: string, body?: unknown): Promise<Res>
  close(): void
}

export interface Res {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  text: string
}

let counter = 0

/** Opens a database: a temp file by default, or the URL given (':memory:', a sqld http:// URL). */
export function openDb(url?: string): { db: Client; cleanup(): void } {
  if (url) return { db: createClient({ url }), cleanup: () => {} }
  const dir = mkdtempSync(join(tmpdir(), 'sms-auth-test-'))
  const db = createClient({ url: `file:${join(dir, `db${counter++}.sqlite`)}` })
  return { db, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export async function testApp(
  opts: {
    dbUrl?: string
    db?: Client
    env?: Record<string, string>
    fetch?: typeof fetch
    clock?: TestApp['clock']
    /** The socket peer's address as the runtime entry reports it; default `'unknown'`. */
    socketAddress?: string
    /** The maintenance job's batch size, time budget and interval. */
    maintenance?: Partial<MaintenanceLimits>
  } = {},
): Promise<TestApp> {
  const opened = opts.db ? { db: opts.db, cleanup: () => {} } : openDb(opts.dbUrl)
  const config = loadConfig({
    SMS_AUTH_SECRET: SECRET,
    SMS_AUTH_ADMIN_TOKEN: ADMIN_TOKEN,
    SMS_AUTH_PUBLIC_URL: PUBLIC_URL,
    SMS_AUTH_TRUST_PROXY: '1',
    // In-process bursts of 50–100 requests check guarantees under concurrency (attempt caps,
    // single use), not the door: the embedded defaults (256 let in, 2 running, edge/db/limits.ts)
    // would shed some of them with 503, and run them one line, not concurrently. The door itself
    // is tested in tests/edge/db and by the e2e bursts.
    SMS_AUTH_DB_MAX_REQUESTS: '256',
    SMS_AUTH_DB_MAX_RUNNING: '256',
    ...opts.env,
  })
  const clock = opts.clock ?? {
    now: Date.parse('2026-11-23T12:00:00Z'),
    advance(ms: number) {
      this.now += ms
    },
  }
  const logs: string[] = []
  const socket = opts.socketAddress
  const api = await createApp({
    db: opened.db,
    config,
    clock: () => clock.now,
    fetch: opts.fetch,
    socketAddress: socket === undefined ? undefined : () => socket,
    maintenance: opts.maintenance,
    log: (event, fields) => logs.push(JSON.stringify({ event, ...fields })),
  })
  const call: TestApp['call'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { 'x-forwarded-for': '203.0.113.7', ...headers } }
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body)
      ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
    }
    const res = await api.app.request(path, init)
    const text = await res.text()
    // Sends that finish after the answer (login codes) have landed before the test looks.
    await api.idle()
    let parsed: unknown = undefined
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    return { status: res.status, headers: res.headers, body: parsed, text }
  }
  return {
    api,
    db: opened.db,
    config,
    clock,
    logs,
    call,
    admin: (method, path, body) =>
      call(method, path, body, { authorization: `Bearer ${ADMIN_TOKEN}` }),
    close() {
      opened.db.close()
      opened.cleanup()
    },
  }
}

/** The newest code the console provider sent to `phone`. */
export async function lastCode(t: TestApp, phone: string): Promise<string> {
  const r = await t.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
  const code = r.body?.messages?.[0]?.code
  if (!code) throw new Error(`no message to ${phone}`)
  return code
}

/** Registers a phone account through the API and returns its user and session. */
export async function registerByPhone(t: TestApp, phone: string, name = 'Asha', email?: string) {
  const v = await t.call('POST', '/v1/verifications', { purpose: 'register', phone })
  if (v.status !== 201) throw new Error(`start failed: ${v.text}`)
  const checked = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
    code: await lastCode(t, phone),
  })
  const u = await t.call('POST', '/v1/users', {
    registrationTicket: checked.body.registrationTicket,
    name,
    email: email ?? `${phone.replace(/\D/g, '')}@example.com`,
  })
  if (u.status !== 201) throw new Error(`register failed: ${u.text}`)
  return u.body as {
    user: { id: string; phone: string }
    session: { accessToken: string; refreshToken: string }
  }
}

/** Distinct valid Indian mobile numbers, one prefix each, so limits per prefix do not interfere. */
export function phoneNo(i: number): string {
  return `+9198${String(1000 + (i % 9000)).padStart(4, '0')}${String(4000 + (i % 6000)).padStart(4, '0')}`
}
