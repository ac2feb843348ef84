/**
 * End to end through the public API in production mode: codes reach the user through each
 * provider's fake, failover moves on only after a retryable failure, and a failed send leaves no
 * usable verification.
 */
import { describe, expect, it } from 'vitest'
import { phoneNo, PUBLIC_URL, type TestApp } from '../../helpers/app.js'
import { check, expectProblem } from '../../helpers/extra.js'
import type { FailMode } from '../../fakes/server.js'
import {
  configure,
  expectNoSecrets,
  messageRows,
  received,
  useDelivery,
  type Name,
} from './fixture.js'

const s = useDelivery()
const FRENCH = '+33612345678'

async function startCode(t: TestApp, phone: string, channel: 'sms' | 'voice' = 'sms') {
  return t.call('POST', '/v1/verifications', { purpose: 'register', phone, channel })
}

async function verificationCount(t: TestApp): Promise<number> {
  const r = await t.db.execute('SELECT count(*) AS n FROM verifications')
  return Number(r.rows[0]!.n)
}

describe('POST /v1/verifications through the providers', () => {
  it.each<[Name, number]>([
    ['twilio', 11],
    ['clickatell', 12],
    ['twofactor', 13],
    ['smstools', 14],
  ])('delivers a code through %s, and the code verifies', async (name, n) => {
    await configure(s, name)
    const phone = phoneNo(n)
    const r = await startCode(s.t, phone)
    expect(r.status, r.text).toBe(201)
    expectNoSecrets(r.text)

    const got = received(s)
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({ provider: name, channel: 'sms' })
    // Each provider takes the number in its own format, all of them ending in the national digits.
    expect(phone.slice(1).endsWith(got[0]!.to.replace(/\D/g, ''))).toBe(true)
    expect(got[0]!.to.replace(/\D/g, '')).toMatch(/\d{10}$/)
    const code = s.fakes[name].lastCode()
    expect(code).toMatch(/^\d{6}$/)
    if (name !== 'twofactor') expect(got[0]!.text).toContain(`@127.0.0.1 #${code}`)

    const ok = await check(s.t, r.body.id, code!)
    expect(ok.status, ok.text).toBe(200)
    expect(ok.body.status).toBe('approved')

    const [row] = await messageRows(s.t)
    expect(row).toMatchObject({
      provider: name,
      provider_message_id: got[0]!.id,
      status: 'sent',
      error: null,
      channel: 'sms',
    })
    expect(JSON.parse(row!.attempts!)).toEqual([
      expect.objectContaining({ provider: name, status: 'sent', messageId: got[0]!.id }),
    ])
    // The record keeps neither the code nor the full number.
    const stored = JSON.stringify(row)
    expect(stored).not.toContain(code!)
    expect(stored).not.toContain(phone.slice(1))
  })

  it('asks Twilio for status callbacks at the public webhook URL', async () => {
    await configure(s, 'twilio')
    expect((await startCode(s.t, phoneNo(15))).status).toBe(201)
    expect(s.fakes.twilio.messages[0]!.fields.StatusCallback).toBe(
      `${PUBLIC_URL}/v1/webhooks/twilio`,
    )
  })

  it.each<[Name, number]>([
    ['twilio', 21],
    ['twofactor', 22],
    ['smstools', 23],
  ])('calls through %s when voice is on, and the spoken code verifies', async (name, n) => {
    await configure(s, name, { voice: true })
    const r = await startCode(s.t, phoneNo(n), 'voice')
    expect(r.status, r.text).toBe(201)
    const got = received(s)
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({ provider: name, channel: 'voice' })
    const code = s.fakes[name].lastCode()
    expect(code).toMatch(/^\d{6}$/)
    expect((await check(s.t, r.body.id, code!)).status).toBe(200)
    expect((await messageRows(s.t))[0]).toMatchObject({
      provider: name,
      channel: 'voice',
      status: 'sent',
    })
  })

  it('sends voice only to providers whose voice switch is on', async () => {
    await configure(s, 'twilio', { priority: 1, voice: false })
    await configure(s, 'smstools', { priority: 2, voice: true })
    const r = await startCode(s.t, phoneNo(24), 'voice')
    expect(r.status, r.text).toBe(201)
    expect(s.fakes.twilio.requests).toHaveLength(0)
    expect(received(s)).toEqual([
      expect.objectContaining({ provider: 'smstools', channel: 'voice' }),
    ])
  })

  it('answers 503 to a voice request when no provider has voice on', async () => {
    await configure(s, 'clickatell')
    await configure(s, 'twilio', { priority: 2, voice: false })
    expectProblem(await startCode(s.t, phoneNo(25), 'voice'), 503, 'provider_unavailable')
    expect(s.fakes.clickatell.requests).toHaveLength(0)
    expect(s.fakes.twilio.requests).toHaveLength(0)
    expect(await verificationCount(s.t)).toBe(0)
  })

  it('switches a verification to voice on resend', async () => {
    await configure(s, 'twilio', { voice: true })
    const r = await startCode(s.t, phoneNo(26))
    s.t.clock.advance(31_000)
    const again = await s.t.call('POST', `/v1/verifications/${r.body.id}/resend`, {
      channel: 'voice',
    })
    expect(again.status, again.text).toBe(200)
    expect(s.fakes.twilio.messages.map((m) => m.channel)).toEqual(['sms', 'voice'])
    expect((await check(s.t, r.body.id, s.fakes.twilio.lastCode()!)).status).toBe(200)
  })

  it('uses 2Factor.in for Indian numbers only', async () => {
    await configure(s, 'twofactor', { priority: 1 })
    expectProblem(await startCode(s.t, FRENCH), 503, 'provider_unavailable')
    expect(s.fakes.twofactor.requests).toHaveLength(0)

    await configure(s, 'twilio', { priority: 2 })
    expect((await startCode(s.t, FRENCH)).status).toBe(201)
    expect((await startCode(s.t, phoneNo(27))).status).toBe(201)
    expect(s.fakes.twofactor.messages.map((m) => m.to)).toEqual([phoneNo(27).slice(3)])
    expect(s.fakes.twilio.messages.map((m) => m.to)).toEqual([FRENCH])
  })
})

describe('failover', () => {
  it.each<[FailMode, number]>([
    ['server-error', 31],
    ['rate-limit', 32],
    ['no-balance', 33],
  ])(
    'moves on from a first provider failing with %s and delivers exactly one message',
    async (mode, n) => {
      await configure(s, 'clickatell', { priority: 1 })
      await configure(s, 'smstools', { priority: 2 })
      await configure(s, 'twilio', { priority: 3 })
      s.fakes.clickatell.setMode(mode)
      const r = await startCode(s.t, phoneNo(n))
      expect(r.status, r.text).toBe(201)
      expect(s.fakes.clickatell.requests).toHaveLength(1)
      expect(received(s)).toEqual([expect.objectContaining({ provider: 'smstools' })])
      expect(s.fakes.twilio.requests).toHaveLength(0)
      expect((await check(s.t, r.body.id, s.fakes.smstools.lastCode()!)).status).toBe(200)
      const [row] = await messageRows(s.t)
      expect(row).toMatchObject({ provider: 'smstools', status: 'sent' })
      expect(JSON.parse(row!.attempts!).map((a: { status: string }) => a.status)).toEqual([
        'failed',
        'sent',
      ])
    },
  )

  it('gives up on a provider that hangs after the 5 s timeout and delivers once elsewhere, when failoverAfterTimeout is on', async () => {
    await configure(s, 'twilio', { priority: 1, failoverAfterTimeout: true })
    await configure(s, 'smstools', { priority: 2 })
    s.fakes.twilio.setMode('hang')
    const started = Date.now()
    const r = await startCode(s.t, phoneNo(34))
    const took = Date.now() - started
    expect(r.status, r.text).toBe(201)
    expect(took).toBeGreaterThanOrEqual(4900)
    expect(took).toBeLessThan(15_000)
    expect(s.fakes.twilio.requests).toHaveLength(1)
    expect(received(s)).toEqual([expect.objectContaining({ provider: 'smstools' })])
    const [row] = await messageRows(s.t)
    expect(JSON.parse(row!.attempts!)[0]).toMatchObject({
      provider: 'twilio',
      status: 'timeout',
      error: expect.stringMatching(/timeout/),
    })
  })

  it('tries providers in priority order, lowest number first', async () => {
    await configure(s, 'twilio', { priority: 20 })
    await configure(s, 'smstools', { priority: 5 })
    await configure(s, 'clickatell', { priority: 10 })
    expect((await startCode(s.t, phoneNo(35))).status).toBe(201)
    expect(received(s)).toEqual([expect.objectContaining({ provider: 'smstools' })])
  })

  it('skips disabled integrations', async () => {
    await configure(s, 'smstools', { priority: 1, enabled: false })
    await configure(s, 'twilio', { priority: 2 })
    expect((await startCode(s.t, phoneNo(36))).status).toBe(201)
    expect(s.fakes.smstools.requests).toHaveLength(0)
    expect(received(s)).toEqual([expect.objectContaining({ provider: 'twilio' })])
  })

  it('answers 503 provider_unavailable when every provider fails, and keeps no verification', async () => {
    await configure(s, 'twilio', { priority: 1 })
    await configure(s, 'clickatell', { priority: 2 })
    s.fakes.twilio.setMode('server-error')
    s.fakes.clickatell.setMode('rate-limit')
    const r = await startCode(s.t, phoneNo(37))
    expectProblem(r, 503, 'provider_unavailable')
    expectNoSecrets(r.text)
    expect(s.fakes.twilio.requests).toHaveLength(1)
    expect(s.fakes.clickatell.requests).toHaveLength(1)
    expect(received(s)).toHaveLength(0)
    expect(await verificationCount(s.t)).toBe(0)
    const [row] = await messageRows(s.t)
    expect(row).toMatchObject({ status: 'failed', provider_message_id: null })
    expect(JSON.parse(row!.attempts!)).toHaveLength(2)
  })

  it('answers 503 in production when nothing is configured', async () => {
    expectProblem(await startCode(s.t, phoneNo(38)), 503, 'provider_unavailable')
    expect(await verificationCount(s.t)).toBe(0)
    expect((await s.t.call('GET', '/v1/dev/outbox')).status).toBe(404)
  })

  it('does not count a resend that no provider took', async () => {
    await configure(s, 'twilio')
    const r = await startCode(s.t, phoneNo(39))
    const first = s.fakes.twilio.lastCode()!
    s.t.clock.advance(31_000)
    s.fakes.twilio.setMode('server-error')
    const failed = await s.t.call('POST', `/v1/verifications/${r.body.id}/resend`, {})
    expectProblem(failed, 503, 'provider_unavailable')
    // Not counted: the cooldown did not grow, a resend works at once when the provider is back.
    s.fakes.twilio.setMode(null)
    const again = await s.t.call('POST', `/v1/verifications/${r.body.id}/resend`, {})
    expect(again.status, again.text).toBe(200)
    expect(s.fakes.twilio.messages).toHaveLength(2)
    // A resend carries the same code (docs/security.md, resends), and it verifies.
    const second = s.fakes.twilio.lastCode()!
    expect(second).toBe(first)
    expect((await check(s.t, r.body.id, second)).status).toBe(200)
  })
})

describe('permanent rejections', () => {
  it.each<[Name, FailMode]>([
    ['twilio', 'invalid-number'],
    ['twilio', 'opted-out'],
    ['clickatell', 'invalid-number'],
    ['smstools', 'opted-out'],
    ['twofactor', 'invalid-number'],
  ])('does not fail over when %s refuses the number (%s): invalid_phone', async (name, mode) => {
    await configure(s, name, { priority: 1 })
    const other: Name = name === 'twilio' ? 'smstools' : 'twilio'
    await configure(s, other, { priority: 2 })
    s.fakes[name].setMode(mode)
    const r = await startCode(s.t, phoneNo(41))
    expectProblem(r, 400, 'invalid_phone')
    expect(s.fakes[name].requests).toHaveLength(1)
    expect(s.fakes[other].requests).toHaveLength(0)
    expect(await verificationCount(s.t)).toBe(0)
    expect((await messageRows(s.t))[0]).toMatchObject({ provider: name, status: 'rejected' })
  })

  it('does not fail over on bad credentials either, but reports provider_unavailable', async () => {
    await configure(s, 'smstools', { priority: 1 })
    await configure(s, 'twilio', { priority: 2 })
    s.fakes.smstools.setMode('bad-key')
    const r = await startCode(s.t, phoneNo(42))
    expectProblem(r, 503, 'provider_unavailable')
    expectNoSecrets(r.text)
    expect(s.fakes.twilio.requests).toHaveLength(0)
    expect(await verificationCount(s.t)).toBe(0)
  })
})
