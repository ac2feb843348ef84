/**
 * Rotating SMS_AUTH_SECRET (README: Rotating the master secret): an instance started with the new
 * secret and SMS_AUTH_SECRET_PREVIOUS re-seals everything sealed under the old one, so that a
 * later start with the new secret alone loses nothing; digests that cannot be re-keyed are
 * accepted under either key while the previous secret is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { openDb, phoneNo, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem } from '../../helpers/extra.js'
import { codeTo, messagesTo } from '../../helpers/production.js'
import { settings, totpAt, useTwilioIn } from '../security/fixture.js'
import { open } from '../../../edge/crypto/seal.js'
import { events, hookPath, instance, keyId, newClock, NEW, ok, OLD, receipt } from './fixture.js'
import { sealedValues, withTotp } from './fixture.js'

let fake: TwilioFake
beforeAll(async () => {
  fake = await startTwilio()
})
afterAll(() => fake.close())

describe('SMS_AUTH_SECRET_PREVIOUS: rotating the master secret', () => {
  it('re-seals credentials, the signing key, TOTP seeds, live verifications and tickets: a start with the new secret alone loses nothing', async () => {
    const { db, cleanup } = openDb()
    const clock = newClock()
    // Before: the old secret alone.
    const a = await instance(db, clock, { SMS_AUTH_SECRET: OLD })
    await settings(a, { allowedCountries: ['IN'] })
    await useTwilioIn(a, fake)
    const asha = await withTotp(a, fake, phoneNo(1))
    const backup = (await ok(a, 'POST', '/v1/me/backup-codes', undefined, bearer(asha.token))).body
      .codes as string[]
    // Ravi has set an authenticator app up and not confirmed it yet: a pending seed.
    const ravi = await withTotp(a, fake, phoneNo(2), false)
    const live = await ok(a, 'POST', '/v1/verifications', {
      purpose: 'register',
      phone: phoneNo(3),
    })
    const liveCode = codeTo(fake, phoneNo(3))
    const v4 = await ok(a, 'POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(4) })
    const ticket = (
      await ok(a, 'POST', `/v1/verifications/${v4.body.id}/check`, {
        code: codeTo(fake, phoneNo(4)),
      })
    ).body.registrationTicket as string
    const oldHook = await hookPath(a)
    const kid = (await a.call('GET', '/.well-known/jwks.json')).body.keys[0].kid as string
    const before = await sealedValues(db, clock.now)
    const oldId = await keyId(OLD)
    expect([...before.values()].every((v) => v.startsWith(`v2.${oldId}.`))).toBe(true)
    for (const at of ['signing_keys.', 'integrations.twilio', 'totp_secret.', 'totp_pending.'])
      expect(
        [...before.keys()].some((k) => k.startsWith(at)),
        at,
      ).toBe(true)
    expect(before.has(`verifications.${live.body.id}`)).toBe(true)
    expect([...before.keys()].filter((k) => k.startsWith('tickets.')).length).toBeGreaterThan(0)

    // The rotation: the new secret, the old one as previous. At start and in the pass after it,
    // every value is re-sealed under the new key, each exactly once.
    const b = await instance(db, clock, { SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: OLD })
    await b.api.resealed()
    const newId = await keyId(NEW)
    const after = await sealedValues(db, clock.now)
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort())
    for (const [at, value] of after) {
      expect(value, at).toMatch(new RegExp(`^v2\\.${newId}\\.`))
      expect(await open(b.api.ctx.keys, value)).toBe(await open(a.api.ctx.keys, before.get(at)!))
    }
    const resealed = [...events(b, 'rotation.start'), ...events(b, 'rotation.pass')]
    expect(resealed.reduce((n, e) => n + Number(e.resealed), 0)).toBe(before.size)
    expect(events(b, 'rotation.pass')[0]).toMatchObject({ key: newId, previous: oldId })
    expect(b.logs.join('\n')).not.toContain(liveCode)

    // While the previous secret is set, a backup code made before the rotation still works, and
    // the portal's old receipt URL too (logged, so the operator sees it still in use); the admin
    // view shows the new URL.
    await ok(b, 'POST', '/v1/me/reauth', { backupCode: backup[0] }, bearer(asha.token))
    expect((await receipt(b, oldHook)).status).toBe(200)
    expect(events(b, 'webhook.previous_url')).toEqual([
      expect.objectContaining({ provider: 'smstools' }),
    ])
    const newHook = await hookPath(b)
    expect(newHook).not.toBe(oldHook)

    // After: the new secret alone.
    clock.advance(61_000)
    const c = await instance(db, clock, { SMS_AUTH_SECRET: NEW })
    // The same signing key (same kid): an access token from before the rotation still verifies.
    expect((await c.call('GET', '/.well-known/jwks.json')).body.keys[0].kid).toBe(kid)
    expect((await c.call('GET', '/v1/me', undefined, bearer(asha.token))).status).toBe(200)
    // Provider credentials and the live verification's blob: its resend goes out through Twilio
    // with the same code, which then checks (its code hash was re-keyed with the blob).
    await ok(c, 'POST', `/v1/verifications/${live.body.id}/resend`, {})
    expect(messagesTo(fake, phoneNo(3))).toHaveLength(2)
    expect(codeTo(fake, phoneNo(3))).toBe(liveCode)
    const approved = await ok(c, 'POST', `/v1/verifications/${live.body.id}/check`, {
      code: liveCode,
    })
    expect(approved.body.registrationTicket).toMatch(/^reg_/)
    // The registration ticket's sealed number.
    const made = await ok(c, 'POST', '/v1/users', {
      registrationTicket: ticket,
      name: 'Mira',
      email: 'mira@example.com',
    })
    expect(made.body.user.phone).toBe(phoneNo(4))
    // TOTP seeds, enabled and pending.
    await ok(
      c,
      'POST',
      '/v1/me/reauth',
      { totpCode: totpAt(asha.seed, clock.now) },
      bearer(asha.token),
    )
    await ok(
      c,
      'POST',
      '/v1/me/totp/verify',
      { code: totpAt(ravi.seed, clock.now) },
      bearer(ravi.token),
    )
    // What could not be re-keyed ends with the previous secret: backup codes made before the
    // rotation, and the old receipt URL.
    const spent = await c.call(
      'POST',
      '/v1/me/reauth',
      { backupCode: backup[1] },
      bearer(asha.token),
    )
    expectProblem(spent, 401, 'invalid_credentials')
    expectProblem(await receipt(c, oldHook), 401, 'unauthorized')
    expect((await receipt(c, newHook)).status).toBe(200)
    // No instance ever logged a value sealed under neither secret.
    for (const t of [a, b, c]) expect(events(t, 'sealed.unreadable')).toEqual([])
    db.close()
    cleanup()
  }, 60_000)

  it('two instances re-sealing at once on one database leave every value sealed exactly once under the new key', async () => {
    const { db, cleanup } = openDb()
    const clock = newClock()
    const a = await instance(db, clock, { SMS_AUTH_SECRET: OLD })
    await settings(a, { allowedCountries: ['IN'] })
    await useTwilioIn(a, fake)
    const seeds = new Map<string, string>()
    for (let i = 0; i < 8; i++) {
      const u = await withTotp(a, fake, phoneNo(20 + i))
      seeds.set(u.userId, u.seed)
    }
    for (let i = 0; i < 6; i++)
      await ok(a, 'POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(40 + i) })
    const before = await sealedValues(db, clock.now)

    const rotated = { SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: OLD }
    const both = await Promise.all([instance(db, clock, rotated), instance(db, clock, rotated)])
    await Promise.all(both.map((t) => t.api.resealed()))
    const newId = await keyId(NEW)
    const after = await sealedValues(db, clock.now)
    expect(after.size).toBe(before.size)
    for (const [at, value] of after) {
      expect(value, at).toMatch(new RegExp(`^v2\\.${newId}\\.`))
      expect(await open(both[0]!.api.ctx.keys, value)).toBe(
        await open(a.api.ctx.keys, before.get(at)!),
      )
    }
    // Every re-seal landed once: what one instance wrote, the other's guard left alone.
    const passes = both.flatMap((t) => [
      ...events(t, 'rotation.start'),
      ...events(t, 'rotation.pass'),
    ])
    expect(passes.reduce((n, e) => n + Number(e.resealed), 0)).toBe(before.size)
    // And they did race: the instance that lost found its writes already made.
    expect(passes.reduce((n, e) => n + Number(e.byOthers), 0)).toBeGreaterThan(0)
    // The seeds still make codes that sign in, on an instance with the new secret alone.
    clock.advance(31_000)
    const c = await instance(db, clock, { SMS_AUTH_SECRET: NEW })
    for (const [userId, seed] of seeds) {
      const row = await db.execute({
        sql: 'SELECT totp_secret_sealed AS s FROM users WHERE id = ?',
        args: [userId],
      })
      expect(await open(c.api.ctx.keys, String(row.rows[0]!.s))).toBe(seed)
    }
    db.close()
    cleanup()
  }, 60_000)
})
