/**
 * A login check reads the verification's account with its attempt (store.reserveAttempt) and
 * signs in that account only while it still has the number the code went to: an account whose
 * verified number changed after the start is not signed in by a code sent to the old one, and the
 * account that holds the number now is.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const startLogin = async (phone: string) => {
  const r = await t.call('POST', '/v1/verifications', { purpose: 'login', phone })
  expect(r.status, r.text).toBe(201)
  return { id: r.body.id as string, code: await lastCode(t, phone) }
}
const check = (v: { id: string; code: string }) =>
  t.call('POST', `/v1/verifications/${v.id}/check`, { code: v.code })

describe('the account a login check signs in', () => {
  it('is the one the code was started for, while it has that number', async () => {
    const phone = phoneNo(11)
    const { user } = await registerByPhone(t, phone)
    const r = await check(await startLogin(phone))
    expect(r.status, r.text).toBe(200)
    expect(r.body.user.id).toBe(user.id)
    const me = await t.call('GET', '/v1/me', undefined, bearer(r.body.session.accessToken))
    expect(me.body.user.id).toBe(user.id)
  })

  it('is not the one whose number changed after the start', async () => {
    const phone = phoneNo(12)
    await registerByPhone(t, phone)
    const pending = await startLogin(phone)
    await t.db.execute({
      sql: 'UPDATE users SET phone = ? WHERE phone = ?',
      args: [phoneNo(13), phone],
    })
    expectProblem(await check(pending), 409, 'verification_used')
  })

  it('is the account that holds the number at the check', async () => {
    const phone = phoneNo(14)
    const first = await registerByPhone(t, phone)
    const pending = await startLogin(phone)
    // The number moves to another account between the start and the check.
    const second = await registerByPhone(t, phoneNo(15), 'Ravi')
    await t.db.batch([
      { sql: 'UPDATE users SET phone = ? WHERE id = ?', args: [phoneNo(16), first.user.id] },
      { sql: 'UPDATE users SET phone = ? WHERE id = ?', args: [phone, second.user.id] },
    ])
    const r = await check(pending)
    expect(r.status, r.text).toBe(200)
    expect(r.body.user.id).toBe(second.user.id)
  })
})
