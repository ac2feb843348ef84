import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { clickatell, smstools, twilio, twofactor } from '../../edge/providers/index.js'
import { eligibleProviders, mayHaveSent, route } from '../../edge/providers/router.js'
import type { ConfiguredProvider } from '../../edge/providers/router.js'
import type { OutboundMessage, ProviderClient, SendResult } from '../../edge/providers/types.js'
import { CLICKATELL_CREDENTIALS, startClickatell } from '../fakes/clickatell.js'
import type { Fake } from '../fakes/server.js'
import { SMSTOOLS_CREDENTIALS, startSmstools } from '../fakes/smstools.js'
import { TWILIO_CREDENTIALS, startTwilio } from '../fakes/twilio.js'
import { TWOFACTOR_CREDENTIALS, startTwoFactor } from '../fakes/twofactor.js'

const CODE = '482913'
const sms: OutboundMessage = {
  to: '+14155550123',
  channel: 'sms',
  text: `Your login code is ${CODE}\n@example.com #${CODE}`,
  code: CODE,
  kind: 'code',
  locale: 'en',
}
const call: OutboundMessage = { ...sms, channel: 'voice' }

let fakes: { twilio: Fake; clickatell: Fake; twofactor: Fake; smstools: Fake }
beforeAll(async () => {
  fakes = {
    twilio: await startTwilio(),
    clickatell: await startClickatell(),
    twofactor: await startTwoFactor(),
    smstools: await startSmstools(),
  }
})
afterAll(async () => {
  for (const fake of Object.values(fakes)) await fake.close()
})
beforeEach(() => {
  for (const fake of Object.values(fakes)) {
    fake.setMode(null)
    fake.messages.length = 0
    fake.requests.length = 0
  }
})

function configured(
  voice = true,
): Record<'twilio' | 'clickatell' | 'twofactor' | 'smstools', ConfiguredProvider> {
  return {
    twilio: {
      name: 'twilio',
      client: twilio,
      credentials: TWILIO_CREDENTIALS,
      baseUrl: fakes.twilio.baseUrl,
      voice,
    },
    clickatell: {
      name: 'clickatell',
      client: clickatell,
      credentials: CLICKATELL_CREDENTIALS,
      baseUrl: fakes.clickatell.baseUrl,
      voice,
    },
    twofactor: {
      name: 'twofactor',
      client: twofactor,
      credentials: TWOFACTOR_CREDENTIALS,
      baseUrl: fakes.twofactor.baseUrl,
      voice,
    },
    smstools: {
      name: 'smstools',
      client: smstools,
      credentials: SMSTOOLS_CREDENTIALS,
      baseUrl: fakes.smstools.baseUrl,
      voice,
    },
  }
}

function delivered(): number {
  return Object.values(fakes).reduce((n, fake) => n + fake.messages.length, 0)
}

describe('provider router', () => {
  it('sends through the first provider and touches no other', async () => {
    const p = configured()
    const result = await route([p.clickatell, p.twilio], sms, { fetch })
    expect(result).toMatchObject({
      outcome: 'sent',
      provider: 'clickatell',
      attempts: [{ status: 'sent' }],
    })
    expect(fakes.clickatell.messages).toHaveLength(1)
    expect(fakes.twilio.requests).toHaveLength(0)
  })

  it('fails over from a failing first provider and delivers exactly one message', async () => {
    fakes.twilio.setMode('server-error')
    const p = configured()
    const result = await route([p.twilio, p.clickatell, p.smstools], sms, { fetch })
    expect(result).toMatchObject({ outcome: 'sent', provider: 'clickatell' })
    expect(result.attempts).toEqual([
      {
        provider: 'twilio',
        status: 'failed',
        error: expect.stringMatching(/^twilio 20500/),
        reason: 'temporary',
        ms: expect.any(Number),
      },
      {
        provider: 'clickatell',
        status: 'sent',
        messageId: expect.any(String),
        ms: expect.any(Number),
      },
    ])
    expect(delivered()).toBe(1)
    expect(fakes.smstools.requests).toHaveLength(0)
  })

  it('fails over past a provider that hangs, after about the timeout, when failoverAfterTimeout is on for it', async () => {
    fakes.smstools.setMode('hang')
    const p = configured()
    const started = Date.now()
    const hanging = { ...p.smstools, failoverAfterTimeout: true }
    const result = await route([hanging, p.twilio], sms, { fetch, timeoutMs: 300 })
    expect(Date.now() - started).toBeLessThan(1500)
    expect(result).toMatchObject({ outcome: 'sent', provider: 'twilio' })
    expect(result.attempts[0]).toMatchObject({
      provider: 'smstools',
      status: 'timeout',
      error: 'timeout after 300 ms',
    })
    expect(delivered()).toBe(1)
    expect(fakes.twilio.lastCode()).toBe(CODE)
  })

  it('stops at a permanent rejection and does not fail over', async () => {
    fakes.twilio.setMode('invalid-number')
    const p = configured()
    const result = await route([p.twilio, p.clickatell, p.smstools], sms, { fetch })
    expect(result).toEqual({
      outcome: 'rejected',
      attempts: [
        {
          provider: 'twilio',
          status: 'rejected',
          error: expect.stringMatching(/^twilio 21211/),
          reason: 'invalid_number',
          ms: expect.any(Number),
        },
      ],
    })
    expect(fakes.clickatell.requests).toHaveLength(0)
    expect(fakes.smstools.requests).toHaveLength(0)
    expect(delivered()).toBe(0)
  })

  it('is unavailable when every eligible provider fails, with one attempt each', async () => {
    fakes.twilio.setMode('rate-limit')
    fakes.clickatell.setMode('server-error')
    fakes.smstools.setMode('no-balance')
    const p = configured()
    const result = await route([p.twilio, p.clickatell, p.smstools, p.twofactor], sms, { fetch })
    expect(result.outcome).toBe('unavailable')
    expect(result.attempts.map((a) => [a.provider, a.status])).toEqual([
      ['twilio', 'failed'],
      ['clickatell', 'failed'],
      ['smstools', 'failed'],
    ])
    expect(fakes.twofactor.requests).toHaveLength(0)
    expect(delivered()).toBe(0)
    // Every one of them answered: nothing can have gone out.
    expect(mayHaveSent(result)).toBe(false)
  })

  it('is unavailable with no attempt when nobody is eligible', async () => {
    const p = configured()
    const result = await route([p.twofactor, p.clickatell], call, { fetch })
    expect(result).toEqual({ outcome: 'unavailable', attempts: [] })
    expect(await route([], sms, { fetch })).toEqual({ outcome: 'unavailable', attempts: [] })
  })

  it('sends voice only to voice-capable providers with voice enabled', async () => {
    const p = configured()
    const twilioNoVoice = { ...p.twilio, voice: false }
    const result = await route([p.clickatell, twilioNoVoice, p.smstools], call, { fetch })
    expect(result).toMatchObject({
      outcome: 'sent',
      provider: 'smstools',
      attempts: [{ provider: 'smstools' }],
    })
    expect(fakes.smstools.messages[0]?.channel).toBe('voice')
    expect(fakes.clickatell.requests).toHaveLength(0)
    expect(fakes.twilio.requests).toHaveLength(0)
    // With voice off everywhere nobody gets the call.
    const off = configured(false)
    expect(await route([off.twilio, off.smstools], call, { fetch })).toEqual({
      outcome: 'unavailable',
      attempts: [],
    })
  })

  it('gives Indian numbers to 2Factor.in and skips it for the rest', async () => {
    const p = configured()
    const india = await route([p.twofactor, p.twilio], { ...sms, to: '+919876543210' }, { fetch })
    expect(india).toMatchObject({ outcome: 'sent', provider: 'twofactor' })
    const us = await route([p.twofactor, p.twilio], sms, { fetch })
    expect(us).toMatchObject({
      outcome: 'sent',
      provider: 'twilio',
      attempts: [{ provider: 'twilio' }],
    })
    expect(fakes.twofactor.messages).toHaveLength(1)
  })

  it('passes each provider its receipt URL', async () => {
    const p = configured()
    const statusCallbackUrl = (name: string) => `https://auth.example.com/v1/webhooks/${name}`
    await route([p.twilio], sms, { fetch, statusCallbackUrl })
    expect(fakes.twilio.messages[0]?.fields.StatusCallback).toBe(
      'https://auth.example.com/v1/webhooks/twilio',
    )
  })

  it('tries each provider once even if listed twice, in the order given', () => {
    const p = configured()
    const list = eligibleProviders([p.smstools, p.twilio, p.smstools, p.clickatell], sms.to, 'sms')
    expect(list.map((x) => x.name)).toEqual(['smstools', 'twilio', 'clickatell'])
  })

  it('stops at the first sent and never calls another client for the same message', async () => {
    const calls: string[] = []
    const stub = (name: 'twilio' | 'smstools', result: SendResult): ConfiguredProvider => {
      const client: ProviderClient = {
        ...(name === 'twilio' ? twilio : smstools),
        send: async () => {
          calls.push(name)
          return result
        },
      }
      return { name, client, credentials: {}, voice: false }
    }
    const result = await route(
      [
        stub('twilio', { status: 'sent', messageId: 'm1' }),
        stub('smstools', { status: 'sent', messageId: 'm2' }),
      ],
      sms,
      { fetch },
    )
    expect(result).toMatchObject({ outcome: 'sent', provider: 'twilio', messageId: 'm1' })
    expect(calls).toEqual(['twilio'])
  })

  it('treats a client that throws as failed, without keeping its message', async () => {
    const throwing: ProviderClient = {
      ...twilio,
      send: () => Promise.reject(new Error(`boom ${TWILIO_CREDENTIALS.authToken} ${CODE}`)),
    }
    const p = configured()
    const result = await route([{ ...p.twilio, client: throwing }, p.smstools], sms, { fetch })
    expect(result).toMatchObject({ outcome: 'sent', provider: 'smstools' })
    expect(result.attempts[0]).toMatchObject({
      status: 'failed',
      error: 'twilio: unexpected client error',
    })
    expect(JSON.stringify(result)).not.toContain(TWILIO_CREDENTIALS.authToken)
  })
})
