import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { clickatell, parseClickatellReceipt } from '../../edge/providers/clickatell/index.js'
import type { FailureReason, OutboundMessage, SendContext } from '../../edge/providers/types.js'
import { CLICKATELL_CREDENTIALS, startClickatell } from '../fakes/clickatell.js'
import type { Fake, FailMode } from '../fakes/server.js'

const CODE = '482913'
const TO = '+27821234567'
const TWO_WAY = '+27870000111'
const sms: OutboundMessage = {
  to: TO,
  channel: 'sms',
  text: `Your login code is ${CODE}\n@example.com #${CODE}`,
  code: CODE,
  kind: 'code',
  locale: 'en',
}

let oneWay: Fake
let twoWay: Fake
beforeAll(async () => {
  oneWay = await startClickatell()
  twoWay = await startClickatell({ ...CLICKATELL_CREDENTIALS, twoWayNumber: TWO_WAY })
})
afterAll(async () => {
  await oneWay.close()
  await twoWay.close()
})
beforeEach(() => {
  for (const fake of [oneWay, twoWay]) {
    fake.setMode(null)
    fake.messages.length = 0
    fake.requests.length = 0
  }
})

function ctx(over: Partial<SendContext> = {}): SendContext {
  return {
    credentials: CLICKATELL_CREDENTIALS,
    baseUrl: oneWay.baseUrl,
    fetch,
    timeoutMs: 2000,
    ...over,
  }
}

describe('clickatell client', () => {
  it('sends to POST /messages with the raw key and returns the apiMessageId', async () => {
    const result = await clickatell.send(sms, ctx())
    expect(result).toEqual({ status: 'sent', messageId: expect.stringMatching(/^[0-9a-f]{32}$/) })
    expect(oneWay.messages).toHaveLength(1)
    const [received] = oneWay.messages
    expect(received?.fields).toEqual({ content: sms.text, to: ['27821234567'] })
    expect(oneWay.lastCode()).toBe(CODE)
    expect(oneWay.requests[0]?.headers.authorization).toBe(CLICKATELL_CREDENTIALS.apiKey)
    expect(oneWay.requests[0]?.headers['content-type']).toBe('application/json')
  })

  it('sends `from` only when a two-way number is configured', async () => {
    const credentials = { ...CLICKATELL_CREDENTIALS, twoWayNumber: TWO_WAY }
    const result = await clickatell.send(sms, ctx({ credentials, baseUrl: twoWay.baseUrl }))
    expect(result.status).toBe('sent')
    expect(twoWay.messages[0]?.from).toBe('27870000111')
    expect(oneWay.requests).toHaveLength(0)
  })

  it('rejects a two-way number the integration does not own (error 45 inside a 200)', async () => {
    const credentials = { ...CLICKATELL_CREDENTIALS, twoWayNumber: TWO_WAY }
    const result = await clickatell.send(sms, ctx({ credentials }))
    expect(result).toEqual({
      status: 'rejected',
      error: expect.stringMatching(/^clickatell 45: Two-Way/),
      reason: 'config',
    })
    expect(oneWay.messages).toHaveLength(0)
  })

  it.each<[FailMode, 'rejected' | 'failed', RegExp, FailureReason]>([
    ['bad-key', 'rejected', /^clickatell 1: Invalid or missing Integration API Key$/, 'auth'],
    ['invalid-number', 'rejected', /^clickatell 25/, 'invalid_number'],
    ['opted-out', 'rejected', /^clickatell 26/, 'opted_out'],
    ['no-balance', 'failed', /^clickatell 20/, 'balance'],
    ['server-error', 'failed', /^clickatell 19/, 'temporary'],
    ['rate-limit', 'failed', /^clickatell HTTP 429$/, 'rate_limited'],
    ['error-in-200', 'rejected', /^clickatell: Invalid recipient address$/, 'invalid_number'],
  ])('maps %s to %s', async (mode, status, error, reason) => {
    oneWay.failNext(mode)
    const result = await clickatell.send(sms, ctx())
    expect(result).toEqual({ status, error: expect.stringMatching(error), reason })
    if (result.status !== 'sent') {
      expect(result.error).not.toContain(CLICKATELL_CREDENTIALS.apiKey)
      expect(result.error).not.toContain(CODE)
    }
    expect(oneWay.messages).toHaveLength(0)
  })

  it('rejects a wrong key without echoing it', async () => {
    const credentials = { apiKey: 'not-the-key-77665544' }
    const result = await clickatell.send(sms, ctx({ credentials }))
    expect(result).toEqual({
      status: 'rejected',
      error: 'clickatell 1: Invalid or missing Integration API Key',
      reason: 'auth',
    })
  })

  it('gives unknown (it may have been delivered) within about the timeout when Clickatell hangs', async () => {
    oneWay.setMode('hang')
    const started = Date.now()
    const result = await clickatell.send(sms, ctx({ timeoutMs: 300 }))
    const elapsed = Date.now() - started
    expect(result).toEqual({ status: 'unknown', error: 'timeout after 300 ms' })
    expect(elapsed).toBeGreaterThanOrEqual(250)
    expect(elapsed).toBeLessThan(1500)
  })

  it('has no voice channel', async () => {
    expect(clickatell.channels).toEqual(['sms'])
    expect(clickatell.eligible(TO, 'voice')).toBe(false)
    expect(clickatell.eligible(TO, 'sms')).toBe(true)
    const result = await clickatell.send({ ...sms, channel: 'voice' }, ctx())
    expect(result.status).toBe('rejected')
    expect(oneWay.requests).toHaveLength(0)
  })

  it('keeps the documented path under a configured origin', async () => {
    const result = await clickatell.send(sms, ctx({ baseUrl: `${oneWay.baseUrl}/some/prefix/` }))
    expect(result.status).toBe('sent')
    expect(oneWay.requests[0]?.path).toBe('/messages')
  })
})

describe('clickatell receipts', () => {
  const callback = {
    integrationName: 'otp-prod',
    messageId: '9b2e61c0d4a84f6f8e7d2c1b0a9f8e7d',
    requestId: 'c1d2e3f4a5b6',
    clientMessageId: 'otp-5f1c',
    to: '27821234567',
    from: '',
    statusCode: 4,
    status: 'RECEIVED_BY_RECIPIENT',
    statusDescription: 'Received by recipient',
    timestamp: 1772446500000,
  }
  const post = (body: unknown) =>
    new Request('https://auth.example.com/v1/webhooks/clickatell', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const receiptCtx = { credentials: CLICKATELL_CREDENTIALS }

  it('parses the documented status callback', async () => {
    expect(await parseClickatellReceipt(post(callback), receiptCtx)).toEqual({
      ok: true,
      receipt: {
        messageId: callback.messageId,
        status: 'delivered',
        providerStatus: 'RECEIVED_BY_RECIPIENT',
      },
    })
  })

  it('maps gateway, queued and error codes', async () => {
    const status = async (statusCode: number) => {
      const result = await parseClickatellReceipt(post({ ...callback, statusCode }), receiptCtx)
      return result.ok ? result.receipt.status : result.reason
    }
    expect(await status(2)).toBe('queued')
    expect(await status(3)).toBe('sent')
    expect(await status(8)).toBe('sent')
    expect(await status(7)).toBe('failed')
    expect(await status(10)).toBe('failed')
    const failed = await parseClickatellReceipt(
      post({ ...callback, statusCode: 9, status: 'ROUTING_ERROR' }),
      receiptCtx,
    )
    expect(failed).toMatchObject({
      ok: true,
      receipt: { error: 'clickatell status 9 ROUTING_ERROR' },
    })
  })

  it('refuses a callback carrying another integration key, accepts its own', async () => {
    const foreign = await parseClickatellReceipt(
      post({ ...callback, apiKey: 'someone-else' }),
      receiptCtx,
    )
    expect(foreign).toEqual({ ok: false, reason: 'signature' })
    const own = await parseClickatellReceipt(
      post({ ...callback, apiKey: CLICKATELL_CREDENTIALS.apiKey }),
      receiptCtx,
    )
    expect(own).toMatchObject({ ok: true })
  })

  it('calls anything else malformed', async () => {
    expect(await parseClickatellReceipt(post('not json'), receiptCtx)).toEqual({
      ok: false,
      reason: 'malformed',
    })
    const { messageId: _, ...noId } = callback
    expect(await parseClickatellReceipt(post(noId), receiptCtx)).toEqual({
      ok: false,
      reason: 'malformed',
    })
  })
})
