/**
 * SECURITY.md §8 T17 and T18: lifetimes on the server's (injected) clock only. Client time in
 * headers changes nothing, client time in bodies is refused by the strict schemas, and two
 * instances on one database whose clocks are 2 s apart cannot stretch a code past TTL + 2 s.
 */
import { describe, expect, it } from 'vitest'
import { lastCode, phoneNo, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem } from '../../helpers/extra.js'
import {
  checkV,
  ip,
  phoneWithTotp,
  settings,
  smsTicket,
  totpAt,
  useApp,
  verificationRow,
} from './fixture.js'

const s = useApp()
const SECOND = 1000

/** `n` register verifications started now, each to its own number. */
async function codes(t: TestApp, n: number, from = 0) {
  const out: { id: string; code: string; expiresAt: number }[] = []
  for (let i = 0; i < n; i++) {
    const phone = phoneNo(from + i)
    const r = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone },
      ip(from + i),
    )
    expect(r.status, r.text).toBe(201)
    out.push({
      id: r.body.id,
      code: await lastCode(t, phone),
      expiresAt: Date.parse(r.body.expiresAt),
    })
  }
  return out
}

describe('T17 lifetime boundary', () => {
  it('T17 a code is accepted 1 s before its 10-minute lifetime ends and refused at and 1 s after it', async () => {
    const { t } = s
    const t0 = t.clock.now
    const [a, b, c] = await codes(t, 3)
    expect(a!.expiresAt).toBe(t0 + 600 * SECOND)
    t.clock.advance(599 * SECOND)
    expect((await checkV(t, a!.id, a!.code)).body.status).toBe('approved')
    t.clock.advance(SECOND)
    expectProblem(await checkV(t, b!.id, b!.code), 410, 'verification_expired')
    t.clock.advance(SECOND)
    expectProblem(await checkV(t, c!.id, c!.code), 410, 'verification_expired')
    expectProblem(
      await t.call('POST', `/v1/verifications/${c!.id}/resend`, {}),
      410,
      'verification_expired',
    )
    // An expired check costs no attempt: nothing was compared.
    expect((await verificationRow(t, c!.id)).attempts).toBe(0)
  })

  it('T17 a shorter site lifetime (5 min) holds to the second, and no lifetime over 10 minutes can be set', async () => {
    const { t } = s
    await settings(t, { codeTtlSeconds: 300 })
    expectProblem(
      await t.admin('PATCH', '/v1/admin/settings', { codeTtlSeconds: 601 }),
      400,
      'invalid_request',
    )
    const [a, b] = await codes(t, 2)
    t.clock.advance(299 * SECOND)
    expect((await checkV(t, a!.id, a!.code)).body.status).toBe('approved')
    t.clock.advance(2 * SECOND)
    expectProblem(await checkV(t, b!.id, b!.code), 410, 'verification_expired')
  })
})

describe('T18 client time', () => {
  it('T18 Date headers do not move the server clock: a future Date does not expire a code, a past one does not revive it', async () => {
    const { t } = s
    const t0 = t.clock.now
    const [a, b] = await codes(t, 2)
    t.clock.advance(599 * SECOND)
    const future = { date: new Date(t0 + 3600 * SECOND).toUTCString() }
    expect((await checkV(t, a!.id, a!.code, future)).body.status).toBe('approved')
    t.clock.advance(2 * SECOND)
    const past = { date: new Date(t0).toUTCString(), 'x-client-time': String(t0) }
    expectProblem(await checkV(t, b!.id, b!.code, past), 410, 'verification_expired')
  })

  it('T18 client timestamps in request bodies are refused by the strict schemas (400 invalid_request), costing nothing', async () => {
    const { t } = s
    const phone = phoneNo(10)
    const { session, secret } = await phoneWithTotp(t, phone)
    const ticket = await smsTicket(t, phone, 1)
    const [v] = await codes(t, 1, 20)
    const stamp = new Date(t.clock.now - 3600 * SECOND).toISOString()
    const bodies: [string, Record<string, unknown>, Record<string, string>?][] = [
      ['/v1/verifications', { purpose: 'register', phone: phoneNo(30), expiresAt: stamp }],
      [`/v1/verifications/${v!.id}/check`, { code: v!.code, timestamp: stamp }],
      [`/v1/verifications/${v!.id}/check`, { code: v!.code, now: Date.parse(stamp) }],
      [`/v1/verifications/${v!.id}/resend`, { channel: 'sms', sentAt: stamp }],
      ['/v1/mfa/totp', { mfaTicket: ticket, code: totpAt(secret, t.clock.now), time: stamp }],
      [
        '/v1/me/reauth',
        { totpCode: totpAt(secret, t.clock.now), at: stamp },
        bearer(session.accessToken),
      ],
    ]
    for (const [path, body, headers] of bodies) {
      const r = await t.call('POST', path, body, headers)
      expectProblem(r, 400, 'invalid_request')
      const extra = Object.keys(body).at(-1)!
      expect(JSON.stringify(r.body.errors ?? r.body), path).toContain(extra)
    }
    expect((await verificationRow(t, v!.id)).attempts).toBe(0)
    expect((await checkV(t, v!.id, v!.code)).body.status).toBe('approved')
    t.clock.advance(30 * SECOND) // past the set-up code's step
    const ok = await t.call('POST', '/v1/mfa/totp', {
      mfaTicket: ticket,
      code: totpAt(secret, t.clock.now),
    })
    expect(ok.status, ok.text).toBe(200)
  })

  it('T18 two instances on one database with clocks 2 s apart cannot stretch a code past TTL + 2 s', async () => {
    const { t: fast } = s
    const real = fast.clock
    // A second instance on the same libSQL database whose clock is 2 s behind.
    const lagging = {
      get now() {
        return real.now - 2 * SECOND
      },
      advance: (ms: number) => real.advance(ms),
    }
    const slow = await testApp({ db: fast.db, clock: lagging })
    const t0 = real.now
    const onFast = await codes(fast, 3)
    const [fromSlow] = await codes(slow, 1, 10)
    expect(fromSlow!.expiresAt).toBe(t0 - 2 * SECOND + 600 * SECOND)
    // Started on the lagging instance, a code ends 2 s early for the other.
    real.advance(598 * SECOND)
    expectProblem(await checkV(fast, fromSlow!.id, fromSlow!.code), 410, 'verification_expired')
    // TTL + 1 s: the fast instance refuses; the lagging one still takes a code (inside the 2 s).
    real.advance(3 * SECOND)
    expectProblem(await checkV(fast, onFast[0]!.id, onFast[0]!.code), 410, 'verification_expired')
    expect((await checkV(slow, onFast[1]!.id, onFast[1]!.code)).body.status).toBe('approved')
    // TTL + 2 s: no instance takes it any more.
    real.advance(SECOND)
    expectProblem(await checkV(slow, onFast[2]!.id, onFast[2]!.code), 410, 'verification_expired')
    expect(real.now - t0).toBe(602 * SECOND)
  })
})
