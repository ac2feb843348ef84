/** The password policy (edge/accounts/common-passwords.ts): one check for every route. */
import { dictionary } from '@zxcvbn-ts/language-common'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { passwordProblem } from '../../../edge/accounts/common-passwords.js'
import { testApp, type TestApp } from '../../helpers/app.js'
import { expectProblem } from '../../helpers/extra.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('password policy', () => {
  it('uses a maintained list of real size', () => {
    expect(dictionary['passwords-common'].length).toBeGreaterThan(10_000)
  })

  it('refuses listed passwords in any case, and ones scoring below 2', async () => {
    for (const p of ['password1', 'Qwertyuiop', 'iloveyou1', 'sunshine', 'football1'])
      expect(await passwordProblem(p), p).toBe('This password is too common.')
    for (const p of ['abcdefgh1', 'aaaaaaaaaa', 'sunshine2024'])
      expect(await passwordProblem(p), p).toBe('This password is too easy to guess.')
    // Built from the account's own name or email (which alone it would pass).
    expect(await passwordProblem('ravikumar1')).toBeNull()
    expect(
      await passwordProblem('ravikumar1', ['Ravi Kumar', 'ravikumar1@example.com']),
    ).not.toBeNull()
  })

  it('accepts passphrases and random strings, up to 128 characters', async () => {
    for (const p of [
      'correct horse battery staple',
      'Tr0ub4dor&3',
      'xK9#mq2!pL',
      'é'.repeat(8) + '🙂x7',
      'q'.repeat(60) + 'Z8$kW2!vR9mNc'.repeat(5),
    ])
      expect(await passwordProblem(p), p).toBeNull()
  })

  it('registration applies it: invalid_request on the password', async () => {
    const r = await t.call('POST', '/v1/users', {
      email: 'weak@example.com',
      password: 'aaaaaaaaaa',
      name: 'W',
    })
    expectProblem(r, 400, 'invalid_request')
    expect(r.body.errors).toEqual([
      { path: 'password', message: 'This password is too easy to guess.' },
    ])
  })
})
