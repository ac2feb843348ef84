import { afterEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../helpers/app.js'

let t: TestApp
afterEach(() => t?.close())

describe('the harness', () => {
  it('registers a phone through the API on a file database', async () => {
    t = await testApp()
    const { user } = await registerByPhone(t, phoneNo(1))
    expect(user.phone).toBe(phoneNo(1))
  })
  it('works on :memory:', async () => {
    t = await testApp({ dbUrl: ':memory:' })
    const v = await t.call('POST', '/v1/verifications', { purpose: 'register', phone: phoneNo(2) })
    expect(v.status).toBe(201)
    expect(await lastCode(t, phoneNo(2))).toMatch(/^\d{6}$/)
  })
})
