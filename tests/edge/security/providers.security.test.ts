/**
 * Providers failing (SECURITY.md T36–T39), in production mode against real HTTP fakes: a retryable
 * failure moves on to the next provider exactly once, a permanent one does not, an accepted
 * message is never sent again by itself, and a repeated start is bounded by the per-number cap.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startClickatell } from '../../fakes/clickatell.js'
import { startResetServer, type ResetServer } from '../../fakes/reset.js'
import type { Fake, FailMode } from '../../fakes/server.js'
import { startSmstools } from '../../fakes/smstools.js'
import { startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { phoneNo, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import {
  codeTo,
  freshAddress,
  messagesTo,
  productionApp,
  useProvider,
  type ProviderName,
} from '../../helpers/production.js'

let twilio: TwilioFake
let clickatell: Fake
let smstools: Fake
let reset: ResetServer
let t: TestApp
beforeAll(async () => {
  ;[twilio, clickatell, smstools, reset] = await Promise.all([
    startTwilio(),
    startClickatell(),
    startSmstools(),
    startResetServer(),
  ])
})
afterAll(async () => {
  await Promise.all([twilio.close(), clickatell.close(), smstools.close(), reset.close()])
})
afterEach(() => {
  for (const f of [twilio, clickatell, smstools]) {
    f.setMode(null)
    f.messages.length = 0
    f.requests.length = 0
  }
  reset.connections = 0
  t?.close()
})

const fakes = () => ({ twilio, clickatell, smstools })
const start = (phone: string, headers = freshAddress()) =>
  t.call('POST', '/v1/verifications', { purpose: 'register', phone }, headers)

async function attempts(id: string) {
  const r = await t.db.execute({
    sql: 'SELECT status, attempts FROM messages WHERE verification_id = ? ORDER BY rowid',
    args: [id],
  })
  return r.rows.map((row) => ({
    status: String(row.status),
    attempts: JSON.parse(String(row.attempts)) as { provider: string; status: string }[],
  }))
}

describe('T36 failover on a retryable failure', () => {
  it.each<[string, ProviderName, FailMode | 'reset']>([
    ['503', 'clickatell', 'server-error'],
    ['429', 'twilio', 'rate-limit'],
    ['a TCP reset', 'twilio', 'reset'],
    ['a hang past the 5 s timeout (failoverAfterTimeout on)', 'twilio', 'hang'],
  ])(
    'T36 moves on from %s to the next provider: one message, one request to the first, failover recorded',
    async (_, primary, mode) => {
      t = await productionApp()
      const first = fakes()[primary as 'twilio' | 'clickatell']
      // A timeout may still deliver: only the admin's switch makes it fail over (T38, below).
      await useProvider(t, primary, mode === 'reset' ? reset.baseUrl : first.baseUrl, {
        priority: 1,
        failoverAfterTimeout: mode === 'hang',
      })
      await useProvider(t, 'smstools', smstools.baseUrl, { priority: 2 })
      if (mode !== 'reset') first.setMode(mode)
      const phone = phoneNo(1)
      const started = Date.now()
      const r = await start(phone)
      expect(r.status, r.text).toBe(201)
      if (mode === 'hang') expect(Date.now() - started).toBeGreaterThanOrEqual(4900)
      // No hidden retry: the first provider saw one request (or one connection).
      expect(mode === 'reset' ? reset.connections : first.requests.length).toBe(1)
      expect(first.messages).toHaveLength(0)
      expect(smstools.messages).toHaveLength(1)
      expect(twilio.messages.length + clickatell.messages.length).toBe(0)
      expect(await attempts(r.body.id)).toEqual([
        {
          status: 'sent',
          attempts: [
            expect.objectContaining({
              provider: primary,
              status: mode === 'hang' ? 'timeout' : 'failed',
            }),
            expect.objectContaining({ provider: 'smstools', status: 'sent' }),
          ],
        },
      ])
      const ok = await t.call('POST', `/v1/verifications/${r.body.id}/check`, {
        code: codeTo(smstools, phone),
      })
      expect(ok.status).toBe(200)
    },
    20_000,
  )
})

describe('T37 no failover on a permanent failure', () => {
  it.each<[ProviderName, FailMode]>([
    ['twilio', 'invalid-number'],
    ['twilio', 'opted-out'],
    ['clickatell', 'opted-out'],
    ['clickatell', 'invalid-number'],
  ])(
    'T37 stops at %s answering %s: the next provider gets nothing, the caller invalid_phone',
    async (primary, mode) => {
      t = await productionApp()
      const first = fakes()[primary as 'twilio' | 'clickatell']
      await useProvider(t, primary, first.baseUrl, { priority: 1 })
      await useProvider(t, 'smstools', smstools.baseUrl, { priority: 2 })
      first.setMode(mode)
      const r = await start(phoneNo(2))
      expectProblem(r, 400, 'invalid_phone')
      expect(first.requests).toHaveLength(1)
      expect(smstools.requests).toHaveLength(0)
      const rows = await t.db.execute('SELECT status, attempts FROM messages')
      expect(rows.rows.map((x) => x.status)).toEqual(['rejected'])
      expect(JSON.parse(String(rows.rows[0]!.attempts))).toHaveLength(1)
      expect((await t.db.execute('SELECT count(*) AS n FROM verifications')).rows[0]!.n).toBe(0)
    },
  )
})

describe('T38 an accepted message without a receipt', () => {
  it('T38 (our decision) is never sent again by itself, not even after a failed receipt; only the user’s resend sends again, with the same code', async () => {
    t = await productionApp()
    await useProvider(t, 'twilio', twilio.baseUrl, { priority: 1 })
    await useProvider(t, 'smstools', smstools.baseUrl, { priority: 2 })
    const phone = phoneNo(3)
    const r = await start(phone)
    const code = codeTo(twilio, phone)
    for (const ms of [30_000, 60_000, 4 * 60_000]) {
      t.clock.advance(ms)
      // Other traffic, and the maintenance job, go on meanwhile.
      for (let i = 0; i < 5; i++) await start(phoneNo(10 + i))
      await t.api.maintain()
      await t.api.idle()
      expect(messagesTo(twilio, phone)).toHaveLength(1)
    }
    const receipt = twilio.callback(twilio.messages[0]!.id, 'undelivered', { ErrorCode: '30003' })
    const body = await receipt.text()
    const headers = new Headers(receipt.headers)
    headers.set('content-length', String(Buffer.byteLength(body)))
    const res = await t.api.fetch(new Request(receipt.url, { method: 'POST', headers, body }))
    expect(res.status).toBe(200)
    await t.api.idle()
    expect(messagesTo(twilio, phone)).toHaveLength(1)
    expect(messagesTo(smstools, phone)).toHaveLength(0)
    expect((await attempts(r.body.id))[0]!.status).toBe('failed')

    const again = await t.call('POST', `/v1/verifications/${r.body.id}/resend`, {})
    expect(again.status, again.text).toBe(200)
    expect(messagesTo(twilio, phone)).toHaveLength(2)
    expect(codeTo(twilio, phone)).toBe(code)
    expect((await t.call('POST', `/v1/verifications/${r.body.id}/check`, { code })).status).toBe(
      200,
    )
  })
})

describe('T39 a start repeated', () => {
  it('T39 (our decision: no Idempotency-Key) makes separate verifications of 50 concurrent identical starts, and at most 5 messages reach the number', async () => {
    t = await productionApp()
    await useProvider(t, 'twilio', twilio.baseUrl)
    const phone = phoneNo(4)
    const headers = {
      'idempotency-key': 'f1c2e3d4-0000-4000-8000-000000000001',
      'x-forwarded-for': '198.51.100.9',
    }
    const results = await Promise.all(Array.from({ length: 50 }, () => start(phone, headers)))
    const ok = results.filter((r) => r.status === 201)
    expect(ok).toHaveLength(5)
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(5)
    for (const r of results) if (r.status !== 201) expectProblem(r, 429, 'rate_limited')
    expect(twilio.requests).toHaveLength(5)
    expect(messagesTo(twilio, phone)).toHaveLength(5)
    for (const r of results) expect(r.headers.get('idempotency-key')).toBeNull()
  })
})
