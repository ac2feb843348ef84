/**
 * Crashes and partitions (SECURITY.md T40) with real server processes on one real sqld: a code
 * committed by an instance that is then killed still verifies exactly once on another; a code
 * approved on one instance is refused on the other; a database that stops answering never turns
 * into a 500, and once it is back nothing approved before works again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { groupAlive } from '../../helpers/spawn.js'
import { startServer, type Server } from '../../helpers/server.js'
import { startSqld, type Sqld } from '../../helpers/sqld.js'

let sqld: Sqld
let a: Server
let b: Server
const env = () => ({
  DATABASE_URL: sqld.url,
  SMS_AUTH_SECRET: 'd'.repeat(64),
  SMS_AUTH_ADMIN_TOKEN: 'crash-admin-token-0123456789',
  SMS_AUTH_PUBLIC_URL: 'http://auth.test',
  SMS_AUTH_TRUST_PROXY: '1',
})

beforeAll(async () => {
  sqld = await startSqld()
  a = await startServer({ runtime: 'node', env: env() })
  b = await startServer({ runtime: 'node', env: env() })
}, 60_000)

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()])
  await sqld?.close()
})

let ip = 0
interface Answer {
  status: number
  body: { id?: string; code?: string; status?: string; messages?: { code: string }[] }
}
async function call(s: Server, method: string, path: string, body?: unknown, timeoutMs = 10_000) {
  const res = await fetch(s.url + path, {
    method,
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': `10.40.${++ip >> 8}.${ip & 255}`,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : {} } as Answer
}
const startRegister = (s: Server, phone: string) =>
  call(s, 'POST', '/v1/verifications', { purpose: 'register', phone })
const check = (s: Server, id: string, code: string, timeoutMs?: number) =>
  call(s, 'POST', `/v1/verifications/${id}/check`, { code }, timeoutMs)
const codeFor = async (s: Server, phone: string) =>
  (await call(s, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body.messages![0]!.code

describe('T40 crashes and partitions', () => {
  it('T40 (b) refuses on instance B a code approved on instance A (reads go to the primary)', async () => {
    const phone = '+919822200001'
    const v = await startRegister(a, phone)
    expect(v.status).toBe(201)
    const code = await codeFor(b, phone)
    expect((await check(a, v.body.id!, code)).body.status).toBe('approved')
    expect((await check(b, v.body.id!, code)).body.code).toBe('verification_used')
    // And the other way round at once: started on B, approved on A.
    const w = await startRegister(b, '+919822200002')
    expect((await check(a, w.body.id!, await codeFor(a, '+919822200002'))).status).toBe(200)
  })

  it('T40 (c) answers no 500 while sqld is stopped; afterwards a start works and a code approved before stays refused', async () => {
    const phone = '+919822200003'
    const v = await startRegister(a, phone)
    const code = await codeFor(a, phone)
    expect((await check(b, v.body.id!, code)).status).toBe(200)
    process.kill(-sqld.pid, 'SIGSTOP')
    let during: (Answer | 'timeout')[]
    try {
      const bounded = (p: Promise<Answer>) =>
        p.catch((err: unknown) => {
          if (err instanceof Error && err.name === 'TimeoutError') return 'timeout' as const
          throw err
        })
      during = await Promise.all([
        bounded(
          call(
            a,
            'POST',
            '/v1/verifications',
            { purpose: 'register', phone: '+919822200004' },
            3000,
          ),
        ),
        bounded(check(b, v.body.id!, code, 3000)),
        bounded(call(a, 'POST', '/v1/verifications', { purpose: 'login', phone }, 3000)),
      ])
    } finally {
      process.kill(-sqld.pid, 'SIGCONT')
    }
    for (const r of during) if (r !== 'timeout') expect(r.status).not.toBe(500)
    const after = await startRegister(a, '+919822200005')
    expect(after.status).toBe(201)
    expect((await check(a, v.body.id!, code)).body.code).toBe('verification_used')
    expect((await check(b, v.body.id!, code)).body.code).toBe('verification_used')
    // The requests given up on during the outage finish once sqld is back (the register start's
    // code lands in the outbox): none of them ended in an internal error either.
    const deadline = Date.now() + 10_000
    for (;;) {
      const r = await call(a, 'GET', `/v1/dev/outbox?to=${encodeURIComponent('+919822200004')}`)
      if (r.body.messages?.length || Date.now() > deadline) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    for (const s of [a, b]) expect(s.output()).not.toContain('"event":"error"')
  }, 30_000)

  it('T40 (a) verifies exactly once on B a code started on an instance killed with SIGKILL right after its answer', async () => {
    const c = await startServer({ runtime: 'node', env: env() })
    const phone = '+919822200006'
    let id: string
    try {
      const v = await startRegister(c, phone)
      expect(v.status).toBe(201)
      id = v.body.id!
      process.kill(-c.pid, 'SIGKILL')
      while (groupAlive(c.pid)) await new Promise((resolve) => setTimeout(resolve, 20))
    } finally {
      await c.close()
    }
    const code = await codeFor(b, phone)
    const results = await Promise.all(Array.from({ length: 50 }, () => check(b, id, code)))
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    // The others lost the race: used, or out of attempts (each correct check takes one first).
    for (const r of results.filter((x) => x.status !== 200))
      expect(['verification_used', 'too_many_attempts']).toContain(r.body.code)
    expect((await check(a, id, code)).body.code).toBe('verification_used')
  }, 40_000)
})
