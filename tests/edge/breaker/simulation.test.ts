/**
 * The issue's simulation (docs/security.md, The pumping breaker; the scenario: simulation.ts).
 * After the first window the breaker must stop ≥ 95 % of the pumping sends, while ≥ 99 % of the
 * normal users' sends still go out. The control runs the same seeded pumping stream with the
 * breaker off and every other limit on (per number, per address, per prefix): those alone miss
 * the target, so the breaker is what meets it. On an in-memory database, to keep both runs fast.
 */
import { afterEach, expect, it } from 'vitest'
import { testApp, type TestApp } from '../../helpers/app.js'
import { settings } from './helpers.js'
import { PUMP_STARTS, report, simulate, USERS } from './simulation.js'

let t: TestApp
afterEach(() => t.close())

it('stops ≥ 95 % of the pumping sends after the first window, lets ≥ 99 % of the normal ones go', async () => {
  t = await testApp({ dbUrl: ':memory:' })
  const f = await simulate(t)
  console.log(report('breaker on', f))
  expect(f.pump.tried).toBe(PUMP_STARTS)
  expect(f.user.tried).toBe(USERS)
  expect(f.stopped).toBeGreaterThanOrEqual(0.95)
  expect(f.wentOut).toBeGreaterThanOrEqual(0.99)
}, 180_000)

it('control: with the breaker off, the other limits alone let the script through', async () => {
  t = await testApp({ dbUrl: ':memory:' })
  await settings(t, { breakerEnabled: false })
  const f = await simulate(t, { users: false })
  console.log(report('control, breaker off', f))
  expect(f.pump.tried).toBe(PUMP_STARTS)
  expect(f.stopped).toBeLessThan(0.95)
  const blocks = await t.db.execute('SELECT count(*) AS n FROM breaker_blocks')
  expect(Number(blocks.rows[0]!.n)).toBe(0)
}, 180_000)
