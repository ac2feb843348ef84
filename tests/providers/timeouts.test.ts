/**
 * The router's time rules (issue 12): a timeout stops the route unless the provider that timed
 * out has `failoverAfterTimeout`, and the whole route keeps within one budget, real HTTP fakes
 * hanging on 127.0.0.1 with short timeouts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { clickatell, smstools, twilio } from '../../edge/providers/index.js'
import { mayHaveSent, MIN_ATTEMPT_MS, route } from '../../edge/providers/router.js'
import type { ConfiguredProvider } from '../../edge/providers/router.js'
import type { OutboundMessage } from '../../edge/providers/types.js'
import { CLICKATELL_CREDENTIALS, startClickatell } from '../fakes/clickatell.js'
import type { Fake } from '../fakes/server.js'
import { SMSTOOLS_CREDENTIALS, startSmstools } from '../fakes/smstools.js'
import { TWILIO_CREDENTIALS, startTwilio } from '../fakes/twilio.js'

const sms: OutboundMessage = {
  to: '+14155550123',
  channel: 'sms',
  text: 'Your login code is 482913\n@example.com #482913',
  code: '482913',
  kind: 'code',
  locale: 'en',
}

let fakes: { twilio: Fake; clickatell: Fake; smstools: Fake }
beforeAll(async () => {
  fakes = {
    twilio: await startTwilio(),
    clickatell: await startClickatell(),
    smstools: await startSmstools(),
  }
})
afterAll(async () => {
  for (const fake of Object.values(fakes)) await fake.close()
})
beforeEach(() => {
  for (const fake of Object.values(fakes)) {
    fake.setMode(null)
    fake.requests.length = 0
    fake.messages.length = 0
  }
})

function configured(): Record<'twilio' | 'clickatell' | 'smstools', ConfiguredProvider> {
  const one = (
    name: 'twilio' | 'clickatell' | 'smstools',
    client: ConfiguredProvider['client'],
    credentials: Record<string, string>,
  ): ConfiguredProvider => ({
    name,
    client,
    credentials,
    baseUrl: fakes[name].baseUrl,
    voice: false,
  })
  return {
    twilio: one('twilio', twilio, TWILIO_CREDENTIALS),
    clickatell: one('clickatell', clickatell, CLICKATELL_CREDENTIALS),
    smstools: one('smstools', smstools, SMSTOOLS_CREDENTIALS),
  }
}

describe('provider router: timeouts and the send budget', () => {
  it('stops at a timeout by default: the message may have been delivered (T38)', async () => {
    fakes.smstools.setMode('hang')
    const p = configured()
    // The switch of the provider that timed out decides, not the next one's.
    const next = { ...p.twilio, failoverAfterTimeout: true }
    const result = await route([p.smstools, next], sms, { fetch, timeoutMs: 300 })
    expect(result).toEqual({
      outcome: 'unknown',
      provider: 'smstools',
      attempts: [
        {
          provider: 'smstools',
          status: 'timeout',
          error: 'timeout after 300 ms',
          ms: expect.any(Number),
        },
      ],
    })
    expect(mayHaveSent(result)).toBe(true)
    // One request at most (none when the abort came first, on a loaded machine), never a retry.
    expect(fakes.smstools.requests.length).toBeLessThanOrEqual(1)
    expect(fakes.twilio.requests).toHaveLength(0)
  })

  it('keeps the whole route within its budget: a call never gets more than what is left', async () => {
    fakes.smstools.setMode('hang')
    fakes.twilio.setMode('hang')
    const p = configured()
    const both = [p.smstools, p.twilio].map((x) => ({ ...x, failoverAfterTimeout: true }))
    const started = performance.now()
    const result = await route(both, sms, { fetch, timeoutMs: 300, budgetMs: 500 })
    const took = performance.now() - started
    expect(took).toBeGreaterThanOrEqual(490)
    expect(took).toBeLessThan(500 + 300)
    expect(result.outcome).toBe('unavailable')
    expect(result.attempts.map((a) => [a.provider, a.status])).toEqual([
      ['smstools', 'timeout'],
      ['twilio', 'timeout'],
    ])
    // The second call got what was left of the budget (about 200 ms), not its own 300 ms.
    const second = Number(/^timeout after (\d+) ms$/.exec(result.attempts[1]!.error!)?.[1])
    expect(second).toBeGreaterThanOrEqual(MIN_ATTEMPT_MS)
    expect(second).toBeLessThan(300)
    // Both timed out after sending their request: either may still deliver.
    expect(mayHaveSent(result)).toBe(true)
  })

  it('calls no provider once less than MIN_ATTEMPT_MS is left, and says why', async () => {
    fakes.smstools.setMode('hang')
    const p = configured()
    const list = [p.smstools, p.twilio, p.clickatell].map((x) => ({
      ...x,
      failoverAfterTimeout: true,
    }))
    const result = await route(list, sms, { fetch, timeoutMs: 300, budgetMs: 300 + 50 })
    expect(MIN_ATTEMPT_MS).toBeGreaterThan(50)
    expect(result).toMatchObject({ outcome: 'unavailable' })
    expect(result.attempts.slice(1)).toEqual([
      {
        provider: 'twilio',
        status: 'failed',
        error: 'twilio: not tried, the send budget was spent',
        ms: 0,
      },
      {
        provider: 'clickatell',
        status: 'failed',
        error: 'clickatell: not tried, the send budget was spent',
        ms: 0,
      },
    ])
    expect(fakes.twilio.requests).toHaveLength(0)
    expect(fakes.clickatell.requests).toHaveLength(0)
  })
})
