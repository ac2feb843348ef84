/**
 * Password sign-ins and sign-ups are limited per client address, so `email_taken` and password
 * guessing cannot be run at scale (docs/security.md; SECURITY.md R-34, §1.H).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const from = (address: string) => ({ 'x-forwarded-for': address })
const PASSWORD = 'a long enough one'

describe('POST /v1/sessions per address', () => {
  it('refuses the 31st sign-in from one address in 10 minutes, right password or not, and not from another', async () => {
    await t.call('POST', '/v1/users', { email: 'a@example.com', password: PASSWORD, name: 'A' })
    const attempts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.call(
          'POST',
          '/v1/sessions',
          { email: `nobody${i}@example.com`, password: 'whatever it is' },
          from('192.0.2.10'),
        ),
      ),
    )
    expect(attempts.every((r) => r.status === 401)).toBe(true)
    const right = { email: 'a@example.com', password: PASSWORD }
    const refused = await t.call('POST', '/v1/sessions', right, from('192.0.2.10'))
    expectProblem(refused, 429, 'rate_limited')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await t.call('POST', '/v1/sessions', right, from('192.0.2.11'))).status).toBe(200)
    t.clock.advance(10 * 60_000 + 1)
    expect((await t.call('POST', '/v1/sessions', right, from('192.0.2.10'))).status).toBe(200)
  })
})

describe('POST /v1/users per address', () => {
  it('counts accounts made and emails found (10 per 10 minutes), not refusals', async () => {
    await t.call(
      'POST',
      '/v1/users',
      { email: 'taken@example.com', password: PASSWORD, name: 'T' },
      from('192.0.2.50'),
    )
    // A common password is refused and gives its slot back: it changed nothing.
    for (let i = 0; i < 15; i++) {
      const weak = await t.call(
        'POST',
        '/v1/users',
        { email: `weak${i}@example.com`, password: 'password123', name: 'W' },
        from('192.0.2.20'),
      )
      expectProblem(weak, 400, 'invalid_request')
    }
    const probes = []
    for (let i = 0; i < 10; i++)
      probes.push(
        await t.call(
          'POST',
          '/v1/users',
          { email: 'taken@example.com', password: PASSWORD, name: 'P' },
          from('192.0.2.20'),
        ),
      )
    expect(probes.map((r) => r.body.code)).toEqual(Array(10).fill('email_taken'))
    const next = await t.call(
      'POST',
      '/v1/users',
      { email: 'fresh@example.com', password: PASSWORD, name: 'F' },
      from('192.0.2.20'),
    )
    expectProblem(next, 429, 'rate_limited')
    const users = await t.db.execute(
      "SELECT count(*) AS n FROM users WHERE email_norm = 'fresh@example.com'",
    )
    expect(Number(users.rows[0]!.n)).toBe(0)
  })
})
