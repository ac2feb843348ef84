/**
 * A stolen session gets nothing (SECURITY.md R-62, T31, T32; docs/security.md "Step-up"): every
 * sensitive change needs a factor proven within 5 minutes in this session.
 */
import { Secret, TOTP } from 'otpauth'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, outbox as messagesTo } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const totpAt = (secret: string, ms: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: ms })
const SIX_MINUTES = 6 * 60_000

const outbox = (phone: string) => messagesTo(t, phone)

function expectStepUp(r: { status: number; body: { code?: string; methods?: string[] } }) {
  expect(r.status, JSON.stringify(r.body)).toBe(403)
  expect(r.body.code).toBe('reauthentication_required')
  expect(Array.isArray(r.body.methods)).toBe(true)
}

/** A phone account with TOTP on and a set of backup codes, signed in long ago (a stolen token). */
async function staleAccount(phone: string) {
  const { session, user } = await registerByPhone(t, phone)
  const token = session.accessToken
  const setup = await t.call('POST', '/v1/me/totp', undefined, bearer(token))
  await t.call(
    'POST',
    '/v1/me/totp/verify',
    { code: totpAt(setup.body.secret, t.clock.now) },
    bearer(token),
  )
  const codes = (await t.call('POST', '/v1/me/backup-codes', undefined, bearer(token))).body.codes
  t.clock.advance(SIX_MINUTES)
  return { token, userId: user.id, secret: setup.body.secret as string, codes: codes as string[] }
}

describe('step-up for sensitive changes', () => {
  it('T32 a stolen session (valid token, no fresh factor) can change no factor', async () => {
    const phone = phoneNo(301)
    const a = await staleAccount(phone)
    const before = await t.call('GET', '/v1/me', undefined, bearer(a.token))
    expect(before.status).toBe(200)
    const backup = await t.call('POST', '/v1/me/backup-codes', undefined, bearer(a.token))
    expectStepUp(backup)
    expect(backup.body.methods).toEqual(['sms', 'totp', 'backup_code'])
    // Replacing an authenticator app asks for that app only.
    const replace = await t.call('POST', '/v1/me/totp', undefined, bearer(a.token))
    expectStepUp(replace)
    expect(replace.body.methods).toEqual(['totp'])
    // Turning TOTP off and removing the phone need a current factor in the request itself.
    const off = await t.call('DELETE', '/v1/me/totp', { code: '000000' }, bearer(a.token))
    expect(off.status).toBe(401)
    // Nothing changed: the old backup codes still count, TOTP is still on.
    const after = await t.call('GET', '/v1/me', undefined, bearer(a.token))
    expect(after.body.user.twoStep).toEqual({ sms: true, totp: true, backupCodesRemaining: 10 })
    // Changing the phone needs a code sent to the current phone: the owner sees it.
    const sent = (await outbox(phone)).length
    const change = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'change_phone' },
      bearer(a.token),
    )
    expect(change.status).toBe(201)
    expect((await outbox(phone)).length).toBe(sent + 1)
    // And enrolling a new number without that proof is refused.
    const enroll = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'enroll', phone: phoneNo(302) },
      bearer(a.token),
    )
    expect(enroll.status).toBe(403)
    expect(enroll.body.code).toBe('forbidden')
  })

  it('refuses adding a first phone to a password account without a fresh proof, then allows it after a password step-up', async () => {
    const r = await t.call('POST', '/v1/users', {
      email: 'stepup@example.com',
      password: 'a long enough one',
      name: 'S',
    })
    const token = r.body.session.accessToken as string
    t.clock.advance(SIX_MINUTES)
    const phone = phoneNo(303)
    const add = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'enroll', phone },
      bearer(token),
    )
    expectStepUp(add)
    expect(add.body.methods).toEqual(['password'])
    expect(await outbox(phone)).toHaveLength(0)
    const wrong = await t.call('POST', '/v1/me/reauth', { password: 'not it' }, bearer(token))
    expect(wrong.status).toBe(401)
    expect(wrong.body.code).toBe('invalid_credentials')
    const proof = await t.call(
      'POST',
      '/v1/me/reauth',
      { password: 'a long enough one' },
      bearer(token),
    )
    expect(proof.status, proof.text).toBe(200)
    expect(proof.body.method).toBe('password')
    expect(Date.parse(proof.body.expiresAt)).toBe(t.clock.now + 5 * 60_000)
    const again = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'enroll', phone },
      bearer(token),
    )
    expect(again.status, again.text).toBe(201)
  })

  it('takes a proof by SMS (purpose reauth), a TOTP code or a backup code, each for 5 minutes', async () => {
    const phone = phoneNo(304)
    const a = await staleAccount(phone)
    const v = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'reauth', channel: 'sms' },
      bearer(a.token),
    )
    expect(v.status, v.text).toBe(201)
    expect(v.body.purpose).toBe('reauth')
    const ok = await t.call(
      'POST',
      `/v1/verifications/${v.body.id}/check`,
      { code: await lastCode(t, phone) },
      bearer(a.token),
    )
    expect(ok.status, ok.text).toBe(200)
    expect(ok.body.user.id).toBe(a.userId)
    const made = await t.call('POST', '/v1/me/backup-codes', undefined, bearer(a.token))
    expect(made.status).toBe(201)
    // An SMS proof does not let the authenticator app be replaced: that needs the app.
    expectStepUp(await t.call('POST', '/v1/me/totp', undefined, bearer(a.token)))
    const byApp = await t.call(
      'POST',
      '/v1/me/reauth',
      { totpCode: totpAt(a.secret, t.clock.now) },
      bearer(a.token),
    )
    expect(byApp.status, byApp.text).toBe(200)
    expect((await t.call('POST', '/v1/me/totp', undefined, bearer(a.token))).status).toBe(200)
    // Five minutes later the proof no longer counts.
    t.clock.advance(5 * 60_000 + 1)
    expectStepUp(await t.call('POST', '/v1/me/backup-codes', undefined, bearer(a.token)))
    const byBackup = await t.call(
      'POST',
      '/v1/me/reauth',
      { backupCode: made.body.codes[0] },
      bearer(a.token),
    )
    expect(byBackup.status).toBe(200)
    expect(byBackup.body.method).toBe('backup_code')
    expect((await t.call('POST', '/v1/me/backup-codes', undefined, bearer(a.token))).status).toBe(
      201,
    )
  })

  it('binds a proof to the session that made it', async () => {
    const phone = phoneNo(305)
    const a = await staleAccount(phone)
    // A second session of the same account (the thief's), signed in long ago too.
    const v = await t.call('POST', '/v1/verifications', { purpose: 'login', phone })
    const other = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
      code: await lastCode(t, phone),
    })
    expect(other.body.mfaRequired).toBe(true)
    const thief = await t.call('POST', '/v1/mfa/totp', {
      mfaTicket: other.body.mfaTicket,
      code: totpAt(a.secret, t.clock.now),
    })
    const thiefToken = thief.body.session.accessToken as string
    t.clock.advance(SIX_MINUTES)
    // The owner proves a factor in their own session…
    const r = await t.call('POST', '/v1/verifications', { purpose: 'reauth' }, bearer(a.token))
    const code = await lastCode(t, phone)
    // …and the other session can neither use that verification nor the proof.
    const stolen = await t.call(
      'POST',
      `/v1/verifications/${r.body.id}/check`,
      { code },
      bearer(thiefToken),
    )
    expect(stolen.status).toBe(403)
    const own = await t.call(
      'POST',
      `/v1/verifications/${r.body.id}/check`,
      { code },
      bearer(a.token),
    )
    expect(own.status).toBe(200)
    expectStepUp(await t.call('POST', '/v1/me/backup-codes', undefined, bearer(thiefToken)))
    expect((await t.call('POST', '/v1/me/backup-codes', undefined, bearer(a.token))).status).toBe(
      201,
    )
  })

  it('counts wrong step-up proofs in the account budget: 50 parallel wrong TOTP codes evaluate at most 20', async () => {
    const a = await staleAccount(phoneNo(306))
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.call('POST', '/v1/me/reauth', { totpCode: String(100000 + i) }, bearer(a.token)),
      ),
    )
    const evaluated = results.filter((r) => r.status === 401)
    expect(evaluated.length).toBeLessThanOrEqual(20)
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true)
    // Locked now: even the right code is refused, and says how long to wait.
    const right = await t.call(
      'POST',
      '/v1/me/reauth',
      { totpCode: totpAt(a.secret, t.clock.now) },
      bearer(a.token),
    )
    expect(right.status).toBe(429)
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('T31 phone change', () => {
  it('T31 needs the current phone, verifies the new one, tells the old one, ends other sessions and stops codes to the old number', async () => {
    const oldPhone = phoneNo(310)
    const newPhone = phoneNo(311)
    const { session } = await registerByPhone(t, oldPhone)
    const token = session.accessToken
    // Another session of the same account, which the change must end.
    const v = await t.call('POST', '/v1/verifications', { purpose: 'login', phone: oldPhone })
    const other = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
      code: await lastCode(t, oldPhone),
    })
    const otherToken = other.body.session.accessToken as string
    t.clock.advance(SIX_MINUTES)
    const prove = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'change_phone' },
      bearer(token),
    )
    await t.call(
      'POST',
      `/v1/verifications/${prove.body.id}/check`,
      { code: await lastCode(t, oldPhone) },
      bearer(token),
    )
    const enroll = await t.call(
      'POST',
      '/v1/verifications',
      { purpose: 'enroll', phone: newPhone },
      bearer(token),
    )
    expect(enroll.status, enroll.text).toBe(201)
    const done = await t.call(
      'POST',
      `/v1/verifications/${enroll.body.id}/check`,
      { code: await lastCode(t, newPhone) },
      bearer(token),
    )
    expect(done.body.user.phone).toBe(newPhone)
    const notice = (await outbox(oldPhone))[0]!
    expect(notice.code).toBeNull()
    expect(notice.body).toMatch(/phone number on your .* account was changed/)
    expect((await t.call('GET', '/v1/me', undefined, bearer(otherToken))).status).toBe(401)
    expect((await t.call('GET', '/v1/me', undefined, bearer(token))).status).toBe(200)
    // The old number gets no login codes from now on (a silent login).
    const sent = (await outbox(oldPhone)).length
    const late = await t.call('POST', '/v1/verifications', { purpose: 'login', phone: oldPhone })
    expect(late.status).toBe(201)
    expect(await outbox(oldPhone)).toHaveLength(sent)
    const audit = await t.admin('GET', '/v1/admin/audit?action=factor.phone.change')
    expect(audit.body.events ?? audit.body.items ?? audit.body).toBeTruthy()
    expect(JSON.stringify(audit.body)).toContain('factor.phone.change')
  })
})

describe('notices', () => {
  it('tells the phone about new backup codes and each change of the authenticator app', async () => {
    const phone = phoneNo(320)
    const { session } = await registerByPhone(t, phone)
    const token = session.accessToken
    await t.call('POST', '/v1/me/backup-codes', undefined, bearer(token))
    const setup = await t.call('POST', '/v1/me/totp', undefined, bearer(token))
    await t.call(
      'POST',
      '/v1/me/totp/verify',
      { code: totpAt(setup.body.secret, t.clock.now) },
      bearer(token),
    )
    t.clock.advance(30_000)
    await t.call(
      'DELETE',
      '/v1/me/totp',
      { code: totpAt(setup.body.secret, t.clock.now) },
      bearer(token),
    )
    const bodies = (await outbox(phone)).map((m) => m.body)
    expect(bodies[0]).toMatch(/authenticator app was removed/)
    expect(bodies[1]).toMatch(/authenticator app was added/)
    expect(bodies[2]).toMatch(/New backup codes were made/)
  })
})
