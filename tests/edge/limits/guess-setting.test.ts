/**
 * The guessing budget reads `lockAfterFailures` from the settings row inside its one statement
 * (edge/limits/guesses.ts): a change applies to a run of failures already under way, and a lock for
 * good that a change left in the middle of a run is still lifted when a first factor gives its
 * attempt back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  LOCKED_FOR_GOOD,
  lockedFor,
  refundStatement,
  reserve,
} from '../../../edge/limits/guesses.js'
import { GUESS_BUDGET } from '../../../edge/limits/policy.js'
import { testApp, type TestApp } from '../../helpers/app.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const SUBJECT = 'usr_budget'
const tune = async (lockAfterFailures: number) =>
  expect((await t.admin('PATCH', '/v1/admin/settings', { lockAfterFailures })).status).toBe(200)

/** Takes `n` attempts, waiting out every lock on the way; says whether the last one started one. */
async function fail(n: number): Promise<boolean> {
  let lockedNow = false
  for (let i = 0; i < n; i++) {
    const wait = await lockedFor(t.db, SUBJECT, t.clock.now)
    if (wait) t.clock.advance(wait)
    const r = await reserve(t.db, SUBJECT, t.clock.now)
    expect(r.ok, `attempt ${i + 1} of ${n}`).toBe(true)
    lockedNow = r.ok && r.lockedNow
  }
  return lockedNow
}

describe('lockAfterFailures in the guessing budget', () => {
  it('applies a stricter value to a run already under way', async () => {
    expect(await fail(15)).toBe(false)
    await tune(10)
    // The 16th failure is past the new run length: it locks.
    expect(await fail(1)).toBe(true)
    expect(await lockedFor(t.db, SUBJECT, t.clock.now)).toBe(GUESS_BUDGET.cooldownsMs[0])
  })

  it('counts runs of the looser value after a change, and locks for good at 100 all the same', async () => {
    await tune(5)
    expect(await fail(5)).toBe(true) // a run of 5 ends at 5
    await tune(25)
    expect(await fail(25)).toBe(true) // then runs of 25: 30, 55, 80
    expect(await fail(50)).toBe(true)
    // The 100th failure falls in the middle of a run (20 of 25) and locks for good.
    expect(await fail(20)).toBe(true)
    expect(await lockedFor(t.db, SUBJECT, t.clock.now)).toBe(LOCKED_FOR_GOOD - t.clock.now)
    // Were it a first factor proven, its attempt comes back and the lock for good goes with it.
    await t.db.execute(refundStatement(SUBJECT))
    expect(await lockedFor(t.db, SUBJECT, t.clock.now)).toBe(0)
    expect((await reserve(t.db, SUBJECT, t.clock.now)).ok).toBe(true)
  })
})
