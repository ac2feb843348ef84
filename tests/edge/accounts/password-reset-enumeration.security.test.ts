/**
 * T20 for password_reset (docs/security.md, Enumeration): a start by email or by number for an
 * account answers like one for nobody, in status, body, headers and time (the code goes out after
 * the answer), against a provider that takes 200 ms; only the accounts' phones get a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { phoneNo, type TestApp } from '../../helpers/app.js'
import {
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
  t = await productionApp(['IN'])
  await useProvider(t, 'twilio', fake.baseUrl)
})
afterAll(() => {
  t.close()
  return fake.close()
})

async function timedStart(body: Record<string, string>) {
  const started = performance.now()
  const res = await t.api.app.request('/v1/verifications', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...freshAddress() },
    body: JSON.stringify({ purpose: 'password_reset', ...body }),
  })
  const json = (await res.json()) as Record<string, unknown>
  const ms = performance.now() - started
  await new Promise((resolve) => setTimeout(resolve, 0))
  const headers = [...res.headers].filter(([name]) => name !== 'x-request-id')
  const { id, to, ...rest } = json as { id: string; to: string | null }
  const shape = {
    status: res.status,
    headers,
    keys: Object.keys(json),
    id: id.replace(/[a-z2-7]/g, 'x'),
    to: to === null ? null : to.replace(/\d{3}$/, '###'),
    rest,
  }
  return { ms, shape }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2
}

describe('T20 password_reset start', () => {
  it('T20 answers alike by email and by number, with or without an account, and sends only to accounts', async () => {
    const N = 40
    const phones = Array.from({ length: N }, (_, i) => phoneNo(500 + i))
    const emails: string[] = []
    for (const p of phones) {
      const { user } = (await registerVia(t, fake, p)) as unknown as { user: { email: string } }
      emails.push(user.email)
    }
    await t.api.idle()
    const before = messagesTo(fake, phones[0]!).length
    fake.setDelay(200)
    const runs = {
      email: [] as Awaited<ReturnType<typeof timedStart>>[],
      noEmail: [] as Awaited<ReturnType<typeof timedStart>>[],
      phone: [] as Awaited<ReturnType<typeof timedStart>>[],
      noPhone: [] as Awaited<ReturnType<typeof timedStart>>[],
    }
    for (let i = 0; i < N; i++) {
      runs.email.push(await timedStart({ email: emails[i]! }))
      runs.noEmail.push(await timedStart({ email: `nobody${i}@example.com` }))
      runs.phone.push(await timedStart({ phone: phones[i]! }))
      runs.noPhone.push(await timedStart({ phone: phoneNo(700 + i) }))
    }
    await t.api.idle()
    fake.setDelay(0)
    for (const r of [...runs.email, ...runs.noEmail]) expect(r.shape).toEqual(runs.email[0]!.shape)
    for (const r of [...runs.phone, ...runs.noPhone]) expect(r.shape).toEqual(runs.phone[0]!.shape)
    expect(runs.email[0]!.shape.to).toBeNull()
    expect(runs.email[0]!.shape.status).toBe(201)
    // Each account's phone got its two reset codes; nobody else got anything.
    for (const p of phones) expect(messagesTo(fake, p)).toHaveLength(before + 2)
    for (let i = 0; i < N; i++) expect(messagesTo(fake, phoneNo(700 + i))).toHaveLength(0)
    const m = Object.fromEntries(
      Object.entries(runs).map(([k, rs]) => [k, median(rs.map((r) => r.ms))]),
    ) as Record<keyof typeof runs, number>
    console.log(`T20 reset medians (ms, ${N} each): ${JSON.stringify(m)}`)
    // A send on the request path would add the provider's 200 ms.
    expect(Math.abs(m.email - m.noEmail)).toBeLessThan(25)
    expect(Math.abs(m.phone - m.noPhone)).toBeLessThan(25)
  }, 120_000)
})
