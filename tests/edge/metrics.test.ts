/** GET /metrics: Prometheus text of this instance, for the admin or a metrics token only. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, lastCode, phoneNo, testApp, type TestApp } from '../helpers/app.js'

const METRICS_TOKEN = 'metrics-token-0123456789'
let t: TestApp
beforeEach(async () => {
  t = await testApp({ env: { SMS_AUTH_METRICS_TOKEN: METRICS_TOKEN } })
})
afterEach(() => t.close())

async function scrape(token = METRICS_TOKEN): Promise<string> {
  const r = await t.call('GET', '/metrics', undefined, { authorization: `Bearer ${token}` })
  expect(r.status).toBe(200)
  expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return r.text
}

/** The value of one sample, by its name and labels as written. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line ? Number(line.slice(series.length + 1)) : undefined
}

describe('GET /metrics', () => {
  it('is refused without the admin or metrics token', async () => {
    expect((await t.call('GET', '/metrics')).status).toBe(401)
    const wrong = await t.call('GET', '/metrics', undefined, { authorization: 'Bearer nope-nope' })
    expect(wrong.status).toBe(401)
    await scrape(ADMIN_TOKEN)
  })

  it('counts requests by route and status, latency, verifications, sends and limit refusals', async () => {
    const phone = phoneNo(950)
    const v = await t.call('POST', '/v1/verifications', { purpose: 'register', phone })
    await t.call('POST', `/v1/verifications/${v.body.id}/check`, { code: '000000' })
    await t.call('POST', `/v1/verifications/${v.body.id}/check`, { code: await lastCode(t, phone) })
    for (let i = 0; i < 5; i++)
      await t.call('POST', '/v1/verifications', { purpose: 'login', phone })
    const text = await scrape()
    const route = 'method="POST",route="/v1/verifications"'
    expect(sample(text, `sms_auth_http_requests_total{${route},status="201"}`)).toBe(5)
    expect(sample(text, `sms_auth_http_requests_total{${route},status="429"}`)).toBe(1)
    const check = 'method="POST",route="/v1/verifications/:id/check"'
    expect(sample(text, `sms_auth_http_requests_total{${check},status="400"}`)).toBe(1)
    expect(sample(text, `sms_auth_http_request_duration_seconds_count{${route}}`)).toBe(6)
    expect(sample(text, `sms_auth_http_request_duration_seconds_bucket{${route},le="+Inf"}`)).toBe(
      6,
    )
    expect(
      sample(text, 'sms_auth_verifications_started_total{purpose="register",channel="sms"}'),
    ).toBe(1)
    expect(
      sample(text, 'sms_auth_verifications_started_total{purpose="login",channel="sms"}'),
    ).toBe(4)
    expect(sample(text, 'sms_auth_verifications_approved_total{purpose="register"}')).toBe(1)
    // The logins were to a number without an account: nothing was sent for them.
    expect(sample(text, 'sms_auth_sends_total{provider="console",outcome="sent"}')).toBe(1)
    expect(sample(text, 'sms_auth_rate_limit_refusals_total{limit="messages_per_number"}')).toBe(1)
    // Route patterns only: no id, code or number in any label.
    expect(text).not.toContain(v.body.id)
    expect(text).not.toContain(phone)
  })
})
