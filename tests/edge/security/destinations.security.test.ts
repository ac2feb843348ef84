/**
 * SECURITY.md §8 T03: destination screening, before any provider is called. The numbers are
 * real ranges whose type libphonenumber-js (full metadata, the library the edge uses) names; the
 * first test pins those types, so a metadata update that moves a range fails loudly here.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { describe, expect, it } from 'vitest'
import { testApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import { checkV, ip, settings, startV, useApp, useTwilio, useTwilioIn } from './fixture.js'

const s = useApp()
const tw = useTwilio()

/** Types that never get a code, on either channel (docs/security.md, Destinations). */
const NEVER: [string, string][] = [
  ['PREMIUM_RATE', '+44 909 876 5432'], // UK 09xx
  ['SHARED_COST', '+33 810 12 34 56'], // France 081x (the UK's 084x is premium-rate in the metadata)
  ['TOLL_FREE', '+44 800 123 4567'], // UK 0800
  ['UAN', '+44 300 123 4567'], // UK 03xx
  ['VOICEMAIL', '+39 33 1234 56789'], // Italy 33
]
const UK_LANDLINE = '+44 121 234 5678'
const UK_MOBILE = '+44 7400 123456'
const FR_MOBILE = '+33 6 12 34 56 78'

describe('T03 destination screening', () => {
  it('T03 the example numbers are of the types they stand for (libphonenumber-js/max)', () => {
    for (const [type, phone] of [...NEVER, ['FIXED_LINE', UK_LANDLINE], ['MOBILE', UK_MOBILE]]) {
      const parsed = parsePhoneNumberFromString(phone!)
      expect({ phone, valid: parsed?.isValid(), type: parsed?.getType() }).toEqual({
        phone,
        valid: true,
        type,
      })
    }
  })

  it('T03 refuses premium-rate, shared-cost, toll-free, UAN and voicemail numbers on SMS and voice with invalid_phone, before any provider call', async () => {
    const { t } = s
    await useTwilioIn(t, tw.fake)
    // Their countries are allowed: the refusal is the number's type, not its country.
    await settings(t, { allowedCountries: ['GB', 'FR', 'IT', 'IN'] })
    let n = 0
    for (const [type, phone] of NEVER) {
      for (const channel of ['sms', 'voice']) {
        for (const purpose of ['register', 'login']) {
          const r = await t.call('POST', '/v1/verifications', { purpose, phone, channel }, ip(n++))
          expect({ type, channel, purpose, code: r.body.code }).toEqual({
            type,
            channel,
            purpose,
            code: 'invalid_phone',
          })
          expectProblem(r, 400, 'invalid_phone')
          expect(r.body.channels).toBeUndefined()
        }
      }
    }
    expect(tw.fake.requests).toHaveLength(0)
    // Each refusal is logged with its reason, never with the number.
    const refused = t.logs.filter((l) => l.includes('"verification.refused"'))
    expect(refused).toHaveLength(n)
    for (const line of refused) expect(JSON.parse(line)).toMatchObject({ reason: 'invalid_phone' })
    for (const [, phone] of NEVER) expect(t.logs.join('\n')).not.toContain(phone.replace(/\s/g, ''))
    // A mobile in the same country goes through.
    await startV(t, { purpose: 'register', phone: UK_MOBILE }, ip(n++))
    expect(tw.fake.messages).toHaveLength(1)
  })

  it('T03 refuses a landline for SMS with channels ["voice"], and calls it on the voice channel', async () => {
    const { t } = s
    await useTwilioIn(t, tw.fake)
    const sms = await t.call('POST', '/v1/verifications', {
      purpose: 'register',
      phone: UK_LANDLINE,
    })
    expectProblem(sms, 400, 'invalid_phone')
    expect(sms.body.channels).toEqual(['voice'])
    expect(tw.fake.requests).toHaveLength(0)
    const voice = await startV(t, { purpose: 'register', phone: UK_LANDLINE, channel: 'voice' })
    expect(tw.fake.messages.map((m) => [m.channel, m.to])).toEqual([['voice', '+441212345678']])
    // A resend may not switch the landline back to SMS.
    t.clock.advance(30_000)
    const back = await t.call('POST', `/v1/verifications/${voice}/resend`, { channel: 'sms' })
    expectProblem(back, 400, 'invalid_phone')
    expect(tw.fake.requests).toHaveLength(1)
    expect((await checkV(t, voice, tw.fake.lastCode())).body.status).toBe('approved')
  })

  it('T03 refuses a country outside allowedCountries (country_not_allowed) for SMS, voice and a voice resend', async () => {
    const { t } = s
    await useTwilioIn(t, tw.fake)
    await settings(t, { allowedCountries: ['IN', 'FR'] })
    for (const channel of ['sms', 'voice']) {
      const r = await t.call('POST', '/v1/verifications', {
        purpose: 'register',
        phone: UK_MOBILE,
        channel,
      })
      expectProblem(r, 403, 'country_not_allowed')
    }
    expect(tw.fake.requests).toHaveLength(0)
    // A verification started while France was allowed cannot be resent once it is not.
    const id = await startV(t, { purpose: 'register', phone: FR_MOBILE })
    expect(tw.fake.requests).toHaveLength(1)
    await settings(t, { allowedCountries: ['IN'] })
    t.clock.advance(30_000)
    const resend = await t.call('POST', `/v1/verifications/${id}/resend`, { channel: 'voice' })
    expectProblem(resend, 403, 'country_not_allowed')
    expect(tw.fake.requests).toHaveLength(1)
  })

  it('T03 in production with allowedCountries never set, only the default country is allowed (and /v1/config says so)', async () => {
    const t = await testApp({
      env: { SMS_AUTH_MODE: 'production', SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: '1' },
    })
    try {
      await useTwilioIn(t, tw.fake)
      await settings(t, { defaultCountry: 'IN' })
      const config = await t.call('GET', '/v1/config')
      expect(config.body.allowedCountries).toEqual(['IN'])
      expect((await t.admin('GET', '/v1/admin/settings')).body.allowedCountries).toBeNull()
      for (const [phone, channel] of [
        [UK_MOBILE, 'sms'],
        [FR_MOBILE, 'voice'],
        ['+1 201 555 0123', 'sms'],
      ]) {
        const r = await t.call('POST', '/v1/verifications', { purpose: 'register', phone, channel })
        expectProblem(r, 403, 'country_not_allowed')
      }
      expect(tw.fake.requests).toHaveLength(0)
      await startV(t, { purpose: 'register', phone: '+91 98765 43210' })
      expect(tw.fake.messages.map((m) => m.to)).toEqual(['+919876543210'])
      // The admin widens the list; /v1/config follows.
      await settings(t, { allowedCountries: ['IN', 'GB'] })
      expect((await t.call('GET', '/v1/config')).body.allowedCountries).toEqual(['IN', 'GB'])
      await startV(t, { purpose: 'register', phone: UK_MOBILE })
      expect(tw.fake.messages).toHaveLength(2)
    } finally {
      t.close()
    }
  })

  it('T03 refuses country codes that are not assigned (ZZ, AA, XX, QM, EU, UK) with invalid_request, and accepts XK', async () => {
    const { t } = s
    await useTwilioIn(t, tw.fake)
    for (const country of ['ZZ', 'AA', 'XX', 'QM', 'EU', 'UK']) {
      const r = await t.call('POST', '/v1/verifications', {
        purpose: 'register',
        phone: '044 123 456',
        country,
      })
      expectProblem(r, 400, 'invalid_request')
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain('country')
    }
    expect(tw.fake.requests).toHaveLength(0)
    // Kosovo: user-assigned, but the numbering plan gives it its own metadata (+383).
    const id = await startV(t, { purpose: 'register', phone: '044 123 456', country: 'XK' })
    expect(tw.fake.messages.map((m) => m.to)).toEqual(['+38344123456'])
    expect((await checkV(t, id, tw.fake.lastCode())).body.phone).toBe('+38344123456')
  })
})
