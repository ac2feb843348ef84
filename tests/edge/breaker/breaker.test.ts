/** The pumping breaker (edge/limits/breaker.ts): when it trips, for how long, and what it blocks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'
import { auditRows, listNumber } from '../test-numbers/helpers.js'
import { inPrefix, sends, startTo, unverified } from './helpers.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const HOUR = 3_600_000

describe('the trip', () => {
  it('waits for 20 sends, then blocks the prefix for an hour; other prefixes go on', async () => {
    await unverified(t, 7100, 19)
    // 19 sends at 0 %: not yet enough to judge.
    expect((await startTo(t, inPrefix(7100, 9))).status).toBe(201)
    // That was the 20th: the prefix is blocked, for any of its numbers.
    const r = await startTo(t, inPrefix(7100, 5555))
    expectProblem(r, 429, 'rate_limited')
    expect(r.body.retryAfter).toBe(3600)
    expect((await startTo(t, inPrefix(7101, 1))).status).toBe(201)
    t.clock.advance(HOUR)
    expect((await startTo(t, inPrefix(7100, 5555))).status).toBe(201)
  })

  it('trips below 20 % conversion, not at it', async () => {
    // 4 verified of 20: 20 %, not below.
    await sends(
      t,
      Array.from({ length: 4 }, (_, i) => inPrefix(7200, i)),
      4,
    )
    await unverified(t, 7200, 16)
    // The 21st, unverified, makes it 4 of 21: below.
    expect((await startTo(t, inPrefix(7200, 6))).status).toBe(201)
    expectProblem(await startTo(t, inPrefix(7200, 7)), 429, 'rate_limited')
  })

  it('records the trip in the audit trail with its figures', async () => {
    await unverified(t, 7300, 20)
    const [row] = await auditRows(t, 'breaker.tripped')
    expect(row).toMatchObject({
      action: 'breaker.tripped',
      outcome: 'blocked',
      detail: {
        kind: 'prefix',
        prefix: '+91987300',
        country: 'IN',
        sent: 20,
        verified: 0,
        conversion: 0,
        cooldownSeconds: 3600,
        trips: 1,
      },
    })
  })

  it('doubles the cool-down of a prefix that trips again', async () => {
    await unverified(t, 7400, 20)
    t.clock.advance(HOUR)
    await unverified(t, 7400, 20)
    const r = await startTo(t, inPrefix(7400, 1))
    expectProblem(r, 429, 'rate_limited')
    // The trip was a second ago (each send of `unverified` moves the clock 1 s).
    expect(r.body.retryAfter).toBe(7199)
    const rows = await auditRows(t, 'breaker.tripped')
    expect(rows.map((x) => x.detail?.cooldownSeconds)).toEqual([7200, 3600])
  })

  it('blocks the country once 3 of its prefixes tripped; other countries go on', async () => {
    for (const block of [7500, 7501]) await unverified(t, block, 20)
    expect((await startTo(t, inPrefix(7509, 1))).status).toBe(201)
    await unverified(t, 7502, 20)
    const r = await startTo(t, inPrefix(7509, 2))
    expectProblem(r, 429, 'rate_limited')
    expect(r.body.retryAfter).toBe(3599)
    expect((await startTo(t, '+447911123456')).status).toBe(201)
    const country = (await auditRows(t, 'breaker.tripped')).find(
      (x) => x.detail?.kind === 'country',
    )
    expect(country?.detail).toMatchObject({ country: 'IN', sent: 61, cooldownSeconds: 3600 })
  })

  it('is off when the setting says so', async () => {
    const off = await t.admin('PATCH', '/v1/admin/settings', { breakerEnabled: false })
    expect(off.status, off.text).toBe(200)
    await unverified(t, 7600, 25)
    expect(await auditRows(t, 'breaker.tripped')).toEqual([])
  })
})

describe('what it does not count, and what it answers alike', () => {
  it('answers a silent login to a blocked prefix as it does a real start', async () => {
    await unverified(t, 7700, 20)
    // A login to a number with no account sends nothing, yet is refused like a register.
    const login = await startTo(t, inPrefix(7700, 4321), 'login')
    const register = await startTo(t, inPrefix(7700, 4322))
    expectProblem(login, 429, 'rate_limited')
    expectProblem(register, 429, 'rate_limited')
    expect(login.body).toEqual(register.body)
  })

  it('does not count silent logins as sends', async () => {
    // 10 numbers (the per-prefix limit counts silent logins too, so they look like real ones).
    for (let i = 0; i < 25; i++) {
      expect((await startTo(t, inPrefix(7800, i % 10), 'login')).status).toBe(201)
      t.clock.advance(1000)
    }
    const n = await t.db.execute('SELECT count(*) AS n FROM breaker_sends')
    expect(Number(n.rows[0]!.n)).toBe(0)
    expect((await startTo(t, inPrefix(7800, 9))).status).toBe(201)
    const after = await t.db.execute('SELECT count(*) AS n FROM breaker_sends')
    expect(Number(after.rows[0]!.n)).toBe(1)
  })

  it('leaves test numbers alone, in a blocked prefix too', async () => {
    const listed = await listNumber(t, inPrefix(7900, 42))
    await unverified(t, 7900, 20)
    expectProblem(await startTo(t, inPrefix(7900, 43)), 429, 'rate_limited')
    expect((await startTo(t, listed.phone)).status).toBe(201)
  })
})
