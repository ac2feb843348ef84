/** /v1/admin/test-numbers: the admin's list of test numbers, its checks and its audit rows. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TEST_NUMBERS_MAX } from '../../../edge/limits/policy.js'
import { isReserved } from '../../../edge/test-numbers/reserved.js'
import { registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, expectProblem } from '../../helpers/extra.js'
import { auditRows, listNumber, UK_TEST, US_TEST } from './helpers.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const path = '/v1/admin/test-numbers'
const one = (phone: string) => `${path}/${encodeURIComponent(phone)}`

describe('the reserved ranges', () => {
  it('cover NANP 555-0100…0199 in any area code, the Ofcom drama ranges and ACMA’s', () => {
    for (const n of ['+12015550100', '+14155550199', '+447700900000', '+447700900999'])
      expect(isReserved(n), n).toBe(true)
    for (const n of ['+442079460123', '+441134960999', '+441632960001', '+61255501234'])
      expect(isReserved(n), n).toBe(true)
    // Next to them: real ranges.
    for (const n of ['+12015550200', '+12015550099', '+447700901000', '+442079470123'])
      expect(isReserved(n), n).toBe(false)
    expect(isReserved('+919812345678')).toBe(false)
  })
})

describe('GET/POST/DELETE /v1/admin/test-numbers', () => {
  it('lists, adds with a given or a generated code, and removes', async () => {
    expect((await t.admin('GET', path)).body).toEqual({ testNumbers: [] })
    const a = await listNumber(t, '(201) 555-0123', '424242', {
      country: 'US',
      description: 'App Store review',
    })
    expect(a).toMatchObject({ phone: US_TEST, code: '424242', description: 'App Store review' })
    // A number libphonenumber calls invalid (the UK drama range) may be listed; a code is made.
    const b = await listNumber(t, '07700 900123', undefined, { country: 'GB' })
    expect(b.phone).toBe(UK_TEST)
    expect(b.code).toMatch(/^[0-9]{6}$/)
    const list = await t.admin('GET', path)
    expect(list.status).toBe(200)
    expect(list.body.testNumbers).toEqual([
      {
        phone: US_TEST,
        code: '424242',
        description: 'App Store review',
        createdAt: expect.any(String),
      },
      { phone: UK_TEST, code: b.code, description: null, createdAt: expect.any(String) },
    ])
    const del = await t.admin('DELETE', one(US_TEST))
    expect(del.status, del.text).toBe(204)
    expect(
      (await t.admin('GET', path)).body.testNumbers.map((n: { phone: string }) => n.phone),
    ).toEqual([UK_TEST])
    expectProblem(await t.admin('DELETE', one(US_TEST)), 404, 'not_found')
  })

  it('keeps the code sealed at rest, never in clear', async () => {
    await listNumber(t, US_TEST, '424242')
    const r = await t.db.execute('SELECT * FROM test_numbers')
    expect(JSON.stringify(r.rows)).not.toContain('424242')
    expect(String(r.rows[0]!.code_sealed)).toMatch(/^v2\./)
  })

  it('refuses callers without the admin token; a plain user is signed in but not an admin', async () => {
    const user = await registerByPhone(t, '+919812345678')
    for (const [headers, status, code] of [
      [{}, 401, 'unauthorized'],
      [{ authorization: 'Bearer nope' }, 401, 'unauthorized'],
      [bearer(user.session.accessToken), 403, 'forbidden'],
    ] as const) {
      expectProblem(await t.call('GET', path, undefined, headers), status, code)
      expectProblem(
        await t.call('POST', path, { phone: US_TEST, code: '424242' }, headers),
        status,
        code,
      )
      expectProblem(await t.call('DELETE', one(US_TEST), undefined, headers), status, code)
    }
    expect((await t.admin('GET', path)).body.testNumbers).toEqual([])
  })

  it('refuses a number that is not one, a code of the wrong length and anything but digits', async () => {
    for (const phone of ['not a number', '+1 555', '123'])
      expectProblem(await t.admin('POST', path, { phone, country: 'US' }), 400, 'invalid_phone')
    const short = await t.admin('POST', path, { phone: US_TEST, code: '4242' })
    expectProblem(short, 400, 'invalid_request')
    expect(short.body.errors).toEqual([{ path: 'code', message: expect.stringContaining('6') }])
    expectProblem(
      await t.admin('POST', path, { phone: US_TEST, code: '42a242' }),
      400,
      'invalid_request',
    )
    expectProblem(await t.admin('POST', path, { phone: US_TEST, extra: 1 }), 400, 'invalid_request')
    expectProblem(await t.admin('DELETE', one('garbage')), 400, 'invalid_phone')
    // With a longer codeLength the code follows it.
    expect((await t.admin('PATCH', '/v1/admin/settings', { codeLength: 8 })).status).toBe(200)
    expectProblem(
      await t.admin('POST', path, { phone: US_TEST, code: '424242' }),
      400,
      'invalid_request',
    )
    expect((await listNumber(t, US_TEST)).code).toMatch(/^[0-9]{8}$/)
  })

  it('refuses a number listed already, in any format (409 already_exists), keeping its code', async () => {
    await listNumber(t, US_TEST, '424242')
    const again = await t.admin('POST', path, {
      phone: '201-555-0123',
      country: 'US',
      code: '111111',
    })
    expectProblem(again, 409, 'already_exists')
    expect((await t.admin('GET', path)).body.testNumbers[0].code).toBe('424242')
  })

  it(`holds at most ${TEST_NUMBERS_MAX} numbers, also when added at once`, async () => {
    const numbers = Array.from(
      { length: TEST_NUMBERS_MAX + 5 },
      (_, i) => `+1201555${String(100 + i).padStart(4, '0')}`,
    )
    const added = await Promise.all(numbers.map((phone) => t.admin('POST', path, { phone })))
    expect(added.filter((r) => r.status === 201)).toHaveLength(TEST_NUMBERS_MAX)
    for (const r of added.filter((x) => x.status !== 201)) expectProblem(r, 409, 'policy_violation')
    expect((await t.admin('GET', path)).body.testNumbers).toHaveLength(TEST_NUMBERS_MAX)
  })

  it('audits every change, with the number masked and never the code', async () => {
    await listNumber(t, US_TEST, '424242')
    await listNumber(t, UK_TEST)
    await t.admin('DELETE', one(US_TEST))
    await t.admin('DELETE', one(US_TEST))
    const rows = await auditRows(t)
    const changes = rows.filter((e) => e.action.startsWith('admin.test_number.'))
    expect(changes.map((e) => [e.action, e.outcome, e.phone, e.detail])).toEqual([
      ['admin.test_number.remove', 'ok', '+1•••••••123', {}],
      ['admin.test_number.add', 'ok', '+44•••••••123', { generated: true }],
      ['admin.test_number.add', 'ok', '+1•••••••123', { generated: false }],
    ])
    expect(JSON.stringify(rows)).not.toContain('424242')
    expect(t.logs.join('\n')).not.toContain('424242')
  })
})
