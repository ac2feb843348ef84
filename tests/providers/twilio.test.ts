import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  parseTwilioReceipt,
  twilio,
  twilioSignature,
  verifyTwilioSignature,
} from '../../edge/providers/twilio/index.js'
import type { FailureReason, OutboundMessage, SendContext } from '../../edge/providers/types.js'
import { TWILIO_CREDENTIALS, signTwilio, startTwilio } from '../fakes/twilio.js'
import type { TwilioFake } from '../fakes/twilio.js'
import type { FailMode } from '../fakes/server.js'

const CODE = '482913'
const TO = '+14155550123'
const sms: OutboundMessage = {
  to: TO,
  channel: 'sms',
  text: `Your login code is ${CODE}\n@example.com #${CODE}`,
  code: CODE,
  kind: 'code',
  locale: 'en',
}
const call: OutboundMessage = { ...sms, channel: 'voice' }

let fake: TwilioFake
beforeAll(async () => {
  fake = await startTwilio()
})
afterAll(() => fake.close())
beforeEach(() => {
  fake.setMode(null)
  fake.messages.length = 0
  fake.requests.length = 0
})

function ctx(over: Partial<SendContext> = {}): SendContext {
  return { credentials: TWILIO_CREDENTIALS, baseUrl: fake.baseUrl, fetch, timeoutMs: 2000, ...over }
}

function expectNoSecrets(error: string): void {
  for (const secret of [
    TWILIO_CREDENTIALS.authToken,
    TWILIO_CREDENTIALS.accountSid,
    CODE,
    '4155550123',
  ]) {
    expect(error).not.toContain(secret)
  }
}

describe('twilio client', () => {
  it('sends an SMS through Messages.json and returns the SM sid', async () => {
    const result = await twilio.send(
      sms,
      ctx({ statusCallbackUrl: 'https://auth.example.com/v1/webhooks/twilio' }),
    )
    expect(result).toEqual({ status: 'sent', messageId: expect.stringMatching(/^SM[0-9a-f]{32}$/) })
    expect(fake.messages).toHaveLength(1)
    const [received] = fake.messages
    expect(received).toMatchObject({
      channel: 'sms',
      to: TO,
      from: TWILIO_CREDENTIALS.from,
      text: sms.text,
    })
    expect(received?.fields.StatusCallback).toBe('https://auth.example.com/v1/webhooks/twilio')
    expect(fake.lastCode()).toBe(CODE)
  })

  it('sends through a messaging service when `from` is an MG sid', async () => {
    const service = 'MG0123456789abcdef0123456789abcdef'
    const result = await twilio.send(
      sms,
      ctx({ credentials: { ...TWILIO_CREDENTIALS, from: service } }),
    )
    expect(result.status).toBe('sent')
    expect(fake.messages[0]?.fields).toMatchObject({ MessagingServiceSid: service })
    expect(fake.messages[0]?.fields.From).toBeUndefined()
  })

  it('calls through Calls.json with inline TwiML reading the digits spaced, twice', async () => {
    const result = await twilio.send(call, ctx())
    expect(result).toEqual({ status: 'sent', messageId: expect.stringMatching(/^CA[0-9a-f]{32}$/) })
    const [received] = fake.messages
    expect(received?.channel).toBe('voice')
    expect(String(received?.fields.Twiml)).toMatch(
      /^<\?xml[^>]*\?><Response><Say[^>]*>.*<\/Say><\/Response>$/,
    )
    expect(received?.text).not.toContain(CODE)
    expect(received?.text.match(/4, 8, 2, 9, 1, 3/g)).toHaveLength(2)
    expect(fake.lastCode()).toBe(CODE)
  })

  it("says the core's own spoken text as is, in the message's language", async () => {
    const text = 'Votre code est : 4, 8, 2, 9, 1, 3. Encore : 4, 8, 2, 9, 1, 3.'
    await twilio.send({ ...call, text, locale: 'fr' }, ctx())
    expect(fake.messages[0]?.text).toBe(text)
    expect(String(fake.messages[0]?.fields.Twiml)).toContain('<Say language="fr-FR">')
  })

  it.each<[FailMode, 'rejected' | 'failed', RegExp, FailureReason]>([
    ['bad-key', 'rejected', /^twilio 20003/, 'auth'],
    ['invalid-number', 'rejected', /^twilio 21211/, 'invalid_number'],
    ['opted-out', 'rejected', /^twilio 21610/, 'opted_out'],
    ['no-balance', 'rejected', /^twilio 10001/, 'auth'],
    ['server-error', 'failed', /^twilio 20500/, 'temporary'],
    ['rate-limit', 'failed', /^twilio 20429/, 'rate_limited'],
    ['error-in-200', 'rejected', /^twilio 21614/, 'invalid_number'],
  ])('maps %s to %s', async (mode, status, error, reason) => {
    fake.failNext(mode)
    const result = await twilio.send(sms, ctx())
    expect(result).toEqual({ status, error: expect.stringMatching(error), reason })
    if (result.status !== 'sent') expectNoSecrets(result.error)
    expect(fake.messages).toHaveLength(0)
  })

  it('rejects a wrong auth token (401, 20003) without echoing it', async () => {
    const credentials = { ...TWILIO_CREDENTIALS, authToken: 'wrong-token-123456' }
    const result = await twilio.send(sms, ctx({ credentials }))
    expect(result).toEqual({
      status: 'rejected',
      error: 'twilio 20003: Authenticate',
      reason: 'auth',
    })
  })

  it('gives unknown (it may have been delivered) within about the timeout when Twilio hangs', async () => {
    fake.setMode('hang')
    const started = Date.now()
    const result = await twilio.send(sms, ctx({ timeoutMs: 300 }))
    const elapsed = Date.now() - started
    expect(result).toEqual({ status: 'unknown', error: 'timeout after 300 ms' })
    expect(elapsed).toBeGreaterThanOrEqual(250)
    expect(elapsed).toBeLessThan(1500)
  })

  it('gives failed on a network error', async () => {
    const closed = await startTwilio()
    const baseUrl = closed.baseUrl
    await closed.close()
    expect(await twilio.send(sms, ctx({ baseUrl }))).toEqual({
      status: 'failed',
      error: 'network error',
      reason: 'temporary',
    })
  })

  it('rejects without a request when a credential is missing', async () => {
    const { authToken: _, ...partial } = TWILIO_CREDENTIALS
    const result = await twilio.send(sms, ctx({ credentials: partial }))
    expect(result).toEqual({
      status: 'rejected',
      error: 'twilio: credential authToken is not set',
      reason: 'config',
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('takes any E.164 number on both channels', () => {
    expect(twilio.channels).toEqual(['sms', 'voice'])
    expect(twilio.eligible(TO, 'sms')).toBe(true)
    expect(twilio.eligible('+919876543210', 'voice')).toBe(true)
    expect(twilio.eligible('4155550123', 'sms')).toBe(false)
  })
})

describe('twilio signature', () => {
  // Twilio's published example (webhooks-security; twilio-python tests/unit/test_request_validator).
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2'
  const params: [string, string][] = [
    ['CallSid', 'CA1234567890ABCDE'],
    ['Caller', '+14158675309'],
    ['Digits', '1234'],
    ['From', '+14158675309'],
    ['To', '+18005551212'],
  ]
  const expected = 'RSOYDt4T1cUTdK1PDd93/VVr8B8='

  it("matches Twilio's published example, whatever the order of the fields", async () => {
    expect(await twilioSignature('12345', url, params)).toBe(expected)
    expect(await twilioSignature('12345', url, [...params].reverse())).toBe(expected)
    expect(await verifyTwilioSignature('12345', url, params, expected)).toBe(true)
  })

  it('refuses a changed field, URL, token, or a missing signature', async () => {
    const tampered: [string, string][] = params.map(([k, v]) => [k, k === 'Digits' ? '9999' : v])
    expect(await verifyTwilioSignature('12345', url, tampered, expected)).toBe(false)
    expect(
      await verifyTwilioSignature('12345', url.replace('bar=2', 'bar=3'), params, expected),
    ).toBe(false)
    expect(await verifyTwilioSignature('54321', url, params, expected)).toBe(false)
    expect(await verifyTwilioSignature('12345', url, params, null)).toBe(false)
    expect(await verifyTwilioSignature('12345', url, params, '')).toBe(false)
  })

  it('accepts the URL with or without the default port', async () => {
    const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2'
    expect(await verifyTwilioSignature('12345', withPort, params, expected)).toBe(true)
    const signedWithPort = await twilioSignature('12345', withPort, params)
    expect(signedWithPort).not.toBe(expected)
    expect(await verifyTwilioSignature('12345', url, params, signedWithPort)).toBe(true)
  })
})

describe('twilio receipts', () => {
  const hook = 'https://auth.example.com/v1/webhooks/twilio'

  it('parses a signed message status callback', async () => {
    const sent = await twilio.send(sms, ctx({ statusCallbackUrl: hook }))
    if (sent.status !== 'sent') throw new Error(sent.error)
    const request = fake.callback(sent.messageId, 'delivered')
    const result = await parseTwilioReceipt(request, { credentials: TWILIO_CREDENTIALS })
    expect(result).toEqual({
      ok: true,
      receipt: { messageId: sent.messageId, status: 'delivered', providerStatus: 'delivered' },
    })
  })

  it('reports undelivered with its error code, and call statuses', async () => {
    const sent = await twilio.send(sms, ctx({ statusCallbackUrl: hook }))
    const placed = await twilio.send(call, ctx({ statusCallbackUrl: hook }))
    if (sent.status !== 'sent' || placed.status !== 'sent') throw new Error('not sent')
    const failed = await parseTwilioReceipt(
      fake.callback(sent.messageId, 'undelivered', { ErrorCode: '30003' }),
      {
        credentials: TWILIO_CREDENTIALS,
      },
    )
    expect(failed).toMatchObject({ ok: true, receipt: { status: 'failed', error: 'twilio 30003' } })
    const answered = await parseTwilioReceipt(fake.callback(placed.messageId, 'completed'), {
      credentials: TWILIO_CREDENTIALS,
    })
    expect(answered).toMatchObject({
      ok: true,
      receipt: { messageId: placed.messageId, status: 'delivered' },
    })
    const busy = await parseTwilioReceipt(fake.callback(placed.messageId, 'busy'), {
      credentials: TWILIO_CREDENTIALS,
    })
    expect(busy).toMatchObject({ ok: true, receipt: { status: 'failed' } })
  })

  it('refuses a callback with a bad or missing signature, or signed with another token', async () => {
    const params = { MessageSid: `SM${'a'.repeat(32)}`, MessageStatus: 'delivered' }
    const body = new URLSearchParams(params).toString()
    const headers = (signature?: string): Record<string, string> => ({
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(signature === undefined ? {} : { 'X-Twilio-Signature': signature }),
    })
    const cases = [
      headers('RSOYDt4T1cUTdK1PDd93/VVr8B8='),
      headers(),
      headers(signTwilio('another-token', hook, params)),
    ]
    for (const h of cases) {
      const request = new Request(hook, { method: 'POST', headers: h, body })
      expect(await parseTwilioReceipt(request, { credentials: TWILIO_CREDENTIALS })).toEqual({
        ok: false,
        reason: 'signature',
      })
    }
    const good = new Request(hook, {
      method: 'POST',
      headers: headers(signTwilio(TWILIO_CREDENTIALS.authToken, hook, params)),
      body,
    })
    expect(await parseTwilioReceipt(good, { credentials: TWILIO_CREDENTIALS })).toMatchObject({
      ok: true,
    })
  })

  it('checks against the public URL when given, not the one the proxy passed on', async () => {
    const params = { MessageSid: `SM${'b'.repeat(32)}`, MessageStatus: 'sent' }
    const signature = signTwilio(TWILIO_CREDENTIALS.authToken, hook, params)
    const internal = () =>
      new Request('http://10.0.0.5:8080/v1/webhooks/twilio', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-Twilio-Signature': signature,
        },
        body: new URLSearchParams(params).toString(),
      })
    expect(await parseTwilioReceipt(internal(), { credentials: TWILIO_CREDENTIALS })).toEqual({
      ok: false,
      reason: 'signature',
    })
    expect(
      await parseTwilioReceipt(internal(), { credentials: TWILIO_CREDENTIALS, url: hook }),
    ).toMatchObject({
      ok: true,
      receipt: { status: 'sent' },
    })
  })
})
