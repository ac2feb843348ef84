/**
 * Texts speak the user's language: a resend and the notices a verification's approval sends use
 * the locale stored on the verification's row; the notices of a signed-in change use the request's
 * (Accept-Language), never English by default.
 */
import { Hono } from 'hono'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { requestLocale } from '../../../edge/http/locale.js'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, check, enroll, outbox, signUp, start } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const newest = async (phone: string) => (await outbox(t, phone))[0].body

describe('requestLocale', () => {
  const app = new Hono().get('/', (c) => c.text(requestLocale(c)))
  const localeOf = async (header?: string) =>
    (await app.request('/', { headers: header ? { 'accept-language': header } : {} })).text()

  it('takes the first shipped language of Accept-Language, by q, else English', async () => {
    expect(await localeOf('hi-IN,hi;q=0.9,en;q=0.8')).toBe('hi')
    expect(await localeOf('de-DE, fr;q=0.5, es;q=0.7')).toBe('es')
    expect(await localeOf('es;q=0, fr')).toBe('fr')
    expect(await localeOf('de, *;q=0.1')).toBe('en')
    expect(await localeOf()).toBe('en')
  })
})

describe("a verification's texts keep its locale", () => {
  it('a resend speaks the locale the verification started with, whatever the resend asks', async () => {
    const phone = phoneNo(31)
    const v = await start(t, { purpose: 'register', phone, locale: 'es-MX' })
    expect(await newest(phone)).toMatch(/^\d{6} es tu código de /)
    t.clock.advance(31_000)
    const r = await t.call(
      'POST',
      `/v1/verifications/${v.id}/resend`,
      {},
      { 'accept-language': 'fr' },
    )
    expect(r.status, r.text).toBe(200)
    const sent = await outbox(t, phone)
    expect(sent).toHaveLength(2)
    expect(sent[0].body).toMatch(/^\d{6} es tu código de /)
  })

  it('the old number hears of a phone change in the locale of the verification that made it', async () => {
    const oldPhone = phoneNo(32)
    const newPhone = phoneNo(33)
    const { session } = await registerByPhone(t, oldPhone)
    const token = bearer(session.accessToken)
    const change = await start(t, { purpose: 'change_phone', locale: 'fr' }, token)
    expect((await check(t, change.id, await lastCode(t, oldPhone), token)).status).toBe(200)
    const v = await start(t, { purpose: 'enroll', phone: newPhone, locale: 'fr' }, token)
    const done = await check(t, v.id, await lastCode(t, newPhone), token)
    expect(done.status, done.text).toBe(200)
    expect(await newest(oldPhone)).toMatch(/^Le numéro de votre compte .* a été changé\./)
  })
})

describe('the notices of a signed-in change speak the request’s language', () => {
  it('new backup codes: Accept-Language picks the notice’s locale; none gives English', async () => {
    const phone = phoneNo(34)
    const { session } = await registerByPhone(t, phone)
    const token = bearer(session.accessToken)
    const hi = { ...token, 'accept-language': 'de-DE, hi;q=0.8' }
    expect((await t.call('POST', '/v1/me/backup-codes', {}, hi)).status).toBe(201)
    expect(await newest(phone)).toContain('नए बैकअप कोड बनाए गए')
    expect((await t.call('POST', '/v1/me/backup-codes', {}, token)).status).toBe(201)
    expect(await newest(phone)).toMatch(/^New backup codes were made/)
  })

  it('an authenticator app added, and an account locked by wrong passwords', async () => {
    const phone = phoneNo(35)
    const { session } = await signUp(t, 'lina@example.com', 'correct horse battery staple')
    await enroll(t, session.accessToken, phone)
    const ar = { ...bearer(session.accessToken), 'accept-language': 'ar-EG' }
    const setup = await t.call('POST', '/v1/me/totp', undefined, ar)
    expect(setup.status, setup.text).toBe(200)
    const { TOTP, Secret } = await import('otpauth')
    const code = new TOTP({ secret: Secret.fromBase32(setup.body.secret) }).generate({
      timestamp: t.clock.now,
    })
    const on = await t.call('POST', '/v1/me/totp/verify', { code }, ar)
    expect(on.status, on.text).toBe(200)
    expect(await newest(phone)).toContain('أُضيف تطبيق مصادقة')

    for (let i = 0; i < 20; i++) {
      const r = await t.call(
        'POST',
        '/v1/sessions',
        { email: 'lina@example.com', password: `wrong password ${i}` },
        { 'accept-language': 'es', 'x-forwarded-for': `198.51.100.${i + 1}` },
      )
      expect(r.status, r.text).toBe(401)
    }
    await t.api.idle()
    expect(await newest(phone)).toMatch(/^Se introdujeron demasiados códigos o contraseñas/)
  })
})
