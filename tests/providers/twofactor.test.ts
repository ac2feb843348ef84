import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { twofactor } from '../../edge/providers/twofactor/index.js'
import type { FailureReason, OutboundMessage, SendContext } from '../../edge/providers/types.js'
import { TWOFACTOR_CREDENTIALS, startTwoFactor } from '../fakes/twofactor.js'
import type { Fake, FailMode } from '../fakes/server.js'

const CODE = '482913'
const TO = '+919876543210'
const sms: OutboundMessage = {
  to: TO,
  channel: 'sms',
  text: `Your login code is ${CODE}\n@example.com #${CODE}`,
  code: CODE,
  kind: 'code',
  locale: 'en',
}
const KEY = TWOFACTOR_CREDENTIALS.apiKey

let fake: Fake
beforeAll(async () => {
  fake = await startTwoFactor()
})
afterAll(() => fake.close())
beforeEach(() => {
  fake.setMode(null)
  fake.messages.length = 0
  fake.requests.length = 0
})

function ctx(over: Partial<SendContext> = {}): SendContext {
  return {
    credentials: TWOFACTOR_CREDENTIALS,
    baseUrl: fake.baseUrl,
    fetch,
    timeoutMs: 2000,
    ...over,
  }
}

function expectNoSecrets(error: string): void {
  for (const secret of [KEY, CODE, '9876543210']) expect(error).not.toContain(secret)
}

describe('twofactor client', () => {
  it('takes Indian numbers only, on SMS and voice', () => {
    expect(twofactor.eligible(TO, 'sms')).toBe(true)
    expect(twofactor.eligible(TO, 'voice')).toBe(true)
    expect(twofactor.eligible('+14155550123', 'sms')).toBe(false)
    expect(twofactor.eligible('+4491987654321', 'sms')).toBe(false)
    expect(twofactor.eligible('+9198765', 'sms')).toBe(false)
  })

  it('refuses a non-Indian number without a request', async () => {
    const result = await twofactor.send({ ...sms, to: '+14155550123' }, ctx())
    expect(result).toEqual({
      status: 'rejected',
      error: 'twofactor: Indian numbers only',
      reason: 'unsupported',
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('sends our own code as OTP SMS with the configured template, to 10 digits', async () => {
    const result = await twofactor.send(sms, ctx())
    expect(result).toEqual({ status: 'sent', messageId: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    expect(fake.requests[0]?.path).toBe(`/API/V1/${KEY}/SMS/9876543210/${CODE}/LoginOTP`)
    expect(fake.messages[0]).toMatchObject({
      channel: 'sms',
      to: '9876543210',
      fields: { template: 'LoginOTP' },
    })
    expect(fake.lastCode()).toBe(CODE)
    // The session 2Factor.in returned checks against the code we sent.
    if (result.status !== 'sent') return
    const check = await fetch(
      `${fake.baseUrl}/API/V1/${KEY}/SMS/VERIFY/${result.messageId}/${CODE}`,
    )
    expect(await check.json()).toEqual({ Status: 'Success', Details: 'OTP Matched' })
  })

  it('leaves the template out when none is configured', async () => {
    const { templateName: _, ...credentials } = TWOFACTOR_CREDENTIALS
    expect((await twofactor.send(sms, ctx({ credentials }))).status).toBe('sent')
    expect(fake.requests[0]?.path).toBe(`/API/V1/${KEY}/SMS/9876543210/${CODE}`)
  })

  it('places a voice OTP call to the 10-digit number', async () => {
    const result = await twofactor.send({ ...sms, channel: 'voice' }, ctx())
    expect(result.status).toBe('sent')
    expect(fake.requests[0]?.path).toBe(`/API/V1/${KEY}/VOICE/9876543210/${CODE}`)
    expect(fake.messages[0]?.channel).toBe('voice')
    expect(fake.lastCode()).toBe(CODE)
  })

  it('sends a notice as transactional SMS with the sender id', async () => {
    const notice: OutboundMessage = {
      ...sms,
      kind: 'notice',
      text: 'Your phone number was changed.',
      code: undefined,
    }
    const result = await twofactor.send(notice, ctx())
    expect(result.status).toBe('sent')
    expect(fake.requests[0]?.path).toBe('/API/R1/')
    expect(fake.messages[0]?.fields).toMatchObject({
      module: 'TRANS_SMS',
      to: '9876543210',
      from: 'MYBRND',
      msg: notice.text,
    })
  })

  it('lets a notice go to the next provider when no sender id is set', async () => {
    const notice: OutboundMessage = {
      ...sms,
      kind: 'notice',
      text: 'Your phone number was changed.',
      code: undefined,
    }
    const result = await twofactor.send(notice, ctx({ credentials: { apiKey: KEY } }))
    expect(result).toEqual({
      status: 'failed',
      error: 'twofactor: notices need a senderId',
      reason: 'cannot_carry',
    })
    expect(fake.requests).toHaveLength(0)
  })

  it.each<[FailMode, 'rejected' | 'failed', RegExp, FailureReason]>([
    ['bad-key', 'rejected', /^twofactor: Invalid API Key$/, 'auth'],
    ['invalid-number', 'rejected', /^twofactor: Invalid Phone Number/, 'invalid_number'],
    ['opted-out', 'rejected', /^twofactor: Number is in DND$/, 'opted_out'],
    ['no-balance', 'failed', /^twofactor: Insufficient balance$/, 'balance'],
    ['server-error', 'failed', /^twofactor HTTP 502$/, 'temporary'],
    ['rate-limit', 'failed', /^twofactor: Rate limit exceeded$/, 'rate_limited'],
    ['error-in-200', 'rejected', /^twofactor: Invalid Phone Number/, 'invalid_number'],
  ])('maps %s to %s', async (mode, status, error, reason) => {
    fake.failNext(mode)
    const result = await twofactor.send(sms, ctx())
    expect(result).toEqual({ status, error: expect.stringMatching(error), reason })
    if (result.status !== 'sent') expectNoSecrets(result.error)
    expect(fake.messages).toHaveLength(0)
  })

  it('rejects a wrong key (an error inside a 200) without echoing the key', async () => {
    const result = await twofactor.send(
      sms,
      ctx({ credentials: { apiKey: 'aaaabbbb-0000-1111-2222-333344445555' } }),
    )
    expect(result).toEqual({
      status: 'rejected',
      error: 'twofactor: Invalid API Key',
      reason: 'auth',
    })
    expect(fake.requests).toHaveLength(1)
  })

  it('gives unknown (it may have been delivered) within about the timeout, with no URL (key, code) in the error', async () => {
    fake.setMode('hang')
    const started = Date.now()
    const result = await twofactor.send(sms, ctx({ timeoutMs: 300 }))
    const elapsed = Date.now() - started
    expect(result).toEqual({ status: 'unknown', error: 'timeout after 300 ms' })
    expect(elapsed).toBeGreaterThanOrEqual(250)
    expect(elapsed).toBeLessThan(1500)
  })

  it('gives failed on a network error, with no URL in the error', async () => {
    const closed = await startTwoFactor()
    const baseUrl = closed.baseUrl
    await closed.close()
    expect(await twofactor.send(sms, ctx({ baseUrl }))).toEqual({
      status: 'failed',
      error: 'network error',
      reason: 'temporary',
    })
  })
})
