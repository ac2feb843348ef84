/**
 * Providers failing honestly (issue 12; SECURITY.md T36–T38), in production mode against real
 * HTTP fakes with short timeouts: one time budget per send across failover; a timed-out request
 * "may have been delivered", so it is recorded `unknown`, answered like a send and not failed over
 * unless the admin turned that on. (Limits given back after a failed send: refunds.security.test.ts.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Fake } from '../../fakes/server.js'
import { startSmstools } from '../../fakes/smstools.js'
import { signTwilio, startTwilio, TWILIO_CREDENTIALS, type TwilioFake } from '../../fakes/twilio.js'
import { phoneNo, PUBLIC_URL, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import {
  codeTo,
  freshAddress,
  messagesTo,
  productionApp,
  useProvider,
} from '../../helpers/production.js'

/**
 * Short, so the real timeouts take little real time (long enough for a request to reach a fake on
 * a loaded machine); the budget is less than two calls.
 */
const TIMEOUT_MS = 1000
const BUDGET_MS = 1600
/** A provider that takes the message and answers after the client gave up (the answer is lost). */
const LATE_MS = 3000

let twilio: TwilioFake
let smstools: Fake
let t: TestApp
beforeAll(async () => {
  ;[twilio, smstools] = await Promise.all([startTwilio(), startSmstools()])
})
afterAll(async () => {
  await Promise.all([twilio.close(), smstools.close()])
})
afterEach(() => {
  for (const f of [twilio, smstools]) {
    f.setMode(null)
    f.setDelay(0)
    f.messages.length = 0
    f.requests.length = 0
  }
  t?.close()
})

async function site(failover: { twilio?: boolean; smstools?: boolean } = {}) {
  t = await productionApp(
    ['IN', 'US', 'GB'],
    {},
    {
      SMS_AUTH_PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS),
      SMS_AUTH_SEND_BUDGET_MS: String(BUDGET_MS),
    },
  )
  await useProvider(t, 'twilio', twilio.baseUrl, {
    priority: 1,
    failoverAfterTimeout: failover.twilio ?? false,
  })
  await useProvider(t, 'smstools', smstools.baseUrl, {
    priority: 2,
    failoverAfterTimeout: failover.smstools ?? false,
  })
}

const ADDRESS = { 'x-forwarded-for': '198.51.100.77' }
const start = (phone: string, headers: Record<string, string> = freshAddress()) =>
  t.call('POST', '/v1/verifications', { purpose: 'register', phone }, headers)

async function rows() {
  const r = await t.db.execute(
    'SELECT provider, provider_message_id, status, attempts FROM messages ORDER BY rowid',
  )
  return r.rows.map((row) => ({
    provider: row.provider,
    providerMessageId: row.provider_message_id,
    status: row.status,
    attempts: (JSON.parse(String(row.attempts)) as { provider: string; status: string }[]).map(
      (a) => `${a.provider}:${a.status}`,
    ),
  }))
}

const limitEvents = async () =>
  Number((await t.db.execute('SELECT count(*) AS n FROM rate_events')).rows[0]!.n)
const verifications = async () =>
  Number((await t.db.execute('SELECT count(*) AS n FROM verifications')).rows[0]!.n)

/** Posts a receipt the Twilio fake signed, as a server hands it over (with Content-Length). */
async function receipt(sid: string, status: string) {
  const req = twilio.callback(sid, status)
  const body = await req.text()
  const headers = new Headers(req.headers)
  headers.set('content-length', String(Buffer.byteLength(body)))
  const res = await t.api.fetch(new Request(req.url, { method: 'POST', headers, body }))
  expect(res.status).toBe(200)
}

/** A delivered-status callback Twilio signed for any message id and destination. */
async function signedReceipt(fields: { MessageSid: string; To: string }) {
  const url = `${PUBLIC_URL}/v1/webhooks/twilio`
  const params = {
    ...fields,
    MessageStatus: 'delivered',
    AccountSid: TWILIO_CREDENTIALS.accountSid,
  }
  const body = new URLSearchParams(params).toString()
  const res = await t.api.fetch(
    new Request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(body.length),
        'x-twilio-signature': signTwilio(TWILIO_CREDENTIALS.authToken, url, params),
      },
      body,
    }),
  )
  expect(res.status).toBe(200)
}

describe('T36 one time budget per send', () => {
  it('T36 answers 503 provider_unavailable within the budget when two providers hang, failover after a timeout on', async () => {
    await site({ twilio: true, smstools: true })
    twilio.setMode('hang')
    smstools.setMode('hang')
    const started = performance.now()
    const r = await start(phoneNo(1))
    const took = performance.now() - started
    expectProblem(r, 503, 'provider_unavailable')
    // Each call keeps its own timeout (1 s), the second gets only what is left (about 600 ms).
    expect(took).toBeGreaterThanOrEqual(BUDGET_MS - 10)
    expect(took).toBeLessThan(BUDGET_MS + 500)
    // One request each at most: nothing is retried.
    expect(twilio.requests.length).toBeLessThanOrEqual(1)
    expect(smstools.requests.length).toBeLessThanOrEqual(1)
    expect(await verifications()).toBe(0)
    // Both requests went out and were never answered: either may deliver, so the send is unknown
    // and its limits keep counting.
    expect(await rows()).toEqual([
      {
        provider: 'smstools',
        providerMessageId: null,
        status: 'unknown',
        attempts: ['twilio:timeout', 'smstools:timeout'],
      },
    ])
    expect(await limitEvents()).toBe(3)
  })

  it('T36 still fails over at once from a 503 and a 429, within the budget', async () => {
    await site()
    twilio.setMode('server-error')
    const r = await start(phoneNo(2))
    expect(r.status, r.text).toBe(201)
    expect(messagesTo(smstools, phoneNo(2))).toHaveLength(1)
    twilio.setMode('rate-limit')
    expect((await start(phoneNo(3))).status).toBe(201)
    expect(messagesTo(smstools, phoneNo(3))).toHaveLength(1)
    expect((await rows()).map((x) => x.attempts)).toEqual([
      ['twilio:failed', 'smstools:sent'],
      ['twilio:failed', 'smstools:sent'],
    ])
  })
})

describe('T38 a request that timed out may have been delivered', () => {
  it('T38 (our decision) does not fail over by default: 201, the send is unknown, the code that arrives works, and a receipt moves the record', async () => {
    await site()
    twilio.setDelay(LATE_MS)
    const phone = phoneNo(4)
    const started = performance.now()
    const r = await start(phone, ADDRESS)
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 500)
    expect(r.status, r.text).toBe(201)
    expect(smstools.requests).toHaveLength(0)
    // Twilio took it; only its answer was lost.
    expect(messagesTo(twilio, phone)).toHaveLength(1)
    const sid = twilio.messages[0]!.id
    expect(await rows()).toEqual([
      {
        provider: 'twilio',
        providerMessageId: null,
        status: 'unknown',
        attempts: ['twilio:timeout'],
      },
    ])
    // It may have gone out, so it counts (address, prefix, number).
    expect(await limitEvents()).toBe(3)

    await receipt(sid, 'sent')
    expect(await rows()).toEqual([
      { provider: 'twilio', providerMessageId: sid, status: 'sent', attempts: ['twilio:timeout'] },
    ])
    // Now matched by its id: later receipts move it on, and never back.
    await receipt(sid, 'delivered')
    await receipt(sid, 'queued')
    expect((await rows())[0]!.status).toBe('delivered')

    const ok = await t.call('POST', `/v1/verifications/${r.body.id}/check`, {
      code: codeTo(twilio, phone),
    })
    expect(ok.status, ok.text).toBe(200)
  })

  it('T38 a receipt of an unknown message id claims the unknown send of its own number only', async () => {
    await site()
    twilio.setDelay(LATE_MS)
    expect((await start(phoneNo(5))).status).toBe(201)
    await signedReceipt({ MessageSid: `SM${'e'.repeat(32)}`, To: phoneNo(6) })
    expect((await rows())[0]).toMatchObject({ status: 'unknown', providerMessageId: null })
    await signedReceipt({ MessageSid: `SM${'f'.repeat(32)}`, To: phoneNo(5) })
    expect((await rows())[0]).toMatchObject({
      status: 'delivered',
      providerMessageId: `SM${'f'.repeat(32)}`,
    })
  })

  it('T38 a failed receipt moves an unknown send to failed; the user resends, the same code again', async () => {
    await site()
    twilio.setDelay(LATE_MS)
    const phone = phoneNo(7)
    const r = await start(phone)
    const code = codeTo(twilio, phone)
    await receipt(twilio.messages[0]!.id, 'undelivered')
    expect((await rows())[0]).toMatchObject({ status: 'failed' })
    twilio.setDelay(0)
    t.clock.advance(31_000)
    const again = await t.call('POST', `/v1/verifications/${r.body.id}/resend`, {})
    expect(again.status, again.text).toBe(200)
    expect(codeTo(twilio, phone)).toBe(code)
    expect(smstools.requests).toHaveLength(0)
  })

  it('T36 fails over after a timeout when the admin turned failoverAfterTimeout on: two messages, one code', async () => {
    await site({ twilio: true })
    twilio.setDelay(LATE_MS)
    const phone = phoneNo(8)
    const r = await start(phone)
    expect(r.status, r.text).toBe(201)
    // The trade-off the admin accepted: the late provider delivered too.
    expect(messagesTo(twilio, phone)).toHaveLength(1)
    expect(messagesTo(smstools, phone)).toHaveLength(1)
    expect(codeTo(twilio, phone)).toBe(codeTo(smstools, phone))
    expect(await rows()).toEqual([
      {
        provider: 'smstools',
        providerMessageId: smstools.messages[0]!.id,
        status: 'sent',
        attempts: ['twilio:timeout', 'smstools:sent'],
      },
    ])
  })
})
