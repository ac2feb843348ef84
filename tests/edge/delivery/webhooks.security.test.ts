/**
 * Every inbound receipt is authenticated before it changes anything. Clickatell and Smstools sign
 * nothing, so their receipt URL carries a per-provider token derived from SMS_AUTH_SECRET; Twilio
 * signs with X-Twilio-Signature. Anything else is a 401 and the message row stays as it was.
 */
import { describe, expect, it } from 'vitest'
import { signTwilio, TWILIO_CREDENTIALS } from '../../fakes/twilio.js'
import { PUBLIC_URL, SECRET, testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import { hookPath, messageRows, sendOne, useDelivery } from './fixture.js'

const s = useDelivery()

type Unsigned = 'clickatell' | 'smstools'
const OTHER: Record<Unsigned, Unsigned> = { clickatell: 'smstools', smstools: 'clickatell' }

/** A "delivered" receipt for `id` in the provider's own format. */
function receipt(name: Unsigned, id: string): { body: string; headers: Record<string, string> } {
  if (name === 'clickatell') {
    const body = JSON.stringify({ messageId: id, apiMessageId: id, statusCode: 4 })
    return { body, headers: { 'content-type': 'application/json' } }
  }
  const body = new URLSearchParams({ messageid: id, status: 'delivered' }).toString()
  return { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }
}

async function deliver(t: TestApp, path: string, name: Unsigned, id: string) {
  const { body, headers } = receipt(name, id)
  return t.call('POST', path, body, { ...headers, 'content-length': String(body.length) })
}

async function statusOf(t: TestApp): Promise<string> {
  return (await messageRows(t))[0]!.status
}

/** `token` with its last character changed to another base64url character. */
function altered(token: string): string {
  return token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')
}

describe.each<Unsigned>(['clickatell', 'smstools'])('POST /v1/webhooks/%s/{token}', (name) => {
  it('shows a token URL on the public URL, with at least 128 bits, different per provider', async () => {
    const view = await s.t.admin('GET', `/v1/admin/integrations/${name}`)
    const url = new URL(view.body.callbackUrl)
    expect(url.origin).toBe(PUBLIC_URL)
    const token = url.pathname.split('/')[4]!
    expect(url.pathname).toBe(`/v1/webhooks/${name}/${token}`)
    // base64url: 6 bits a character.
    expect(token).toMatch(/^[\w-]+$/)
    expect(token.length * 6).toBeGreaterThanOrEqual(128)
    expect(await hookPath(s.t, OTHER[name])).not.toContain(token)
  })

  it('refuses unsigned, wrong-token and other-provider receipts with 401; the row stays', async () => {
    const id = await sendOne(s, name, name === 'clickatell' ? 301 : 302)
    const own = await hookPath(s.t, name)
    const token = own.split('/').at(-1)!
    const otherToken = (await hookPath(s.t, OTHER[name])).split('/').at(-1)!
    const refused = [
      `/v1/webhooks/${name}`,
      `/v1/webhooks/${name}/${altered(token)}`,
      `/v1/webhooks/${name}/${token.slice(0, -1)}`,
      `/v1/webhooks/${name}/${token}A`,
      `/v1/webhooks/${name}/${token.toUpperCase()}`,
      `/v1/webhooks/${name}/${'A'.repeat(token.length)}`,
      `/v1/webhooks/${name}/${'x'.repeat(4000)}`,
      `/v1/webhooks/${name}/${otherToken}`,
    ]
    for (const path of refused) {
      expectProblem(await deliver(s.t, path, name, id), 401, 'unauthorized')
      expect(await statusOf(s.t), path).toBe('sent')
    }
    // An empty token, or one with more segments, is no route at all.
    for (const path of [`/v1/webhooks/${name}/`, `${own}/x`]) {
      expectProblem(await deliver(s.t, path, name, id), 404, 'not_found')
      expect(await statusOf(s.t), path).toBe('sent')
    }
    // The refusals are logged by reason, never with the token.
    expect(s.t.logs.join('\n')).toContain('"reason":"token"')
    expect(s.t.logs.join('\n')).not.toContain(token)

    const r = await deliver(s.t, own, name, id)
    expect(r.status, r.text).toBe(200)
    expect(await statusOf(s.t)).toBe('delivered')
  })

  it('refuses the token of another SMS_AUTH_SECRET (rotating the secret changes the URL)', async () => {
    const rotated = await testApp({
      env: {
        SMS_AUTH_MODE: 'production',
        SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: '1',
        SMS_AUTH_SECRET: SECRET.replace(/^a/, 'b'),
      },
    })
    try {
      const before = await hookPath(s.t, name)
      const after = await hookPath(rotated, name)
      expect(after).not.toBe(before)
      const id = await sendOne(s, name, name === 'clickatell' ? 303 : 304)
      expectProblem(await deliver(s.t, after, name, id), 401, 'unauthorized')
      expect(await statusOf(s.t)).toBe('sent')
    } finally {
      rotated.close()
    }
  })
})

describe('POST /v1/webhooks/twilio', () => {
  it('refuses a bad or missing signature with 401; the row stays', async () => {
    const sid = await sendOne(s, 'twilio', 305)
    const hook = `${PUBLIC_URL}/v1/webhooks/twilio`
    const params = { MessageSid: sid, MessageStatus: 'delivered' }
    const form = new URLSearchParams(params).toString()
    for (const signature of [
      undefined,
      '',
      signTwilio('another-token', hook, params),
      signTwilio(TWILIO_CREDENTIALS.authToken, `${hook}/x`, params),
      signTwilio(TWILIO_CREDENTIALS.authToken, hook, { ...params, MessageStatus: 'sent' }),
    ]) {
      const r = await s.t.call('POST', '/v1/webhooks/twilio', form, {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(form.length),
        ...(signature === undefined ? {} : { 'x-twilio-signature': signature }),
      })
      expectProblem(r, 401, 'unauthorized')
      expect(await statusOf(s.t)).toBe('sent')
    }
    const r = await s.t.call('POST', '/v1/webhooks/twilio', form, {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(form.length),
      'x-twilio-signature': signTwilio(TWILIO_CREDENTIALS.authToken, hook, params),
    })
    expect(r.status, r.text).toBe(200)
    expect(await statusOf(s.t)).toBe('delivered')
  })
})
