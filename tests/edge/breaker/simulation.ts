/**
 * The pumping scenario, run by simulation.test.ts with the breaker on and, as the control,
 * off: 10,000 starts from a script
 * that never verifies, spread over 500 numbers in 5 prefixes (one country), mixed with 1,000 normal
 * users (another country's 10 prefixes) who verify 90 % of the time, over 5 hours of the test
 * clock, each start from its own client address. Seeded, so both runs see the same stream; the
 * control may leave the users out (their starts draw no random numbers and share no prefix or
 * address with the script, so its stream stays the same).
 */
import { expect } from 'vitest'
import { lastCode, type TestApp } from '../../helpers/app.js'

/** A seeded generator, so a failure can be replayed. */
function lcg(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const HOUR = 3_600_000
export const PUMP_STARTS = 10_000
export const USERS = 1_000
const pumpNumber = (i: number) =>
  `+9198${7000 + (i % 5)}${String(Math.floor(i / 5) % 100).padStart(4, '0')}`
const userNumber = (i: number) => `+447911${10 + (i % 10)}${String(i).padStart(4, '0')}`

export interface Figures {
  pump: { tried: number; sent: number; triedLater: number; sentLater: number }
  user: { tried: number; sent: number }
  /** Pumping starts after the first window that were refused (0–1). */
  stopped: number
  /** Normal users' starts whose code went out (0–1; NaN without users). */
  wentOut: number
}

export async function simulate(t: TestApp, opts = { users: true }): Promise<Figures> {
  const rand = lcg(15)
  const events: ('pump' | 'user')[] = [
    ...Array<'pump'>(PUMP_STARTS).fill('pump'),
    ...Array<'user'>(USERS).fill('user'),
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
    if (!opts.users) continue
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
  return {
    pump,
    user,
    stopped: 1 - pump.sentLater / pump.triedLater,
    wentOut: user.sent / user.tried,
  }
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`

/** The run's figures, one line each, as the issue asks them printed. */
export function report(label: string, f: Figures): string {
  const refused = f.pump.triedLater - f.pump.sentLater
  return [
    `breaker simulation (${label}):`,
    `  pumping sends stopped after the first window: ${pct(f.stopped)} (${refused} of ${f.pump.triedLater} refused)`,
    `  pumping codes sent in all: ${f.pump.sent} of ${f.pump.tried} (${pct(f.pump.sent / f.pump.tried)})`,
    f.user.tried
      ? `  normal users' sends that went out: ${pct(f.wentOut)} (${f.user.sent} of ${f.user.tried})`
      : '  (no normal users in this run)',
  ].join('\n')
}
