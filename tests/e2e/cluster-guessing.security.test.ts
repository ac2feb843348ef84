/**
 * The guessing budgets, the per-number message cap and step-up proofs across two real server
 * processes on one sqld: none of them is per instance (docs/security.md).
 */
import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { twoInstancesOnSqld, type Cluster } from '../helpers/cluster.js'
import { request, type Server } from '../helpers/server.js'

let cluster: Cluster | undefined
let a: Server
let b: Server
const ADMIN = 'cluster-admin-token-0123456789'
const PASSWORD = 'a long enough one'

beforeAll(async () => {
  cluster = await twoInstancesOnSqld(ADMIN, 'd'.repeat(64))
  ;({ a, b } = cluster)
}, 90_000)

afterAll(() => cluster?.close())

let ip = 0
/** Each request from its own address, so the per-address limits stay out of the way. */
const call = (
  s: Server,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) =>
  request(s, method, path, body, {
    'x-forwarded-for': `10.8.${Math.floor(++ip / 250) % 250}.${ip % 250}`,
    ...headers,
  })
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const admin = { authorization: `Bearer ${ADMIN}` }
const either = (i: number) => (i % 2 ? a : b)
const totp = (secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate()

/** An email + password account with TOTP on, made on instance A. */
async function account(email: string) {
  const r = await call(a, 'POST', '/v1/users', { email, password: PASSWORD, name: 'C' })
  expect(r.status).toBe(201)
  const token = r.body.session.accessToken as string
  const setup = await call(b, 'POST', '/v1/me/totp', undefined, bearer(token))
  const on = await call(
    a,
    'POST',
    '/v1/me/totp/verify',
    { code: totp(setup.body.secret) },
    bearer(token),
  )
  expect(on.body.user.twoStep.totp).toBe(true)
  return { id: r.body.user.id as string, token, secret: setup.body.secret as string }
}

async function evaluated(action: string, userId: string): Promise<number> {
  const r = await call(a, 'GET', `/v1/admin/audit?limit=500&action=${action}`, undefined, admin)
  const events = r.body.events as { userId: string | null; outcome: string }[]
  return events.filter(
    (e) => e.userId === userId && (e.outcome === 'invalid_credentials' || e.outcome === 'locked'),
  ).length
}

describe('guessing across two instances', () => {
  it('T06 60 parallel wrong TOTP codes over both instances evaluate at most 20; then the right one waits', async () => {
    const acc = await account('totp-cluster@example.com')
    // First factors ten at a time: a right password takes an attempt while it is checked (and
    // gives it back after), so more than 20 at once would lock the account by themselves.
    const tickets: string[] = []
    for (let batch = 0; batch < 6; batch++) {
      const signIns = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          call(either(i), 'POST', '/v1/sessions', {
            email: 'totp-cluster@example.com',
            password: PASSWORD,
          }),
        ),
      )
      for (const r of signIns) {
        expect(r.body.mfaRequired, JSON.stringify(r.body)).toBe(true)
        tickets.push(r.body.mfaTicket)
      }
    }
    const results = await Promise.all(
      tickets.map((mfaTicket, i) =>
        call(either(i + 1), 'POST', '/v1/mfa/totp', { mfaTicket, code: String(100000 + i) }),
      ),
    )
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true)
    expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(20)
    const counted = await evaluated('signin.mfa', acc.id)
    expect(counted).toBeGreaterThan(0)
    expect(counted).toBeLessThanOrEqual(20)
    const last = await call(a, 'POST', '/v1/sessions', {
      email: 'totp-cluster@example.com',
      password: PASSWORD,
    })
    // The account is locked: a right password answers like a wrong one (no oracle)…
    expect(last.status).toBe(401)
    // …and an admin unlock lets the owner in again.
    expect(
      (await call(b, 'POST', `/v1/admin/users/${acc.id}/unlock`, undefined, admin)).status,
    ).toBe(200)
    const again = await call(a, 'POST', '/v1/sessions', {
      email: 'totp-cluster@example.com',
      password: PASSWORD,
    })
    expect(again.body.mfaRequired).toBe(true)
  })

  it('T07 60 parallel wrong passwords over both instances evaluate at most 20', async () => {
    const acc = await account('pw-cluster@example.com')
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        call(either(i), 'POST', '/v1/sessions', {
          email: 'pw-cluster@example.com',
          password: `wrong password ${i}`,
        }),
      ),
    )
    // A wrong password is 401; under load (each sign-in hashes for tens of milliseconds on two
    // shared cores) the guard may turn some away first with 503 database_unavailable: those are
    // never evaluated. Nothing else, and never a sign-in.
    const busy = results.filter((r) => r.status === 503)
    expect(busy.every((r) => r.body.code === 'database_unavailable')).toBe(true)
    const statuses = JSON.stringify(results.map((r) => r.status))
    expect(
      results.every((r) => r.status === 401 || r.status === 503),
      statuses,
    ).toBe(true)
    expect(results.length - busy.length).toBeGreaterThan(0)
    const counted = await evaluated('signin.password', acc.id)
    expect(counted).toBeGreaterThan(0)
    expect(counted).toBeLessThanOrEqual(20)
  })
})

describe('caps and proofs across two instances', () => {
  it('T26 sends at most 5 messages to one number in 10 minutes across both, resends included', async () => {
    await call(a, 'PATCH', '/v1/admin/settings', { resendCooldownSeconds: 10 }, admin)
    const phone = '+919822200001'
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const r = await call(either(i), 'POST', '/v1/verifications', { purpose: 'register', phone })
      expect(r.status).toBe(201)
      ids.push(r.body.id)
    }
    const outbox = async () =>
      (await call(b, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body.messages.length
    expect(await outbox()).toBe(3)
    // The cooldown runs in real time on these servers, from each verification's own start: poll
    // until a resend is let through.
    const deadline = Date.now() + 30_000
    const resendWhenDue = async (instance: typeof a, id: string, body: object) => {
      let r = await call(instance, 'POST', `/v1/verifications/${id}/resend`, body)
      while (r.status === 429 && r.body.detail?.startsWith('Wait') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250))
        r = await call(instance, 'POST', `/v1/verifications/${id}/resend`, body)
      }
      return r
    }
    expect((await resendWhenDue(a, ids[0]!, {})).status).toBe(200)
    expect((await resendWhenDue(b, ids[1]!, { channel: 'voice' })).status).toBe(200)
    const third = await call(a, 'POST', `/v1/verifications/${ids[2]}/resend`, {})
    expect(third.status).toBe(429)
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await outbox()).toBe(5)
    const more = await call(b, 'POST', '/v1/verifications', { purpose: 'login', phone })
    expect(more.status).toBe(429)
    await call(a, 'PATCH', '/v1/admin/settings', { resendCooldownSeconds: 30 }, admin)
  }, 60_000)

  it('a step-up proof made on one instance counts on the other, for that session only', async () => {
    const acc = await account('stepup-cluster@example.com')
    const proof = await call(a, 'POST', '/v1/me/reauth', { totpCode: '000000' }, bearer(acc.token))
    expect(proof.status).toBe(401)
    const ok = await call(b, 'POST', '/v1/me/reauth', { password: PASSWORD }, bearer(acc.token))
    expect(ok.status).toBe(200)
    expect(
      (await call(a, 'POST', '/v1/me/backup-codes', undefined, bearer(acc.token))).status,
    ).toBe(201)
  })
})
