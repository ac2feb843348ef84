import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseSmstoolsReceipt, smstools } from '../../edge/providers/smstools/index.js'
import type { FailureReason, OutboundMessage, SendContext } from '../../edge/providers/types.js'
import { SMSTOOLS_CREDENTIALS, startSmstools } from '../fakes/smstools.js'
import type { Fake, FailMode } from '../fakes/server.js'

const CODE = '482913'
const TO = '+32470123456'
const sms: OutboundMessage = {
  to: TO,
  channel: 'sms',
  text: `Your login code is ${CODE}\n@example.com #${CODE}`,
  code: CODE,
  kind: 'code',
  locale: 'en',
}

let fake: Fake
beforeAll(async () => {
  fake = await startSmstools()
})
afterAll(() => fake.close())
beforeEach(() => {
  fake.setMode(null)
  fake.messages.length = 0
  fake.requests.length = 0
})

function ctx(over: Partial<SendContext> = {}): SendContext {
  return {
    credentials: SMSTOOLS_CREDENTIALS,
    baseUrl: fake.baseUrl,
    fetch,
    timeoutMs: 2000,
    ...over,
  }
}

describe('smstools client', () => {
  it('sends to POST /v1/message/send with the client headers and returns the messageid', async () => {
    const result = await smstools.send(sms, ctx())
    expect(result).toEqual({ status: 'sent', messageId: expect.stringMatching(/^[0-9a-f]{30}$/) })
    expect(fake.requests[0]?.path).toBe('/v1/message/send')
    expect(fake.requests[0]?.headers['x-client-id']).toBe(SMSTOOLS_CREDENTIALS.clientId)
    expect(fake.messages[0]?.fields).toEqual({
      to: '32470123456',
      sender: 'MyBrand',
      message: sms.text,
    })
    expect(fake.lastCode()).toBe(CODE)
  })

  it('reads the code on /v1/voice/send, digits spaced, twice', async () => {
    const result = await smstools.send({ ...sms, channel: 'voice' }, ctx())
    expect(result.status).toBe('sent')
    expect(fake.requests[0]?.path).toBe('/v1/voice/send')
    const [received] = fake.messages
    expect(received).toMatchObject({
      channel: 'voice',
      fields: { language: 'en', sender: 'MyBrand' },
    })
    expect(received?.text.match(/4, 8, 2, 9, 1, 3/g)).toHaveLength(2)
    expect(fake.lastCode()).toBe(CODE)
  })

  it("uses the core's spoken text and its language when Smstools speaks it", async () => {
    const text = 'Uw code is: 4, 8, 2, 9, 1, 3. Nogmaals: 4, 8, 2, 9, 1, 3.'
    await smstools.send({ ...sms, channel: 'voice', text, locale: 'nl' }, ctx())
    expect(fake.messages[0]?.fields).toMatchObject({ message: text, language: 'nl' })
  })

  it('works on the other host: the origin changes, the paths stay', async () => {
    const result = await smstools.send(sms, ctx({ baseUrl: `${fake.baseUrl}/v1/` }))
    expect(result.status).toBe('sent')
    expect(fake.requests[0]?.path).toBe('/v1/message/send')
    expect(smstools.origin).toBe('https://api.smsgatewayapi.com')
  })

  it.each<[FailMode, 'rejected' | 'failed', RegExp, FailureReason]>([
    ['bad-key', 'rejected', /^smstools 104: Invalid credentials$/, 'auth'],
    ['invalid-number', 'rejected', /^smstools 103/, 'invalid_number'],
    ['opted-out', 'rejected', /^smstools 131/, 'opted_out'],
    ['no-balance', 'failed', /^smstools 108/, 'balance'],
    ['server-error', 'failed', /^smstools 105/, 'temporary'],
    ['rate-limit', 'failed', /^smstools HTTP 429$/, 'rate_limited'],
    ['error-in-200', 'rejected', /^smstools 106/, 'invalid_number'],
  ])('maps %s to %s', async (mode, status, error, reason) => {
    fake.failNext(mode)
    const result = await smstools.send(sms, ctx())
    expect(result).toEqual({ status, error: expect.stringMatching(error), reason })
    if (result.status !== 'sent') {
      for (const secret of [
        SMSTOOLS_CREDENTIALS.clientSecret,
        SMSTOOLS_CREDENTIALS.clientId,
        CODE,
      ]) {
        expect(result.error).not.toContain(secret)
      }
    }
    expect(fake.messages).toHaveLength(0)
  })

  it('rejects a wrong secret without echoing it', async () => {
    const credentials = { ...SMSTOOLS_CREDENTIALS, clientSecret: 'wrong-secret-99887766' }
    expect(await smstools.send(sms, ctx({ credentials }))).toEqual({
      status: 'rejected',
      error: 'smstools 104: Invalid credentials',
      reason: 'auth',
    })
  })

  it('rejects a sender Smstools refuses (numeric without +)', async () => {
    const credentials = { ...SMSTOOLS_CREDENTIALS, sender: '32470000000' }
    const result = await smstools.send(sms, ctx({ credentials }))
    expect(result).toEqual({
      status: 'rejected',
      error: expect.stringMatching(/^smstools 110/),
      reason: 'refused',
    })
  })

  it('gives unknown (it may have been delivered) within about the timeout when Smstools hangs', async () => {
    fake.setMode('hang')
    const started = Date.now()
    const result = await smstools.send(sms, ctx({ timeoutMs: 300 }))
    const elapsed = Date.now() - started
    expect(result).toEqual({ status: 'unknown', error: 'timeout after 300 ms' })
    expect(elapsed).toBeGreaterThanOrEqual(250)
    expect(elapsed).toBeLessThan(1500)
  })
})

describe('smstools receipts', () => {
  const hook = 'https://auth.example.com/v1/webhooks/smstools'

  it('parses a JSON delivery report', async () => {
    const request = new Request(hook, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ messageid: 'q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4', status: 1 }),
    })
    expect(await parseSmstoolsReceipt(request, { credentials: {} })).toEqual({
      ok: true,
      receipt: {
        messageId: 'q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4',
        status: 'delivered',
        providerStatus: '1',
      },
    })
  })

  it('parses a form or GET report, and a not-delivered one with its detail', async () => {
    const form = new Request(hook, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'messageid=abc123&status=2&detail=10',
    })
    expect(await parseSmstoolsReceipt(form, { credentials: {} })).toEqual({
      ok: true,
      receipt: {
        messageId: 'abc123',
        status: 'failed',
        providerStatus: '2',
        error: 'smstools status 2 detail 10',
      },
    })
    const get = new Request(`${hook}?messageid=abc123&status=SUBMITTED`)
    expect(await parseSmstoolsReceipt(get, { credentials: {} })).toMatchObject({
      ok: true,
      receipt: { status: 'sent', providerStatus: 'submitted' },
    })
  })

  it('calls a report without id or with an unknown status malformed', async () => {
    const post = (body: unknown) =>
      new Request(hook, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
    expect(await parseSmstoolsReceipt(post({ status: 1 }), { credentials: {} })).toEqual({
      ok: false,
      reason: 'malformed',
    })
    expect(
      await parseSmstoolsReceipt(post({ messageid: 'x', status: 'weird' }), { credentials: {} }),
    ).toEqual({
      ok: false,
      reason: 'malformed',
    })
  })
})
