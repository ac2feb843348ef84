/**
 * Cloudflare Workers (edge/workers.ts) on workerd through miniflare: two Worker instances (two
 * workerd processes, no state shared but the database) on one real sqld. The core flows work,
 * a code is single use across the two, and a send that ends after the answer (a login's code,
 * sent off the request path) still goes out: the Worker hands it to `ctx.waitUntil`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TWILIO_CREDENTIALS, startTwilio, type TwilioFake } from '../fakes/twilio.js'
import { freePort, startSqld, type Sqld } from '../helpers/sqld.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { root } from '../helpers/server.js'
import {
  COMPATIBILITY_DATE,
  bundleWorker,
  startWorker,
  workersSite,
  type Worker,
} from '../helpers/workers.js'

const ADMIN = 'workers-admin-token-0123456789'
let sqld: Sqld
let a: Worker
let b: Worker
let removeBundle: () => Promise<void>
let script: string
let removeSite: () => Promise<void>

beforeAll(async () => {
  const bundle = await bundleWorker()
  removeBundle = bundle.remove
  script = bundle.script
  const site = await workersSite()
  removeSite = site.remove
  sqld = await startSqld({ metrics: true })
  const env = {
    DATABASE_URL: sqld.url,
    SMS_AUTH_SECRET: 'c'.repeat(64),
    SMS_AUTH_ADMIN_TOKEN: ADMIN,
    SMS_AUTH_PUBLIC_URL: 'http://auth.test',
  }
  ;[a, b] = await Promise.all([
    startWorker(bundle.script, env, site.dir),
    startWorker(bundle.script, env, site.dir),
  ])
}, 90_000)

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()])
  await sqld?.close()
  await removeBundle?.()
  await removeSite?.()
})

let address = 0
interface Reply {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
}
/** One JSON call, each from its own client address (CF-Connecting-IP, as Cloudflare sets it). */
async function call(
  w: Worker,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(new URL(path, w.url), {
    method,
    headers: {
      'content-type': 'application/json',
      'cf-connecting-ip': `10.8.${Math.floor(++address / 250)}.${address % 250}`,
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}
const code = async (w: Worker, phone: string): Promise<string> =>
  (await call(w, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body.messages[0].code
const admin = (w: Worker, method: string, path: string, body?: unknown) =>
  call(w, method, path, body, { authorization: `Bearer ${ADMIN}` })

describe('two Workers on one sqld', () => {
  it('serves the widget configuration from both', async () => {
    const [fromA, fromB] = await Promise.all([
      call(a, 'GET', '/v1/config'),
      call(b, 'GET', '/v1/config'),
    ])
    expect(fromA.status).toBe(200)
    expect(fromB.body).toEqual(fromA.body)
    expect(fromA.body.codeLength).toBe(6)
  })

  it('answers compressed bodies a client can read (encoded once, not twice)', async () => {
    const res = await fetch(new URL('/v1/openapi.json', a.url), {
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(res.status).toBe(200)
    expect((await res.json()).openapi).toMatch(/^3\./)
  })

  it('serves the widget (precompressed) and the admin page from its static assets', async () => {
    const widget = await fetch(new URL('/widget.js', a.url), {
      headers: { 'accept-encoding': 'br' },
    })
    expect(widget.status).toBe(200)
    expect(widget.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(widget.headers.get('content-encoding')).toBe('br')
    expect(await widget.text()).toMatch(/customElements/)
    const page = await fetch(new URL('/admin/', b.url))
    expect(page.status).toBe(200)
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(await page.text()).toContain('/admin/main.js')
    const charts = await fetch(new URL('/admin/vendor/uplot.js', a.url))
    expect(charts.status).toBe(200)
    expect(await charts.text()).toMatch(/uPlot/)
    expect((await fetch(new URL('/admin/no-such-file.js', b.url))).status).toBe(404)
  })

  it('registers on one Worker, signs in on the other, on kept streams', async () => {
    // sqld opens a SQLite connection for each new Hrana stream (edge/db/kept-streams.ts).
    const connections = () => sqld.metric('libsql_server_connection_create_time_count')
    const opened = await connections()
    const phone = '+14155552671'
    const v = await call(a, 'POST', '/v1/verifications', { purpose: 'register', phone })
    expect(v.status).toBe(201)
    const checked = await call(b, 'POST', `/v1/verifications/${v.body.id}/check`, {
      code: await code(b, phone),
    })
    expect(checked.body.status).toBe('approved')
    const user = await call(a, 'POST', '/v1/users', {
      registrationTicket: checked.body.registrationTicket,
      name: 'Wren',
      email: 'wren@example.com',
    })
    expect(user.status).toBe(201)
    const me = await call(b, 'GET', '/v1/me', undefined, {
      authorization: `Bearer ${user.body.session.accessToken}`,
    })
    expect(me.body.user.id).toBe(user.body.user.id)
    expect((await connections()) - opened).toBeLessThanOrEqual(4)
    expect(a.output() + b.output()).not.toContain(await code(a, phone))
  })

  it('registers with a password on one Worker, signs in with it on the other (Argon2id on workerd)', async () => {
    const password = 'violet tugboat harmonica 58'
    const user = await call(a, 'POST', '/v1/users', {
      email: 'pat@example.com',
      password,
      name: 'Pat',
    })
    expect(user.status).toBe(201)
    const signed = await call(b, 'POST', '/v1/sessions', { email: 'pat@example.com', password })
    expect(signed.status).toBe(200)
    expect(signed.body.user.id).toBe(user.body.user.id)
    const wrong = await call(b, 'POST', '/v1/sessions', {
      email: 'pat@example.com',
      password: 'violet tugboat harmonica 59',
    })
    expect(wrong.body.code).toBe('invalid_credentials')
  })

  it('takes a code once: a second check on the other Worker is refused', async () => {
    const phone = '+14155552672'
    const v = await call(b, 'POST', '/v1/verifications', { purpose: 'register', phone })
    const c = await code(b, phone)
    const first = await call(a, 'POST', `/v1/verifications/${v.body.id}/check`, { code: c })
    expect(first.body.status).toBe('approved')
    const again = await call(b, 'POST', `/v1/verifications/${v.body.id}/check`, { code: c })
    expect(again.status).toBe(409)
    expect(again.body.code).toBe('verification_used')
  })

  it('approves exactly one of 12 concurrent correct checks spread over both', async () => {
    const phone = '+14155552673'
    const v = await call(a, 'POST', '/v1/verifications', { purpose: 'register', phone })
    const c = await code(a, phone)
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(i % 2 ? a : b, 'POST', `/v1/verifications/${v.body.id}/check`, { code: c }),
      ),
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    // The rest: used, or refused while the attempts still held by checks in flight count.
    expect(results.every((r) => [200, 409, 429].includes(r.status))).toBe(true)
    expect(results.filter((r) => r.status === 409).length).toBeGreaterThan(0)
  })

  it('caps wrong codes at 5 across both Workers', async () => {
    const phone = '+14155552675'
    const v = await call(b, 'POST', '/v1/verifications', { purpose: 'register', phone })
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(i % 2 ? a : b, 'POST', `/v1/verifications/${v.body.id}/check`, { code: '1234567' }),
      ),
    )
    expect(results.filter((r) => r.body.code === 'invalid_code')).toHaveLength(5)
    const right = await call(a, 'POST', `/v1/verifications/${v.body.id}/check`, {
      code: await code(a, phone),
    })
    expect(right.body.code).toBe('too_many_attempts')
  })
})

describe('the rest of a Worker', () => {
  it('runs the retention job from its Cron Trigger', async () => {
    expect(await a.scheduled()).toBe('ok')
    const db = createClient({ url: sqld.url })
    try {
      await expect
        .poll(async () => (await db.execute('SELECT name, finished_at FROM jobs')).rows, {
          timeout: 10_000,
        })
        .toEqual([expect.objectContaining({ name: 'retention', finished_at: expect.any(Number) })])
    } finally {
      db.close()
    }
  })

  it('is deployed as docs/wrangler.toml says, with the settings these tests run it with', () => {
    const toml = readFileSync(join(root, 'docs/wrangler.toml'), 'utf8')
    expect(toml).toMatch(/^main = "dist\/workers\.js"$/m)
    expect(toml).toMatch(new RegExp(`^compatibility_date = "${COMPATIBILITY_DATE}"$`, 'm'))
    for (const line of ['binding = "ASSETS"', 'run_worker_first = true', 'html_handling = "none"'])
      expect(toml.split('\n')).toContain(line)
    expect(toml).toMatch(/^command = ".*node scripts\/workers-site\.mjs"$/m)
  })
})

describe('one isolate under concurrent requests', () => {
  it('answers 40 starts arriving at a cold Worker at once, none cancelled as hung', async () => {
    // The first builds the app while the others wait for it, then more than maxConcurrency
    // statements queue for a slot another request holds: workerd cancels a request that waits
    // on nothing of its own, unless it keeps a timer (edge/workers.ts, awaitHere).
    const cold = await startWorker(script, {
      DATABASE_URL: sqld.url,
      SMS_AUTH_SECRET: 'c'.repeat(64),
      SMS_AUTH_ADMIN_TOKEN: ADMIN,
    })
    try {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          call(cold, 'POST', '/v1/verifications', {
            purpose: 'register',
            phone: `+1212555${2700 + i}`,
          }),
        ),
      )
      expect(results.map((r) => r.status).filter((s) => s !== 201 && s !== 429)).toEqual([])
      expect(results.some((r) => r.status === 201)).toBe(true)
      expect(cold.output()).not.toMatch(/hung|different request context/)
    } finally {
      await cold.close()
    }
  })
})

describe('a Worker that cannot start', () => {
  it('answers 503 with Retry-After while its database is down, and a problem for a bad configuration', async () => {
    const env = {
      DATABASE_URL: `http://127.0.0.1:${await freePort()}`,
      SMS_AUTH_SECRET: 'c'.repeat(64),
      SMS_AUTH_ADMIN_TOKEN: ADMIN,
    }
    const down = await startWorker(script, env)
    try {
      const res = await call(down, 'GET', '/v1/config')
      expect(res.status).toBe(503)
      expect(res.body.code).toBe('database_unavailable')
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
    } finally {
      await down.close()
    }
    const unset = await startWorker(script, { DATABASE_URL: sqld.url })
    try {
      const res = await call(unset, 'GET', '/v1/config')
      expect(res.status).toBe(500)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.body.code).toBe('internal_error')
      expect(unset.output()).toContain('SMS_AUTH_SECRET is not set')
    } finally {
      await unset.close()
    }
  })
})

describe('a send after the answer', () => {
  let twilio: TwilioFake
  beforeAll(async () => {
    twilio = await startTwilio()
  })
  afterAll(() => twilio?.close())

  it('reaches the provider after the 201, kept alive by waitUntil', async () => {
    const phone = '+14155552674'
    const v = await call(a, 'POST', '/v1/verifications', { purpose: 'register', phone })
    const checked = await call(a, 'POST', `/v1/verifications/${v.body.id}/check`, {
      code: await code(a, phone),
    })
    const user = await call(a, 'POST', '/v1/users', {
      registrationTicket: checked.body.registrationTicket,
      name: 'Ash',
      email: 'ash@example.com',
    })
    expect(user.status).toBe(201)
    const put = await admin(b, 'PUT', '/v1/admin/integrations/twilio', {
      enabled: true,
      priority: 1,
      credentials: TWILIO_CREDENTIALS,
      baseUrl: twilio.baseUrl,
    })
    expect(put.status).toBe(200)
    // The provider answers only after a while: the login's 201 is long gone by then.
    twilio.setDelay(1500)
    const started = Date.now()
    const login = await call(b, 'POST', '/v1/verifications', { purpose: 'login', phone })
    expect(login.status).toBe(201)
    expect(Date.now() - started).toBeLessThan(1500)
    await expect.poll(() => twilio.lastCode(), { timeout: 10_000 }).toMatch(/^\d{6}$/)
    // Logged once the provider has answered, long after the response: the task ran to its end.
    await expect
      .poll(() => b.output(), { timeout: 10_000 })
      .toMatch(/"event":"message\.sent","provider":"twilio"/)
    const signed = await call(a, 'POST', `/v1/verifications/${login.body.id}/check`, {
      code: twilio.lastCode(),
    })
    expect(signed.body.user.id).toBe(user.body.user.id)
  })
})
