/**
 * The issue's simulation (docs/security.md, The pumping breaker): 10,000 starts from a script that
 * never verifies, spread over 500 numbers in 5 prefixes (one country), mixed with 1,000 normal
 * users (another country's 10 prefixes) who verify 90 % of the time, over 5 hours of the test
 * clock. After the first window the breaker must stop ≥ 95 % of the pumping sends, while ≥ 99 % of
 * the normal users' sends still go out.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { lastCode, testApp, type TestApp } from '../../helpers/app.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

/** A seeded generator, so a failure can be replayed. */
function lcg(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const HOUR = 3_600_000
const pumpNumber = (i: number) =>
  `+9198${7000 + (i % 5)}${String(Math.floor(i / 5) % 100).padStart(4, '0')}`
const userNumber = (i: number) => `+447911${10 + (i % 10)}${String(i).padStart(4, '0')}`

it('stops ≥ 95 % of the pumping sends after the first window, lets ≥ 99 % of the normal ones go', async () => {
  const rand = lcg(15)
  const events: ('pump' | 'user')[] = [
    ...Array<'pump'>(10_000).fill('pump'),
    ...Array<'user'>(1_000).fill('user'),
  ]
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[events[i], events[j]] = [events[j]!, events[i]!]
  }
  const start = t.clock.now
  const step = (5 * HOUR) / events.length
  const pump = { tried: 0, sent: 0, triedLater: 0, sentLater: 0 }
  const user = { tried: 0, sent: 0 }
  let users = 0
  let address = 0
  for (const kind of events) {
    t.clock.advance(step)
    const later = t.clock.now - start > HOUR
    const xff = {
      'x-forwarded-for': `10.${(++address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
    }
    if (kind === 'pump') {
      const phone = pumpNumber(Math.floor(rand() * 500))
      const r = await t.call('POST', '/v1/verifications', { purpose: 'register', phone }, xff)
      expect([201, 429]).toContain(r.status)
      pump.tried++
      if (later) pump.triedLater++
      if (r.status === 201) {
        pump.sent++
        if (later) pump.sentLater++
      }
      continue
    }
    const i = users++
    const phone = userNumber(i)
    const r = await t.call('POST', '/v1/verifications', { purpose: 'register', phone }, xff)
    user.tried++
    if (r.status !== 201) continue
    user.sent++
    if (Math.floor(i / 10) % 10 === 9) continue // 10 % of each prefix never type their code
    const code = await lastCode(t, phone)
    const c = await t.call('POST', `/v1/verifications/${r.body.id}/check`, { code }, xff)
    expect(c.status, c.text).toBe(200)
  }
  const stopped = 1 - pump.sentLater / pump.triedLater
  const wentOut = user.sent / user.tried
  console.log(
    `breaker simulation: pumping sends stopped after the first window ${(stopped * 100).toFixed(2)} % ` +
      `(${pump.triedLater - pump.sentLater} of ${pump.triedLater}; ${pump.sent} of ${pump.tried} sent in all); ` +
      `normal users' sends that went out ${(wentOut * 100).toFixed(2)} % (${user.sent} of ${user.tried})`,
  )
  expect(pump.tried).toBe(10_000)
  expect(user.tried).toBe(1_000)
  expect(stopped).toBeGreaterThanOrEqual(0.95)
  expect(wentOut).toBeGreaterThanOrEqual(0.99)
}, 180_000)
