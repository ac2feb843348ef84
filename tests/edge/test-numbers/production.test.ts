/**
 * Test numbers in production mode, through a real HTTP provider fake: the fake never hears of a
 * test number; the send limits do not hold them back (more starts than the per-number, per-address
 * and per-prefix limits allow all succeed), while wrong codes still lock: the attempt cap of a
 * verification and the guessing budget of the number and of the account.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  GUESS_BUDGET,
  MESSAGES_PER_NUMBER,
  NUMBERS_PER_PREFIX,
  SENDS_PER_TEST_NUMBER,
  STARTS_PER_ADDRESS,
} from '../../../edge/limits/policy.js'
import { DEFAULT_SETTINGS } from '../../../edge/settings/settings.js'
import { startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import type { TestApp } from '../../helpers/app.js'
import { check, expectProblem, start } from '../../helpers/extra.js'
import { productionApp, registerVia, useProvider } from '../../helpers/production.js'
import { listNumber, sendsRecorded, UK_TEST, US_TEST } from './helpers.js'

let twilio: TwilioFake
let t: TestApp
beforeAll(async () => {
  twilio = await startTwilio()
})
afterAll(async () => {
  await twilio.close()
})
beforeEach(async () => {
  twilio.messages.length = 0
  twilio.requests.length = 0
  t = await productionApp(['IN'])
  await useProvider(t, 'twilio', twilio.baseUrl, { voice: true })
})
afterEach(() => t.close())

const CODE = '424242'

describe('test numbers in production mode', () => {
  it('sign up and in with the fixed code; the provider is never called for them', async () => {
    await listNumber(t, US_TEST, CODE)
    const reg = await start(t, { purpose: 'register', phone: US_TEST, channel: 'voice' })
    const ticket = (await check(t, reg.id, CODE)).body.registrationTicket
    const u = await t.call('POST', '/v1/users', {
      registrationTicket: ticket,
      name: 'Reviewer',
      email: 'reviewer@example.com',
    })
    expect(u.status, u.text).toBe(201)
    const login = await start(t, { purpose: 'login', phone: US_TEST })
    const signed = await check(t, login.id, CODE)
    expect(signed.status, signed.text).toBe(200)
    expect(signed.body.user.id).toBe(u.body.user.id)
    await t.api.idle()
    expect(twilio.requests).toEqual([])
    expect(await sendsRecorded(t)).toBe(0)
    // The same fake does take a real number's code (so the silence above means something).
    await registerVia(t, twilio, '+919812345678')
    expect(twilio.messages).toHaveLength(1)
  })

  it('are exempt from the per-number, per-address and per-prefix send limits', async () => {
    await listNumber(t, US_TEST, CODE)
    // More starts than the per-number and per-address limits allow, from one address.
    const starts =
      Math.max(
        MESSAGES_PER_NUMBER(DEFAULT_SETTINGS).limit,
        STARTS_PER_ADDRESS(DEFAULT_SETTINGS).limit,
      ) + 3
    for (let i = 0; i < starts; i++) await start(t, { purpose: 'register', phone: US_TEST })
    // More numbers in one prefix (+1201555) than its limit allows.
    const prefix = Array.from(
      { length: NUMBERS_PER_PREFIX(DEFAULT_SETTINGS).limit + 1 },
      (_, i) => `+1201555${String(150 + i).padStart(4, '0')}`,
    )
    for (const phone of prefix) await listNumber(t, phone, CODE)
    for (const phone of prefix) await start(t, { purpose: 'register', phone })
    expect(twilio.requests).toEqual([])
    // They took nothing of the address's own limit: a real number from it still gets its code,
    // and a real one is held to the per-number limit as ever.
    const real = '+919812345678'
    for (let i = 0; i < MESSAGES_PER_NUMBER(DEFAULT_SETTINGS).limit; i++)
      await start(t, { purpose: 'register', phone: real })
    expect(twilio.messages).toHaveLength(MESSAGES_PER_NUMBER(DEFAULT_SETTINGS).limit)
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'register', phone: real }),
      429,
      'rate_limited',
    )
  })

  it('have a ceiling of their own, which only bounds the rows a script can make', async () => {
    await listNumber(t, US_TEST, CODE)
    for (let i = 0; i < SENDS_PER_TEST_NUMBER.limit; i++)
      await start(t, { purpose: 'login', phone: US_TEST })
    expectProblem(
      await t.call('POST', '/v1/verifications', { purpose: 'login', phone: US_TEST }),
      429,
      'rate_limited',
    )
    t.clock.advance(SENDS_PER_TEST_NUMBER.windowMs)
    await start(t, { purpose: 'login', phone: US_TEST })
  })

  it('keep the attempt cap: the fifth wrong code locks the verification, the right one then fails', async () => {
    await listNumber(t, UK_TEST, CODE)
    const v = await start(t, { purpose: 'register', phone: UK_TEST })
    for (let i = 1; i < v.attemptsLeft; i++)
      expectProblem(await check(t, v.id, '000000'), 400, 'invalid_code')
    const last = await check(t, v.id, '000000')
    expect(last.body.attemptsLeft ?? 0).toBe(0)
    expectProblem(await check(t, v.id, CODE), 429, 'too_many_attempts')
  })

  it('keep the guessing budget across verifications, of the number and of the account', async () => {
    await listNumber(t, US_TEST, CODE)
    await listNumber(t, UK_TEST, CODE)
    // US_TEST has an account; UK_TEST none (its budget is the number's).
    const reg = await start(t, { purpose: 'register', phone: US_TEST })
    const ticket = (await check(t, reg.id, CODE)).body.registrationTicket
    expect(
      (
        await t.call('POST', '/v1/users', {
          registrationTicket: ticket,
          name: 'R',
          email: 'r@example.com',
        })
      ).status,
    ).toBe(201)
    for (const [purpose, phone] of [
      ['login', US_TEST],
      ['register', UK_TEST],
    ] as const) {
      let failed = 0
      while (failed < GUESS_BUDGET.lockEvery(DEFAULT_SETTINGS)) {
        const v = await start(t, { purpose, phone })
        for (
          let i = 0;
          i < v.attemptsLeft && failed < GUESS_BUDGET.lockEvery(DEFAULT_SETTINGS);
          i++, failed++
        )
          expectProblem(await check(t, v.id, '000000'), 400, 'invalid_code')
      }
      // Locked: a new verification's right code is refused like a wrong one (register and login
      // must not tell a locked number apart).
      const after = await start(t, { purpose, phone })
      expectProblem(await check(t, after.id, CODE), 400, 'invalid_code')
      // After the cool-down the fixed code works again.
      t.clock.advance(GUESS_BUDGET.cooldownsMs[0] + 1_000)
      const again = await start(t, { purpose, phone })
      expect((await check(t, again.id, CODE)).status).toBe(200)
    }
    expect(twilio.requests).toEqual([])
  })

  it('an unlisted number of a reserved range is refused and nothing reaches the provider', async () => {
    await t.admin('PATCH', '/v1/admin/settings', { allowedCountries: ['IN', 'US', 'GB'] })
    for (const phone of [US_TEST, '+12125550199', '+441134960000'])
      expectProblem(
        await t.call('POST', '/v1/verifications', { purpose: 'register', phone }),
        400,
        'invalid_phone',
      )
    expect(twilio.requests).toEqual([])
    // The admin's provider test refuses a listed number too: it is never sent anything.
    await listNumber(t, UK_TEST, CODE)
    expectProblem(
      await t.admin('POST', '/v1/admin/integrations/twilio/test', { phone: UK_TEST }),
      400,
      'invalid_phone',
    )
    expect(twilio.requests).toEqual([])
  })
})
