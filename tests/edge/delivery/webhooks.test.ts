/**
 * POST /v1/webhooks/twilio and /v1/webhooks/{clickatell,smstools}/{token}: receipts update the
 * message record, forward only. (Refusals of unauthenticated receipts: webhooks.security.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { signTwilio, TWILIO_CREDENTIALS } from '../../fakes/twilio.js'
import { phoneNo, PUBLIC_URL, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import { expectNoSecrets, hookPath, messageRows, sendOne, useDelivery } from './fixture.js'

const s = useDelivery()
const TWILIO_HOOK = `${PUBLIC_URL}/v1/webhooks/twilio`

/** As a server hands it over: with its Content-Length (an in-process Request has none). */
function wired(req: Request, body: string): Request {
  const headers = new Headers(req.headers)
  headers.set('content-length', String(new TextEncoder().encode(body).length))
  return new Request(req.url, { method: req.method, headers, body })
}

async function post(t: TestApp, req: Request) {
  const res = await t.api.fetch(wired(req, await req.text()))
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: text ? JSON.parse(text) : undefined,
  }
}

async function statusOf(t: TestApp): Promise<string> {
  return (await messageRows(t))[0]!.status
}

function twilioForm(params: Record<string, string>, signature: string): Request {
  return new Request(TWILIO_HOOK, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    },
    body: new URLSearchParams(params).toString(),
  })
}

describe('POST /v1/webhooks/twilio', () => {
  it('takes a signed status callback and moves the message to delivered', async () => {
    const sid = await sendOne(s, 'twilio', 51)
    const r = await post(s.t, s.fakes.twilio.callback(sid, 'delivered'))
    expect(r.status, r.text).toBe(200)
    expect(r.body).toEqual({ received: true })
    expect(await statusOf(s.t)).toBe('delivered')
  })

  it('never moves a status backwards', async () => {
    const sid = await sendOne(s, 'twilio', 52)
    expect((await post(s.t, s.fakes.twilio.callback(sid, 'delivered'))).status).toBe(200)
    expect((await post(s.t, s.fakes.twilio.callback(sid, 'sent'))).status).toBe(200)
    expect((await post(s.t, s.fakes.twilio.callback(sid, 'queued'))).status).toBe(200)
    expect(await statusOf(s.t)).toBe('delivered')
  })

  it('records a failure with its error code', async () => {
    const sid = await sendOne(s, 'twilio', 53)
    const r = await post(s.t, s.fakes.twilio.callback(sid, 'undelivered', { ErrorCode: '30003' }))
    expect(r.status).toBe(200)
    expect((await messageRows(s.t))[0]).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('30003'),
    })
  })

  it('refuses a callback signed with another auth token with 401 unauthorized', async () => {
    const sid = await sendOne(s, 'twilio', 54)
    const params = {
      MessageSid: sid,
      MessageStatus: 'delivered',
      AccountSid: TWILIO_CREDENTIALS.accountSid,
    }
    const r = await post(s.t, twilioForm(params, signTwilio('another-token', TWILIO_HOOK, params)))
    expectProblem(r, 401, 'unauthorized')
    expectNoSecrets(r.text)
    expect(await statusOf(s.t)).toBe('sent')
  })

  it('refuses a callback whose body was changed after signing', async () => {
    const sid = await sendOne(s, 'twilio', 55)
    const signed = { MessageSid: sid, MessageStatus: 'sent' }
    const signature = signTwilio(TWILIO_CREDENTIALS.authToken, TWILIO_HOOK, signed)
    const r = await post(s.t, twilioForm({ ...signed, MessageStatus: 'delivered' }, signature))
    expect(r.status).toBe(401)
    expect(await statusOf(s.t)).toBe('sent')
  })

  it('refuses a callback without a signature, or signed for another URL', async () => {
    const sid = await sendOne(s, 'twilio', 56)
    const params = { MessageSid: sid, MessageStatus: 'delivered' }
    expect((await post(s.t, twilioForm(params, ''))).status).toBe(401)
    const elsewhere = signTwilio(
      TWILIO_CREDENTIALS.authToken,
      'https://evil.example/v1/webhooks/twilio',
      params,
    )
    expect((await post(s.t, twilioForm(params, elsewhere))).status).toBe(401)
    expect(await statusOf(s.t)).toBe('sent')
  })

  it('refuses every callback while no Twilio integration is stored', async () => {
    const params = { MessageSid: 'SM0123', MessageStatus: 'delivered' }
    const r = await post(s.t, twilioForm(params, signTwilio('', TWILIO_HOOK, params)))
    expectProblem(r, 401, 'unauthorized')
  })

  it('answers 400 to a signed callback that is not a status callback', async () => {
    await sendOne(s, 'twilio', 57)
    const params = { AccountSid: TWILIO_CREDENTIALS.accountSid, Body: 'hello' }
    const r = await post(
      s.t,
      twilioForm(params, signTwilio(TWILIO_CREDENTIALS.authToken, TWILIO_HOOK, params)),
    )
    expectProblem(r, 400, 'invalid_request')
  })

  it('answers 200 to a signed callback for an unknown message, and changes nothing', async () => {
    await sendOne(s, 'twilio', 58)
    const params = { MessageSid: 'SM00000000000000000000000000000000', MessageStatus: 'delivered' }
    const r = await post(
      s.t,
      twilioForm(params, signTwilio(TWILIO_CREDENTIALS.authToken, TWILIO_HOOK, params)),
    )
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ received: true })
    expect(await statusOf(s.t)).toBe('sent')
  })
})

describe('POST /v1/webhooks/{clickatell,smstools}/{token}', () => {
  it('takes a Clickatell JSON status callback', async () => {
    const id = await sendOne(s, 'clickatell', 61)
    const r = await s.t.call('POST', await hookPath(s.t, 'clickatell'), {
      integrationName: 'otp',
      messageId: id,
      apiMessageId: id,
      to: phoneNo(61).slice(1),
      statusCode: 4,
      status: 'RECEIVED_BY_RECIPIENT',
      timestamp: s.t.clock.now,
    })
    expect(r.status, r.text).toBe(200)
    expect(await statusOf(s.t)).toBe('delivered')
  })

  it('takes a form-encoded Smstools delivery report', async () => {
    const id = await sendOne(s, 'smstools', 62)
    const form = new URLSearchParams({ messageid: id, status: '2', detail: '10' }).toString()
    const r = await s.t.call('POST', await hookPath(s.t, 'smstools'), form, {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(form.length),
    })
    expect(r.status, r.text).toBe(200)
    expect((await messageRows(s.t))[0]).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('status 2'),
    })
  })

  it('answers 400 to a receipt it cannot read', async () => {
    await sendOne(s, 'smstools', 63)
    const r = await s.t.call('POST', await hookPath(s.t, 'smstools'), 'nothing=here', {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expectProblem(r, 400, 'invalid_request')
    expectProblem(
      await s.t.call('POST', await hookPath(s.t, 'clickatell'), '{"statusCode":'),
      400,
      'invalid_request',
    )
    expect(await statusOf(s.t)).toBe('sent')
  })

  it('has no webhook for 2Factor.in, the console or an unknown provider', async () => {
    for (const name of ['twofactor', 'console', 'nexmo']) {
      expectProblem(await s.t.call('POST', `/v1/webhooks/${name}`, {}), 404, 'not_found')
      expectProblem(await s.t.call('POST', `/v1/webhooks/${name}/x`, {}), 404, 'not_found')
    }
    // Twilio signs its callbacks: it has no token URL.
    expectProblem(await s.t.call('POST', '/v1/webhooks/twilio/x', {}), 404, 'not_found')
  })
})
