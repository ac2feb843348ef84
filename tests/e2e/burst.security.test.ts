/**
 * T40 under load: bursts against two real server processes on one sqld, with the guard's
 * defaults. A burst may be refused (429 by the limits, 503 by the database guard) but never
 * answered with a 500 or left hanging, and it must leave sqld and both instances serving: right
 * after each burst a write and /healthz answer within 2 s on both. Only availability is asserted
 * here: how many starts pass the rate limits is the verification core's business.
 */
import { createClient } from '@libsql/client'
import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type Server } from '../helpers/server.js'
import { startSqld, type Sqld } from '../helpers/sqld.js'

let sqld: Sqld
let a: Server
let b: Server
const env = () => ({
  DATABASE_URL: sqld.url,
  SMS_AUTH_SECRET: 'e'.repeat(64),
  SMS_AUTH_ADMIN_TOKEN: 'burst-admin-token-0123456789',
  SMS_AUTH_PUBLIC_URL: 'http://auth.test',
  SMS_AUTH_TRUST_PROXY: '1',
})

beforeAll(async () => {
  sqld = await startSqld()
  ;[a, b] = await Promise.all([
    startServer({ runtime: 'node', env: env() }),
    startServer({ runtime: 'node', env: env() }),
  ])
}, 90_000)

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()])
  await sqld?.close()
})

interface Answer {
  status: number
  type: string
  retryAfter: string | null
  body: Record<string, unknown> | undefined
  ms: number
}

/** One request; a transport failure (reset, refused) is an answer too: status 0. */
async function send(
  s: Server,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const started = Date.now()
  try {
    const res = await fetch(s.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    })
    const text = await res.text()
    let parsed: Record<string, unknown> | undefined
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined
    } catch {
      parsed = undefined
    }
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      retryAfter: res.headers.get('retry-after'),
      body: parsed,
      ms: Date.now() - started,
    }
  } catch (err) {
    return {
      status: 0,
      type: '',
      retryAfter: null,
      body: { error: String(err) },
      ms: Date.now() - started,
    }
  }
}

const xff = (n: number) => ({ 'x-forwarded-for': `198.18.${Math.floor(n / 250) % 250}.${n % 250}` })
/** Valid Indian mobile numbers, distinct for n < 100 000. */
const phone = (n: number) => `+9197${String(n).padStart(8, '0')}`

/** Every answer is a success of the expected shape or a well-formed problem from `allowed`. */
function expectWellFormed(answers: Answer[], allowed: number[], success: number, label: string) {
  const counts = new Map<number, number>()
  for (const r of answers) counts.set(r.status, (counts.get(r.status) ?? 0) + 1)
  const spread = (ms: number[]) => {
    ms.sort((x, y) => x - y)
    return `p50 ${ms[ms.length >> 1]} max ${ms[ms.length - 1]} ms`
  }
  const byStatus = [...counts.keys()].map(
    (st) => `${st}: ${spread(answers.filter((r) => r.status === st).map((r) => r.ms))}`,
  )
  // Why 503s were given: at the door (a new request turned away) or by the guard (a statement).
  const why = new Map<string, number>()
  for (const r of answers.filter((x) => x.status === 503))
    why.set(String(r.body?.detail), (why.get(String(r.body?.detail)) ?? 0) + 1)
  console.log(
    `${label}: ${JSON.stringify(Object.fromEntries(counts))}; all ${spread(answers.map((r) => r.ms))}; ${byStatus.join('; ')}; 503: ${JSON.stringify(Object.fromEntries(why))}`,
  )
  expect(counts.get(500) ?? 0).toBe(0)
  expect([...counts.keys()].filter((s) => !allowed.includes(s))).toEqual([])
  for (const r of answers) {
    if (r.status === success) {
      expect(r.type).toMatch(/^application\/json/)
      continue
    }
    expect(r.type).toMatch(/^application\/problem\+json/)
    expect(r.body).toMatchObject({
      status: r.status,
      type: expect.any(String),
      title: expect.any(String),
      code: expect.any(String),
    })
    if (r.status === 429 || r.status === 503) {
      expect(Number(r.retryAfter)).toBeGreaterThan(0)
      expect(String(r.body?.retryAfter)).toBe(r.retryAfter)
    }
  }
}

let fresh = 90_000
/** Right after a burst: on both instances a write (a login start) and /healthz, within 2 s. */
async function expectServingWithin2s(label: string) {
  const checks = await Promise.all(
    [a, b].flatMap((s) => [
      send(s, 'POST', '/v1/verifications', { purpose: 'login', phone: phone(++fresh) }, xff(fresh)),
      send(s, 'GET', '/healthz'),
    ]),
  )
  console.log(`${label}: write and /healthz answered in ${checks.map((c) => c.ms).join(', ')} ms`)
  expect(checks.map((c) => c.status)).toEqual([201, 200, 201, 200])
  for (const c of checks) expect(c.ms).toBeLessThan(2_000)
  const direct = createClient({ url: sqld.url })
  try {
    expect((await direct.execute('SELECT 1 AS one')).rows[0]?.one).toBe(1)
  } finally {
    direct.close()
  }
}

describe('bursts against two instances on one sqld', () => {
  it('T40 300 concurrent anonymous starts from 250 addresses: no 500, both instances and sqld still serving', async () => {
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        send(
          i % 2 ? a : b,
          'POST',
          '/v1/verifications',
          { purpose: 'login', phone: phone(i) },
          xff(i % 250),
        ),
      ),
    )
    expectWellFormed(answers, [201, 429, 503], 201, 'starts')
    for (const r of answers.filter((x) => x.status === 201))
      expect(String(r.body?.id)).toMatch(/^ver_/)
    await expectServingWithin2s('after the starts')
  }, 60_000)

  it('T40 1,000 concurrent second-factor guesses: no 500, both instances and sqld still serving', async () => {
    const ticket = await mfaTicketWithTotp(phone(50_000))
    const valid = new Set(
      [-1, 0, 1].map((d) => ticket.totp.generate({ timestamp: Date.now() + d * 30_000 })),
    )
    const guesses = Array.from({ length: 1_000 }, (_, i) => {
      let code = String(100_000 + i * 7)
      while (valid.has(code)) code = String(Number(code) + 1)
      return code
    })
    const answers = await Promise.all(
      guesses.map((code, i) =>
        send(i % 2 ? a : b, 'POST', '/v1/mfa/totp', { mfaTicket: ticket.mfaTicket, code }, xff(i)),
      ),
    )
    expectWellFormed(answers, [401, 429, 503], 200, 'guesses')
    await expectServingWithin2s('after the guesses')
  }, 60_000)
})

/** A phone account with TOTP on, signed in by SMS up to its second step (API only). */
async function mfaTicketWithTotp(number: string) {
  const ok = async (r: Promise<Answer>, status = 200) => {
    const answer = await r
    expect(answer.status, JSON.stringify(answer.body)).toBe(status)
    return answer.body as Record<string, string> & { user: unknown }
  }
  const code = async () =>
    (
      (await ok(send(a, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(number)}`))) as unknown as {
        messages: { code: string }[]
      }
    ).messages[0]!.code
  const from = xff(249)
  const reg = await ok(
    send(a, 'POST', '/v1/verifications', { purpose: 'register', phone: number }, from),
    201,
  )
  const approved = await ok(
    send(b, 'POST', `/v1/verifications/${reg.id}/check`, { code: await code() }, from),
  )
  const user = (await ok(
    send(a, 'POST', '/v1/users', {
      registrationTicket: approved.registrationTicket,
      name: 'Burst',
      email: 'burst@example.com',
    }),
    201,
  )) as unknown as { session: { accessToken: string } }
  const auth = { ...from, authorization: `Bearer ${user.session.accessToken}` }
  const setup = await ok(send(b, 'POST', '/v1/me/totp', undefined, auth))
  const totp = new TOTP({ secret: Secret.fromBase32(setup.secret!), digits: 6, period: 30 })
  await ok(send(a, 'POST', '/v1/me/totp/verify', { code: totp.generate() }, auth))
  const login = await ok(
    send(b, 'POST', '/v1/verifications', { purpose: 'login', phone: number }, from),
    201,
  )
  const signed = await ok(
    send(a, 'POST', `/v1/verifications/${login.id}/check`, { code: await code() }, from),
  )
  expect(signed.mfaRequired).toBe(true)
  return { mfaTicket: signed.mfaTicket!, totp }
}
