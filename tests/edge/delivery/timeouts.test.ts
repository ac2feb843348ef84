/**
 * The send budget and the timeout switch as an operator and an admin meet them: the environment
 * variables (validated, documented defaults), `failoverAfterTimeout` on the admin API (off by
 * default, audited), and the test route reporting a send whose answer never came.
 */
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../edge/config.js'
import { phoneNo } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import { configure, messageRows, useDelivery } from './fixture.js'

const s = useDelivery({
  SMS_AUTH_MODE: 'production',
  SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: '1',
  SMS_AUTH_PROVIDER_TIMEOUT_MS: '300',
})

const GENERATED = { secret: 'cd'.repeat(32), adminToken: 'generated-admin-token-0000' }

describe('SMS_AUTH_SEND_BUDGET_MS and SMS_AUTH_PROVIDER_TIMEOUT_MS', () => {
  it('default to 8 s per send and 5 s per provider call', () => {
    expect(loadConfig({}, GENERATED)).toMatchObject({ sendBudgetMs: 8000, providerTimeoutMs: 5000 })
    const set = { SMS_AUTH_SEND_BUDGET_MS: '1500', SMS_AUTH_PROVIDER_TIMEOUT_MS: '700' }
    expect(loadConfig(set, GENERATED)).toMatchObject({ sendBudgetMs: 1500, providerTimeoutMs: 700 })
  })

  it.each([
    ['SMS_AUTH_SEND_BUDGET_MS', '8s'],
    ['SMS_AUTH_SEND_BUDGET_MS', '0'],
    ['SMS_AUTH_SEND_BUDGET_MS', '600001'],
    ['SMS_AUTH_PROVIDER_TIMEOUT_MS', '-5'],
    ['SMS_AUTH_PROVIDER_TIMEOUT_MS', '2.5'],
  ])('refuses %s=%s with a one-line ConfigError', (variable, value) => {
    let caught: unknown
    try {
      loadConfig({ [variable]: value }, GENERATED)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(ConfigError)
    const message = (caught as ConfigError).message
    expect(message).toContain(variable)
    expect(message).not.toMatch(/\n/)
  })
})

describe('PUT /v1/admin/integrations/{provider} failoverAfterTimeout', () => {
  it('is off by default, kept when a PUT leaves it out, and audited', async () => {
    await configure(s, 'twilio')
    expect((await s.t.admin('GET', '/v1/admin/integrations/twilio')).body).toMatchObject({
      failoverAfterTimeout: false,
    })
    await configure(s, 'twilio', { failoverAfterTimeout: true })
    const kept = await s.t.admin('PUT', '/v1/admin/integrations/twilio', { enabled: true })
    expect(kept.status, kept.text).toBe(200)
    expect(kept.body.failoverAfterTimeout).toBe(true)
    const list = await s.t.admin('GET', '/v1/admin/integrations')
    const views = list.body.integrations as { provider: string; failoverAfterTimeout: boolean }[]
    expect(views.find((v) => v.provider === 'twilio')?.failoverAfterTimeout).toBe(true)
    expect(views.find((v) => v.provider === 'smstools')?.failoverAfterTimeout).toBe(false)
    const audit = await s.t.admin('GET', '/v1/admin/audit?action=admin.integration')
    expect(audit.body.events[1].detail).toMatchObject({ failoverAfterTimeout: true })
  })

  it('refuses a value that is not a boolean', async () => {
    const r = await s.t.admin('PUT', '/v1/admin/integrations/twilio', {
      enabled: false,
      failoverAfterTimeout: 'yes',
    })
    expectProblem(r, 400, 'invalid_request')
  })
})

describe('POST /v1/admin/integrations/{provider}/test with a provider that does not answer', () => {
  it('reports outcome unknown with the timeout, and records the send as unknown', async () => {
    await configure(s, 'smstools')
    s.fakes.smstools.setMode('hang')
    const r = await s.t.admin('POST', '/v1/admin/integrations/smstools/test', {
      phone: phoneNo(91),
    })
    expect(r.status, r.text).toBe(200)
    expect(r.body).toEqual({
      provider: 'smstools',
      outcome: 'unknown',
      error: 'timeout after 300 ms',
      attempts: [
        {
          provider: 'smstools',
          status: 'timeout',
          error: 'timeout after 300 ms',
          ms: expect.any(Number),
        },
      ],
    })
    expect((await messageRows(s.t))[0]).toMatchObject({ provider: 'smstools', status: 'unknown' })
  })
})
