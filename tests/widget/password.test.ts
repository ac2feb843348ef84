import { expect } from '@open-wc/testing'
import '../../widget/define.js'
import type { SmsLogin } from '../../widget/index.js'
import { CODE, FakeApi, provider, SESSION, USER } from './fake-api.js'
import {
  $,
  buttonByText,
  errorText,
  has,
  press,
  record,
  type,
  waitFor,
  waitUntil,
} from './helpers.js'

async function mount(api = new FakeApi(), attrs = 'password') {
  const parentNode = provider(api)
  parentNode.innerHTML = `<sms-login ${attrs}></sms-login>`
  const el = parentNode.querySelector('sms-login') as SmsLogin
  await el.ready
  return { el, api }
}

describe('<sms-login password>', () => {
  it('offers email and password only with the attribute', async () => {
    const { el: plain } = await mount(new FakeApi(), '')
    expect(() => buttonByText(plain, 'Use email and password')).to.throw()
    const { el } = await mount()
    buttonByText(el, 'Use email and password').click()
    await waitFor(el, '#password')
    await expect(el).to.be.accessible()
  })

  it('signs in with email and password (POST /v1/sessions) → sms-auth-login', async () => {
    const { el, api } = await mount()
    const events = record(el, 'sms-auth-login')
    buttonByText(el, 'Use email and password').click()
    await waitFor(el, '#email')
    await type(el, '#email', 'asha@example.com')
    await type(el, '#password', 'correct horse')
    await press('Enter')
    await waitUntil(() => events.length === 1)
    expect(api.calls.find((c) => c[0] === 'signIn')?.slice(1)).to.deep.equal([
      'asha@example.com',
      'correct horse',
    ])
    expect(el.session).to.deep.equal(SESSION)
  })

  it('explains wrong credentials', async () => {
    const { el, api } = await mount()
    api.fail('signIn', 'invalid_credentials')
    buttonByText(el, 'Use email and password').click()
    await waitFor(el, '#email')
    await type(el, '#email', 'asha@example.com')
    await type(el, '#password', 'nope-nope')
    await press('Enter')
    await waitUntil(() => /did not match/.test(errorText(el)))
    await expect(el).to.be.accessible()
  })

  it('registers with name, email and password → sms-auth-register; short passwords refused', async () => {
    const { el, api } = await mount()
    const events = record(el, 'sms-auth-register')
    buttonByText(el, 'Use email and password').click()
    await waitFor(el, '#email')
    buttonByText(el, 'Create an account').click()
    await waitFor(el, '#name')
    await type(el, '#name', 'Ravi')
    await type(el, '#email', 'ravi@example.com')
    await type(el, '#password', 'short')
    await press('Enter')
    await waitUntil(() => /8 characters/.test(errorText(el)))
    expect(api.count('createUser')).to.equal(0)
    await type(el, '#password', ' enough now')
    await press('Enter')
    await waitUntil(() => events.length === 1)
    expect(api.calls.find((c) => c[0] === 'createUser')?.[1]).to.deep.equal({
      email: 'ravi@example.com',
      password: 'short enough now',
      name: 'Ravi',
    })
  })

  it('completes a password sign-in with an SMS second factor (purpose mfa + mfaTicket)', async () => {
    const api = new FakeApi()
    const { el } = await mount(api)
    api.signIn = async (email, password) => {
      api.calls.push(['signIn', email, password])
      return {
        mfaRequired: true,
        mfaTicket: 'mfa_9',
        methods: ['sms', 'totp', 'backup_code'],
        phone: '+91•••••••210',
      }
    }
    api.approve = { status: 'approved', user: USER, session: SESSION }
    const events = record(el, 'sms-auth-login')
    buttonByText(el, 'Use email and password').click()
    await waitFor(el, '#email')
    await type(el, '#email', 'asha@example.com')
    await type(el, '#password', 'correct horse')
    await press('Enter')
    await waitFor(el, '#mfa-code')
    buttonByText(el, 'Text me a code').click()
    await waitFor(el, '#code')
    const body = api.calls.find((c) => c[0] === 'startVerification')![1]
    expect(body).to.include({ purpose: 'mfa', mfaTicket: 'mfa_9' })
    await type(el, '#code', CODE)
    await waitUntil(() => events.length === 1)
    expect(has(el, '#code')).to.equal(false)
    expect($(el, '.box').textContent).to.contain('Signed in as Asha')
  })
})
