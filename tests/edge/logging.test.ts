/** One log line per API request, and the levels SMS_AUTH_LOG_LEVEL filters on. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig, ConfigError } from '../../edge/config.js'
import { enabled, levelOf } from '../../edge/logging.js'
import { lastCode, phoneNo, SECRET, testApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const requests = () =>
  t.logs.map((l) => JSON.parse(l)).filter((e: { event: string }) => e.event === 'request')

describe('request log', () => {
  it('logs method, route pattern, status, duration and id for every request, and answers the id', async () => {
    const phone = phoneNo(901)
    const v = await t.call('POST', '/v1/verifications', { purpose: 'register', phone })
    const code = await lastCode(t, phone)
    const checked = await t.call('POST', `/v1/verifications/${v.body.id}/check`, { code })
    await t.call('GET', '/v1/nope')
    const lines = requests()
    expect(lines.map((l) => [l.method, l.route, l.status])).toEqual([
      ['POST', '/v1/verifications', 201],
      ['GET', '/v1/dev/outbox', 200],
      ['POST', '/v1/verifications/:id/check', 200],
      ['GET', '/*', 404],
    ])
    for (const l of lines) {
      expect(l.id).toMatch(/^req_[a-z2-7]+$/)
      expect(typeof l.ms).toBe('number')
    }
    expect(checked.headers.get('x-request-id')).toBe(lines[2].id)
    // The pattern, never the path: no verification id, no code, no number in any line.
    const all = t.logs.join('\n')
    for (const secret of [v.body.id, code, phone, checked.body.registrationTicket])
      expect(all).not.toContain(secret)
  })

  it("keeps a caller's sane request id and replaces one that is not", async () => {
    const kept = await t.call('GET', '/v1/config', undefined, { 'x-request-id': 'lb-1234-abcd' })
    expect(kept.headers.get('x-request-id')).toBe('lb-1234-abcd')
    const odd = await t.call('GET', '/v1/config', undefined, { 'x-request-id': 'x"<script>{}' })
    expect(odd.headers.get('x-request-id')).toMatch(/^req_/)
  })
})

describe('SMS_AUTH_LOG_LEVEL', () => {
  const env = { SMS_AUTH_SECRET: SECRET, SMS_AUTH_ADMIN_TOKEN: 'admin-token-0123456789' }
  it('defaults to info and refuses an unknown level with a one-line error', () => {
    expect(loadConfig(env).logLevel).toBe('info')
    expect(loadConfig({ ...env, SMS_AUTH_LOG_LEVEL: 'WARN' }).logLevel).toBe('warn')
    expect(() => loadConfig({ ...env, SMS_AUTH_LOG_LEVEL: 'loud' })).toThrow(ConfigError)
  })

  it('writes requests at info, failures at warn or error, nothing when silent', () => {
    expect(levelOf('request')).toBe('info')
    expect(levelOf('db_unavailable')).toBe('warn')
    expect(levelOf('error')).toBe('error')
    expect(enabled('info', 'warn')).toBe(false)
    expect(enabled('error', 'warn')).toBe(true)
    expect(enabled('error', 'silent')).toBe(false)
  })
})
