/**
 * Rotation gone wrong, and the rolling rotation: a previous secret that is the current one or not
 * a secret is a one-line ConfigError; one that opens nothing is told at start; a value sealed
 * under no accepted secret is logged without its value and its feature fails closed (never a
 * 500); and during a rolling restart (SMS_AUTH_SECRET_NEXT) both generations serve each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, decodeSecret, loadConfig } from '../../../edge/config.js'
import { deriveKeySet } from '../../../edge/crypto/keys.js'
import { seal } from '../../../edge/crypto/seal.js'
import { startTwilio, TWILIO_CREDENTIALS, type TwilioFake } from '../../fakes/twilio.js'
import { ADMIN_TOKEN, openDb, phoneNo } from '../../helpers/app.js'
import { bearer, expectProblem } from '../../helpers/extra.js'
import { codeTo, freshAddress } from '../../helpers/production.js'
import { settings, totpAt, useTwilioIn } from '../security/fixture.js'
import { events, instance, newClock, NEW, ok, OLD, THIRD, withTotp } from './fixture.js'
import { hookPath, receipt } from './fixture.js'

let fake: TwilioFake
beforeAll(async () => {
  fake = await startTwilio()
})
afterAll(() => fake.close())

const PROD = {
  SMS_AUTH_MODE: 'production',
  SMS_AUTH_ADMIN_TOKEN: ADMIN_TOKEN,
  SMS_AUTH_PUBLIC_URL: 'https://auth.example.com',
}

function refusal(env: Record<string, string>, variable: string) {
  let caught: unknown
  try {
    loadConfig({ ...PROD, ...env })
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(ConfigError)
  const message = (caught as Error).message
  expect(message).toContain(variable)
  expect(message).not.toContain('\n')
  for (const secret of Object.values(env)) expect(message).not.toContain(secret)
}

describe('SMS_AUTH_SECRET_PREVIOUS and SMS_AUTH_SECRET_NEXT: configuration', () => {
  it('takes a previous and a next secret in the form of SMS_AUTH_SECRET', () => {
    const config = loadConfig({
      ...PROD,
      SMS_AUTH_SECRET: NEW,
      SMS_AUTH_SECRET_PREVIOUS: OLD,
      SMS_AUTH_SECRET_NEXT: Buffer.alloc(32, 9).toString('base64'),
    })
    expect(config.previousSecret).toEqual(decodeSecret(OLD))
    expect(config.nextSecret).toEqual(new Uint8Array(32).fill(9))
    expect(loadConfig({ ...PROD, SMS_AUTH_SECRET: NEW }).previousSecret).toBeUndefined()
  })

  it('refuses one that is not a secret, or equal to SMS_AUTH_SECRET or to the other, in one line', () => {
    refusal({ SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: 'short' }, 'SMS_AUTH_SECRET_PREVIOUS')
    refusal({ SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: NEW }, 'SMS_AUTH_SECRET_PREVIOUS')
    // The same bytes written another way are the same secret.
    const b64 = Buffer.from(NEW, 'hex').toString('base64')
    refusal({ SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: b64 }, 'SMS_AUTH_SECRET_PREVIOUS')
    refusal({ SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_NEXT: 'ab'.repeat(31) }, 'SMS_AUTH_SECRET_NEXT')
    refusal(
      { SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: OLD, SMS_AUTH_SECRET_NEXT: OLD },
      'SMS_AUTH_SECRET_NEXT',
    )
  })

  it('refuses to start, in one line, when no secret given opens the signing key', async () => {
    const { db, cleanup } = openDb()
    const clock = newClock()
    await instance(db, clock, { SMS_AUTH_SECRET: OLD })
    for (const [secrets, variable] of [
      [{ SMS_AUTH_SECRET: NEW }, 'set SMS_AUTH_SECRET_PREVIOUS'],
      [{ SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: THIRD }, 'SMS_AUTH_SECRET_PREVIOUS must'],
    ] as const) {
      const started = instance(db, clock, secrets)
      await expect(started).rejects.toBeInstanceOf(ConfigError)
      const message = await started.catch((err: Error) => err.message)
      expect(message).toContain(variable)
      expect(message).not.toContain('\n')
    }
    // The database is as it was: the right previous secret still rotates it.
    const b = await instance(db, clock, { SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: OLD })
    await b.api.resealed()
    expect((await b.call('GET', '/.well-known/jwks.json')).status).toBe(200)
    db.close()
    cleanup()
  })
})

describe('a value sealed under no accepted secret', () => {
  it('is logged without its value, and its feature fails closed: no 500, no crash', async () => {
    const { db, cleanup } = openDb()
    const clock = newClock()
    const a = await instance(db, clock, { SMS_AUTH_SECRET: OLD })
    await settings(a, { allowedCountries: ['IN'] })
    await useTwilioIn(a, fake)
    const asha = await withTotp(a, fake, phoneNo(60))
    const live = await ok(a, 'POST', '/v1/verifications', {
      purpose: 'register',
      phone: phoneNo(61),
    })
    const code = codeTo(fake, phoneNo(61))
    const v = await ok(a, 'POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(62) })
    const checked = await ok(a, 'POST', `/v1/verifications/${v.body.id}/check`, {
      code: codeTo(fake, phoneNo(62)),
    })
    // As if restored from another deployment: values sealed under a third secret.
    const third = await deriveKeySet(decodeSecret(THIRD))
    const foreign = {
      credentials: await seal(third, JSON.stringify(TWILIO_CREDENTIALS)),
      seed: await seal(third, asha.seed),
      blob: await seal(third, JSON.stringify({ phone: phoneNo(61), code })),
      phone: await seal(third, phoneNo(62)),
    }
    await db.batch([
      { sql: 'UPDATE integrations SET credentials_sealed = ?', args: [foreign.credentials] },
      {
        sql: 'UPDATE users SET totp_secret_sealed = ? WHERE totp_secret_sealed IS NOT NULL',
        args: [foreign.seed],
      },
      {
        sql: 'UPDATE verifications SET sealed = ? WHERE id = ?',
        args: [foreign.blob, live.body.id],
      },
      { sql: 'UPDATE tickets SET phone = ? WHERE phone IS NOT NULL', args: [foreign.phone] },
    ])

    clock.advance(31_000)
    const b = await instance(db, clock, { SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: OLD })
    await b.api.resealed()
    const unreadable = events(b, 'sealed.unreadable').map((e) => e.what)
    for (const what of ['integrations.credentials_sealed', 'users.totp_secret_sealed'])
      expect(unreadable).toContain(what)
    expect(unreadable).toContain('verifications.sealed')
    expect(unreadable).toContain('tickets.phone')
    // Left as they were, for an operator who finds the right secret.
    const row = await db.execute('SELECT credentials_sealed AS c FROM integrations')
    expect(row.rows[0]!.c).toBe(foreign.credentials)

    // The integration reads as unconfigured: the admin sees what is missing, sends find none.
    const view = await b.admin('GET', '/v1/admin/integrations/twilio')
    expect(view.status).toBe(200)
    expect(view.body.missing).toEqual(expect.arrayContaining(['accountSid', 'authToken']))
    const start = await b.call(
      'POST',
      '/v1/verifications',
      { purpose: 'register', phone: phoneNo(63) },
      freshAddress(),
    )
    expectProblem(start, 503, 'provider_unavailable')
    // The seed matches no code; the blob and the ticket read as ended.
    const totp = await b.call(
      'POST',
      '/v1/me/reauth',
      { totpCode: totpAt(asha.seed, clock.now) },
      bearer(asha.token),
    )
    expectProblem(totp, 401, 'invalid_credentials')
    const check = await b.call('POST', `/v1/verifications/${live.body.id}/check`, { code })
    expectProblem(check, 410, 'verification_expired')
    const register = await b.call('POST', '/v1/users', {
      registrationTicket: checked.body.registrationTicket,
      name: 'Mira',
      email: 'mira@example.com',
    })
    expectProblem(register, 401, 'unauthorized')

    const logs = b.logs.join('\n')
    for (const value of [...Object.values(foreign), code, asha.seed])
      expect(logs).not.toContain(value)
    expect(events(b, 'error')).toEqual([])
    db.close()
    cleanup()
  }, 60_000)
})

describe('SMS_AUTH_SECRET_NEXT: a rolling rotation', () => {
  it('instances on the old secret (told the next) and on the new one serve each other', async () => {
    const { db, cleanup } = openDb()
    const clock = newClock()
    const a = await instance(db, clock, { SMS_AUTH_SECRET: OLD })
    await settings(a, { allowedCountries: ['IN'] })
    await useTwilioIn(a, fake)
    const asha = await withTotp(a, fake, phoneNo(70))
    const oldHook = await hookPath(a)
    // Step 1 done: every instance knows the new secret. Step 2 under way: one runs with it.
    const early = await instance(db, clock, { SMS_AUTH_SECRET: OLD, SMS_AUTH_SECRET_NEXT: NEW })
    const late = await instance(db, clock, { SMS_AUTH_SECRET: NEW, SMS_AUTH_SECRET_PREVIOUS: OLD })
    await late.api.resealed()
    expect(events(early, 'rotation.pass')).toEqual([])

    // A code started on either generation checks on the other; the early instance opens the
    // credentials, the seed and the blobs the late one sealed.
    for (const [from, to, n] of [
      [early, late, 71],
      [late, early, 72],
    ] as const) {
      const v = await ok(from, 'POST', '/v1/verifications', {
        purpose: 'register',
        phone: phoneNo(n),
      })
      await ok(to, 'POST', `/v1/verifications/${v.body.id}/check`, {
        code: codeTo(fake, phoneNo(n)),
      })
    }
    clock.advance(31_000)
    await ok(
      early,
      'POST',
      '/v1/me/reauth',
      { totpCode: totpAt(asha.seed, clock.now) },
      bearer(asha.token),
    )
    // Both take both receipt URLs.
    const newHook = await hookPath(late)
    for (const t of [early, late])
      for (const path of [oldHook, newHook]) expect((await receipt(t, path)).status).toBe(200)
    db.close()
    cleanup()
  }, 60_000)
})
