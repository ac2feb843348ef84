/**
 * SECURITY.md §8 T08, T09, T13: backup-code and TOTP guessing, the TOTP window, and TOTP replay.
 * TOTP codes are computed with `otpauth` at the injected clock's time; second steps follow a real
 * SMS first factor (a phone account with TOTP on), so no secret is read from the database.
 */
import { describe, expect, it } from 'vitest'
import { lastCode, phoneNo, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem, outbox } from '../../helpers/extra.js'
import {
  backupCodes,
  budget,
  checkV,
  count,
  ip,
  MINUTE,
  phoneWithTotp,
  sessionCount,
  smsTicket,
  startV,
  totpAt,
  useApp,
  wrong,
} from './fixture.js'

const s = useApp()
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz'

/** A random, well-formed backup code (12 Crockford base-32 characters, as xxxx-xxxx-xxxx). */
function randomBackupCode(): string {
  const c = [...crypto.getRandomValues(new Uint8Array(12))].map((b) => CROCKFORD[b % 32]).join('')
  return `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`
}

const mfaTotp = (t: TestApp, mfaTicket: string, code: string) =>
  t.call('POST', '/v1/mfa/totp', { mfaTicket, code })
const mfaBackup = (t: TestApp, mfaTicket: string, code: string) =>
  t.call('POST', '/v1/mfa/backup-code', { mfaTicket, code })

describe('T08 backup-code guessing', () => {
  it('T08 random backup codes draw on the account budget; requesting and using SMS codes does not reset it; the lockout is notified to the phone', async () => {
    const { t } = s
    const phone = phoneNo(1)
    const { user, session } = await phoneWithTotp(t, phone)
    const codes = await backupCodes(t, session.accessToken)
    t.clock.advance(10 * MINUTE)
    const first = await smsTicket(t, phone, 1)
    for (let i = 0; i < 10; i++) {
      expectProblem(await mfaBackup(t, first, randomBackupCode()), 401, 'invalid_credentials')
    }
    expect(await budget(t, user.id)).toMatchObject({ failed: 10, total: 10 })
    // New SMS codes, a resend, and a right SMS first factor leave the failures in place.
    const id = await startV(t, { purpose: 'login', phone }, ip(2))
    t.clock.advance(30_000)
    expect((await t.call('POST', `/v1/verifications/${id}/resend`, {})).status).toBe(200)
    const second = await checkV(t, id, await lastCode(t, phone))
    expect(second.body.mfaRequired).toBe(true)
    expect(await budget(t, user.id)).toMatchObject({ failed: 10, total: 10 })
    for (let i = 0; i < 9; i++) await mfaBackup(t, second.body.mfaTicket, randomBackupCode())
    expect((await outbox(t, phone))[0]!.body).not.toMatch(/sign-in is paused/)
    expectProblem(
      await mfaBackup(t, second.body.mfaTicket, randomBackupCode()),
      401,
      'invalid_credentials',
    )
    expect(await budget(t, user.id)).toMatchObject({
      total: 20,
      lockedUntil: t.clock.now + 15 * MINUTE,
    })
    const notice = (await outbox(t, phone))[0]!
    expect(notice.code).toBeNull()
    expect(notice.body).toMatch(/Too many wrong codes or passwords .* sign-in is paused/)
    // Locked: a right backup code is refused without being spent, and no SMS code is sent.
    const right = await mfaBackup(t, second.body.mfaTicket, codes[0]!)
    expectProblem(right, 429, 'rate_limited')
    expect(right.body.retryAfter).toBe(15 * 60)
    expect((await budget(t, user.id))!.total).toBe(20)
    const sent = (await outbox(t, phone)).length
    await startV(t, { purpose: 'login', phone }, ip(3))
    expect(await outbox(t, phone)).toHaveLength(sent)
    const left = await t.call('GET', '/v1/me/backup-codes', undefined, bearer(session.accessToken))
    expect(left.body.remaining).toBe(10)
  })
})

describe('T09 TOTP window and guessing', () => {
  it('T09 codes one step either side of the server time are accepted, codes two steps away refused', async () => {
    const { t } = s
    const phone = phoneNo(2)
    const { secret } = await phoneWithTotp(t, phone)
    t.clock.advance(5 * MINUTE + 15_000) // well past the set-up step, mid-step
    const at = (steps: number) => totpAt(secret, t.clock.now + steps * 30_000)
    const a = await smsTicket(t, phone, 1)
    // Refused before anything is accepted, so it is the window that refuses them, not the replay
    // rule (their steps are later than the set-up step).
    for (const steps of [-2, 2])
      expectProblem(await mfaTotp(t, a, at(steps)), 401, 'invalid_credentials')
    expect((await mfaTotp(t, a, at(-1))).status).toBe(200)
    expect((await mfaTotp(t, await smsTicket(t, phone, 2), at(0))).status).toBe(200)
    const c = await smsTicket(t, phone, 3)
    expect((await mfaTotp(t, c, at(1))).status).toBe(200)
    // T+2 is later than every accepted step: still refused, by the window.
    expectProblem(await mfaTotp(t, await smsTicket(t, phone, 4), at(2)), 401, 'invalid_credentials')
  })

  it('T09 wrong TOTP codes count per account with the other factors: the 20th failure locks and the right code is refused', async () => {
    const { t } = s
    const phone = phoneNo(3)
    const { user, secret } = await phoneWithTotp(t, phone)
    t.clock.advance(10 * MINUTE)
    // Three wrong SMS codes first: the same budget.
    const id = await startV(t, { purpose: 'login', phone }, ip(1))
    const code = await lastCode(t, phone)
    for (let i = 0; i < 3; i++) await checkV(t, id, wrong(code))
    const ticket = (await checkV(t, id, code)).body.mfaTicket as string
    const live = new Set([-1, 0, 1].map((d) => totpAt(secret, t.clock.now + d * 30_000)))
    const guesses = Array.from({ length: 40 }, (_, i) => String(100_000 + i * 13)).filter(
      (g) => !live.has(g),
    )
    for (let i = 0; i < 5; i++) await mfaTotp(t, ticket, guesses[i]!)
    expect(await budget(t, user.id)).toMatchObject({ failed: 8, total: 8 })
    for (let i = 5; i < 17; i++) {
      expectProblem(await mfaTotp(t, ticket, guesses[i]!), 401, 'invalid_credentials')
    }
    expect(await budget(t, user.id)).toMatchObject({
      total: 20,
      lockedUntil: t.clock.now + 15 * MINUTE,
    })
    const right = await mfaTotp(t, ticket, totpAt(secret, t.clock.now))
    expectProblem(right, 429, 'rate_limited')
    expect((await budget(t, user.id))!.total).toBe(20)
  })
})

describe('T13 TOTP replay', () => {
  it('T13 the code that confirmed the TOTP set-up cannot be the first sign-in code', async () => {
    const { t } = s
    const phone = phoneNo(4)
    const { secret, setupCode } = await phoneWithTotp(t, phone)
    const ticket = await smsTicket(t, phone, 1)
    expect(totpAt(secret, t.clock.now)).toBe(setupCode) // still its step: only the replay rule refuses
    expectProblem(await mfaTotp(t, ticket, setupCode), 401, 'invalid_credentials')
    t.clock.advance(30_000)
    expect((await mfaTotp(t, ticket, totpAt(secret, t.clock.now))).status).toBe(200)
  })

  it('T13 a login TOTP cannot be used again within its window, by another sign-in', async () => {
    const { t } = s
    const phone = phoneNo(5)
    const { user, secret } = await phoneWithTotp(t, phone)
    t.clock.advance(MINUTE)
    const code = totpAt(secret, t.clock.now)
    expect((await mfaTotp(t, await smsTicket(t, phone, 1), code)).status).toBe(200)
    const step = Math.floor(t.clock.now / 30_000)
    const row = await t.db.execute({
      sql: 'SELECT totp_last_step FROM users WHERE id = ?',
      args: [user.id],
    })
    expect(Number(row.rows[0]!.totp_last_step)).toBe(step)
    expectProblem(await mfaTotp(t, await smsTicket(t, phone, 2), code), 401, 'invalid_credentials')
    t.clock.advance(30_000) // the code is now the previous step: inside the window, still used
    expectProblem(await mfaTotp(t, await smsTicket(t, phone, 3), code), 401, 'invalid_credentials')
    expect(
      (await mfaTotp(t, await smsTicket(t, phone, 4), totpAt(secret, t.clock.now))).status,
    ).toBe(200)
  })

  it('T13 50 concurrent second steps with one TOTP code over 5 pending sign-ins: exactly one signs in', async () => {
    const { t } = s
    const phone = phoneNo(6)
    const { user, secret } = await phoneWithTotp(t, phone)
    t.clock.advance(10 * MINUTE)
    const tickets: string[] = []
    for (let i = 0; i < 5; i++) tickets.push(await smsTicket(t, phone, i))
    const before = await sessionCount(t, user.id)
    const code = totpAt(secret, t.clock.now)
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => mfaTotp(t, tickets[i % 5]!, code)),
    )
    expect(count(results, 200)).toBe(1)
    expect(count(results, 401) + count(results, 429)).toBe(49)
    expect(await sessionCount(t, user.id)).toBe(before + 1)
  })
})
