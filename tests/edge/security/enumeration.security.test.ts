/**
 * Enumeration (SECURITY.md T20, T21): from outside, nobody can tell a number with an account from
 * one without, or from a locked account, by a login start or a login check: not by status, body,
 * headers, time, or what is sent (docs/security.md, "Enumeration").
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { phoneNo, type TestApp } from '../../helpers/app.js'
import { wrongCode } from '../../helpers/extra.js'
import {
  codeTo,
  freshAddress,
  messagesTo,
  productionApp,
  registerVia,
  useProvider,
} from '../../helpers/production.js'

let fake: TwilioFake
let t: TestApp
beforeAll(async () => {
  fake = await startTwilio()
})
afterAll(() => fake.close())
afterEach(() => {
  fake.setDelay(0)
  fake.messages.length = 0
  fake.requests.length = 0
  t?.close()
})

const START = { purpose: 'login', channel: 'sms' } as const

/** A login start, timed from the request to the end of its body (sends after it are not). */
async function timedStart(phone: string) {
  const started = performance.now()
  const res = await t.api.app.request('/v1/verifications', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...freshAddress() },
    body: JSON.stringify({ ...START, phone }),
  })
  const text = await res.text()
  const ms = performance.now() - started
  // Let the work deferred by this request (a timer) begin before the next one is timed.
  await new Promise((resolve) => setTimeout(resolve, 0))
  // The request id is the one header meant to differ (SECURITY.md T20: "except request id").
  const headers = [...res.headers].filter(([name]) => name !== 'x-request-id')
  return { ms, status: res.status, headers, body: JSON.parse(text) }
}

/** Locks an account: 20 consecutive wrong login codes (verifications of `perVerification`). */
async function lock(phone: string, perVerification = 10) {
  for (let round = 0; round < 20 / perVerification; round++) {
    const v = await t.call('POST', '/v1/verifications', { ...START, phone }, freshAddress())
    expect(v.status, v.text).toBe(201)
    const wrong = wrongCode(codeTo(fake, phone))
    for (let i = 0; i < perVerification; i++) {
      const r = await t.call('POST', `/v1/verifications/${v.body.id}/check`, { code: wrong })
      expect(r.body.code).toBe('invalid_code')
    }
  }
}

/** Fisher–Yates. */
function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[xs[i], xs[j]] = [xs[j]!, xs[i]!]
  }
  return xs
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2
}

/** The answer with what must differ (the id, the masked number's last digits) blanked. */
function shape(r: Awaited<ReturnType<typeof timedStart>>) {
  const { id, to, ...rest } = r.body as Record<string, string>
  return {
    status: r.status,
    headers: r.headers,
    keys: Object.keys(r.body as object),
    id: id!.replace(/[a-z2-7]/g, 'x'),
    to: to!.replace(/\d{3}$/, '###'),
    rest,
  }
}

describe('T20 login start: registered, unregistered and locked numbers', () => {
  it('T20 answers alike in status, body, headers and time (medians of 200 each, provider at 200 ms), and sends only to the account', async () => {
    const N = 200
    t = await productionApp(['IN'], { maxAttempts: 10 })
    await useProvider(t, 'twilio', fake.baseUrl)
    const registered = Array.from({ length: N }, (_, i) => phoneNo(i))
    const locked = Array.from({ length: N }, (_, i) => phoneNo(N + i))
    const unregistered = Array.from({ length: N }, (_, i) => phoneNo(2 * N + i))
    // Set-up, 10 accounts at a time (each account's own steps stay in order).
    const inWaves = async (phones: string[], each: (p: string) => Promise<unknown>) => {
      for (let i = 0; i < phones.length; i += 10)
        await Promise.all(phones.slice(i, i + 10).map(each))
    }
    await inWaves([...registered, ...locked], (p) => registerVia(t, fake, p))
    await inWaves(locked, (p) => lock(p))
    const lockedRows = await t.db.execute({
      sql: `SELECT count(*) AS n FROM guess_budgets g JOIN users u ON u.id = g.subject
            WHERE g.locked_until > ?`,
      args: [t.clock.now],
    })
    expect(Number(lockedRows.rows[0]!.n)).toBe(N)
    await t.api.idle()
    const before = new Map([...registered, ...locked].map((p) => [p, messagesTo(fake, p).length]))

    fake.setDelay(200)
    const classes = { registered, unregistered, locked }
    const results = { registered: [], unregistered: [], locked: [] } as Record<
      keyof typeof classes,
      Awaited<ReturnType<typeof timedStart>>[]
    >
    // Interleaved in one random order over all 600: each class follows each equally often, so
    // work a request leaves behind (the send after a registered answer) falls on all alike.
    const order = shuffle(
      (Object.keys(classes) as (keyof typeof classes)[]).flatMap((k) =>
        classes[k].map((phone) => [k, phone] as const),
      ),
    )
    for (const [k, phone] of order) results[k].push(await timedStart(phone))
    await t.api.idle()

    const reference = shape(results.registered[0]!)
    for (const k of Object.keys(classes) as (keyof typeof classes)[]) {
      for (const r of results[k]) expect(shape(r), k).toEqual(reference)
    }
    expect(reference.status).toBe(201)
    for (const p of registered) expect(messagesTo(fake, p)).toHaveLength(before.get(p)! + 1)
    for (const p of locked) expect(messagesTo(fake, p)).toHaveLength(before.get(p)!)
    for (const p of unregistered) expect(messagesTo(fake, p)).toHaveLength(0)

    const medians = Object.fromEntries(
      Object.entries(results).map(([k, rs]) => [k, median(rs.map((r) => r.ms))]),
    ) as Record<keyof typeof classes, number>
    console.log(
      `T20 medians (ms, ${N} each): ${Object.entries(medians)
        .map(([k, m]) => `${k} ${m.toFixed(2)}`)
        .join(', ')}`,
    )
    expect(Math.abs(medians.registered - medians.unregistered)).toBeLessThan(5)
    expect(Math.abs(medians.registered - medians.locked)).toBeLessThan(5)
    expect(Math.abs(medians.unregistered - medians.locked)).toBeLessThan(5)
  }, 180_000)
})

const startLogin = (phone: string, from = freshAddress()) =>
  t.call('POST', '/v1/verifications', { ...START, phone }, from)
const checkCode = (id: string, code: string) =>
  t.call('POST', `/v1/verifications/${id}/check`, { code }, freshAddress())
/** What a caller can see of an answer. */
const seen = (r: { status: number; body: unknown; headers: Headers }) => ({
  status: r.status,
  body: r.body,
  type: r.headers.get('content-type'),
  retryAfter: r.headers.get('retry-after'),
})

describe('T21 login check error classes', () => {
  it('T21 (our decision) answers a locked account and a number without an account exactly like a wrong code; the verification’s own state as API.md fixes it, alike for every class', async () => {
    t = await productionApp(['IN'])
    await useProvider(t, 'twilio', fake.baseUrl)
    const [registered, locked, unregistered] = [phoneNo(1), phoneNo(2), phoneNo(3)]
    await registerVia(t, fake, registered)
    await registerVia(t, fake, locked)
    // The registration's message leaves the 10-minute cap (5 per number) before the lock's 5.
    t.clock.advance(10 * 60_000 + 1000)
    // A code sent before the lock: once the account is locked, even this right code is answered
    // as a wrong one (its attempt spent), never as "locked".
    const early = await startLogin(locked)
    const earlyCode = codeTo(fake, locked)
    await lock(locked, 5)
    const refused = await checkCode(early.body.id, earlyCode)
    expect(seen(refused)).toEqual({
      status: 400,
      body: expect.objectContaining({ code: 'invalid_code', attemptsLeft: 4 }),
      type: 'application/problem+json',
      retryAfter: null,
    })
    // A fresh 10-minute window for the message cap; the 15-minute lock still holds.
    t.clock.advance(10 * 60_000 + 1000)

    const inputs = ['wrong', '12a456', '1234567', ' 12345', '１２３４５６', 'wrong']
    const runs: Record<string, ReturnType<typeof seen>[]> = {}
    for (const phone of [registered, locked, unregistered]) {
      const v = await startLogin(phone)
      expect(v.status).toBe(201)
      const real = phone === registered ? codeTo(fake, phone) : '000000'
      runs[phone] = []
      for (const input of inputs)
        runs[phone]!.push(
          seen(await checkCode(v.body.id, input === 'wrong' ? wrongCode(real) : input)),
        )
    }
    expect(
      runs[registered]!.map((r) => [r.status, (r.body as { attemptsLeft?: number }).attemptsLeft]),
    ).toEqual([
      [400, 4],
      [400, 3],
      [400, 2],
      [400, 1],
      [400, 0],
      [429, undefined],
    ])
    expect(runs[registered]![5]!.body).toMatchObject({ code: 'too_many_attempts' })
    expect(runs[locked]).toEqual(runs[registered])
    expect(runs[unregistered]).toEqual(runs[registered])

    // Expired: told as API.md fixes it (410), alike for every class.
    await t.admin('PATCH', '/v1/admin/settings', { codeTtlSeconds: 60 })
    const short = []
    for (const phone of [registered, locked, unregistered])
      short.push((await startLogin(phone)).body.id)
    t.clock.advance(61_000)
    const expired = await Promise.all(short.map((id) => checkCode(id, '123456')))
    expect(seen(expired[0]!)).toMatchObject({ status: 410, body: { code: 'verification_expired' } })
    expect(expired.map(seen)).toEqual([seen(expired[0]!), seen(expired[0]!), seen(expired[0]!)])

    // An unknown id: 404, whatever the number behind it would have been.
    const unknown = await checkCode('ver_aaaaaaaaaaaaaaaaaaaaaaaaaa', '123456')
    expect(seen(unknown)).toMatchObject({ status: 404, body: { code: 'verification_not_found' } })

    // The address limit (30 starts per 10 min) refuses a number with an account and one without
    // alike.
    const from = freshAddress()
    for (let i = 0; i < 30; i++) expect((await startLogin(phoneNo(100 + i), from)).status).toBe(201)
    const [a, b, c] = [
      await startLogin(registered, from),
      await startLogin(unregistered, from),
      await startLogin(locked, from),
    ]
    expect(seen(a)).toMatchObject({ status: 429, body: { code: 'rate_limited' } })
    expect(seen(b)).toEqual(seen(a))
    expect(seen(c)).toEqual(seen(a))

    // All along, the account stayed locked: the answers above were made while it was.
    const budget = await t.db.execute({
      sql: 'SELECT locked_until FROM guess_budgets WHERE subject = (SELECT id FROM users WHERE phone = ?)',
      args: [locked],
    })
    expect(Number(budget.rows[0]!.locked_until)).toBeGreaterThan(t.clock.now)
  })
})
