/** The second step of a sign-in (`mfaRequired`): exactly the API's `methods`, one at a time. */
import { expect } from '@open-wc/testing'
import type { MfaChallenge, MfaMethod } from '../../widget/index.js'
import { CODE, FakeApi, PROOF, SESSION, USER } from './fake-api.js'
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
import { focused, mount, toCodeStep } from './sms-login-helpers.js'

const challenge = (methods: MfaMethod[]): MfaChallenge => ({
  mfaRequired: true,
  mfaTicket: 'mfa_1',
  methods,
  ...(methods.includes('sms') ? { phone: '+91•••••••210' } : {}),
})

/** An SMS sign-in whose code is only the first factor. */
async function afterSmsCode(methods: MfaMethod[]) {
  const api = new FakeApi()
  api.approve = { status: 'approved', ...challenge(methods) }
  const { el } = await mount(api)
  await toCodeStep(el)
  await type(el, '#code', CODE)
  return { el, api }
}

/** A password sign-in that answers `mfaRequired` with these methods. */
async function afterPassword(methods: MfaMethod[]) {
  const api = new FakeApi()
  api.signIn = async (email, password) => {
    api.calls.push(['signIn', email, password])
    return challenge(methods)
  }
  api.approve = { status: 'approved', user: USER, session: SESSION }
  const { el } = await mount(api, 'password')
  buttonByText(el, 'Use email and password').click()
  await waitFor(el, '#email')
  await type(el, '#email', 'asha@example.com')
  await type(el, '#password', 'correct horse')
  await press('Enter')
  return { el, api }
}

/** The texts of the links to other factors. */
const links = (el: HTMLElement) =>
  [...el.shadowRoot!.querySelectorAll('button.link')].map((b) => b.textContent!.trim())

describe('<sms-login> second factor after an SMS code', () => {
  it('asks for the authenticator code when the API offers it', async () => {
    const { el, api } = await afterSmsCode(['totp', 'backup_code'])
    const events = record(el, 'sms-auth-login')
    await waitFor(el, '#mfa-code')
    expect(links(el)).to.deep.equal(['Use a backup code'])
    await expect(el).to.be.accessible()
    await type(el, '#mfa-code', '654321')
    await waitUntil(() => events.length === 1)
    expect(api.calls.find((c) => c[0] === 'mfaTotp')?.slice(1)).to.deep.equal(['mfa_1', '654321'])
  })

  it('takes a backup code; a wrong one stays selected with the focus', async () => {
    const { el, api } = await afterSmsCode(['totp', 'backup_code'])
    await waitFor(el, '#mfa-code')
    api.fail('mfaBackupCode', 'invalid_credentials')
    buttonByText(el, 'Use a backup code').click()
    await waitUntil(() => /Backup/.test($(el, 'label[for="mfa-code"]').textContent!))
    await type(el, '#mfa-code', 'abcd-efgh')
    await press('Enter')
    await waitUntil(() => errorText(el) !== '')
    expect(errorText(el)).to.match(/did not match/)
    const input = $<HTMLInputElement>(el, '#mfa-code')
    expect(focused(el)).to.equal(input)
    expect(input.value.slice(input.selectionStart!, input.selectionEnd!)).to.equal('abcd-efgh')
    expect(links(el)).to.deep.equal(['Use your authenticator app'])
    await press('Enter')
    await waitUntil(() => api.count('mfaBackupCode') === 2)
    await waitUntil(() => el.session !== undefined)
  })

  it('asks an account with a password for the password (POST /v1/mfa/password)', async () => {
    const { el, api } = await afterSmsCode(['password', 'backup_code'])
    const events = record(el, 'sms-auth-login')
    await waitFor(el, '#mfa-password')
    const input = $<HTMLInputElement>(el, '#mfa-password')
    expect(input.type).to.equal('password')
    expect(input.getAttribute('autocomplete')).to.equal('current-password')
    expect(input.labels?.[0].textContent).to.match(/password/i)
    expect(focused(el)).to.equal(input)
    expect(links(el)).to.deep.equal(['Use a backup code'])
    await expect(el).to.be.accessible()
    await type(el, '#mfa-password', 'not it')
    await press('Enter')
    await waitUntil(() => /did not match/.test(errorText(el)))
    expect(input.value).to.equal('')
    expect(focused(el)).to.equal(input)
    expect(input.getAttribute('aria-invalid')).to.equal('true')
    await expect(el).to.be.accessible()
    await type(el, '#mfa-password', PROOF.password)
    await press('Enter')
    await waitUntil(() => events.length === 1)
    expect(api.calls.filter((c) => c[0] === 'mfaPassword').map((c) => c.slice(1))).to.deep.equal([
      ['mfa_1', 'not it'],
      ['mfa_1', PROOF.password],
    ])
    expect(el.session).to.deep.equal(SESSION)
  })

  it('offers exactly the methods given: the authenticator first, then the password or a backup code', async () => {
    const { el } = await afterSmsCode(['password', 'totp', 'backup_code'])
    await waitFor(el, '#mfa-code')
    expect(links(el)).to.deep.equal(['Use your password', 'Use a backup code'])
    expect(links(el)).not.to.include('Text me a code')
    buttonByText(el, 'Use your password').click()
    await waitFor(el, '#mfa-password')
    expect(links(el)).to.deep.equal(['Use your authenticator app', 'Use a backup code'])
  })
})

describe('<sms-login> second factor after a password', () => {
  it('sends the SMS at once when it is the only second factor, and asks for no backup code', async () => {
    const { el, api } = await afterPassword(['sms'])
    const events = record(el, 'sms-auth-login')
    await waitFor(el, '#code')
    expect(api.calls.find((c) => c[0] === 'startVerification')![1]).to.include({
      purpose: 'mfa',
      mfaTicket: 'mfa_1',
    })
    expect(links(el).some((l) => /backup|different number/i.test(l))).to.equal(false)
    expect($(el, '.box').textContent).to.contain('+91•••••••210')
    expect(focused(el)).to.equal($(el, '#code'))
    await expect(el).to.be.accessible()
    await type(el, '#code', CODE)
    await waitUntil(() => events.length === 1)
  })

  it('sends the SMS first and offers the backup code the account has; back to SMS sends nothing new', async () => {
    const { el, api } = await afterPassword(['sms', 'backup_code'])
    await waitFor(el, '#code')
    buttonByText(el, 'Use a backup code').click()
    await waitFor(el, '#mfa-code')
    expect($<HTMLInputElement>(el, '#mfa-code').labels?.[0].textContent).to.match(/backup/i)
    expect(links(el)).to.deep.equal(['Text me a code'])
    buttonByText(el, 'Text me a code').click()
    await waitFor(el, '#code')
    expect(api.count('startVerification')).to.equal(1)
    expect(focused(el)).to.equal($(el, '#code'))
  })

  it('keeps "Text me a code" to try again when the send is refused, with the focus on it', async () => {
    const api = new FakeApi()
    api.fail('startVerification', 'provider_unavailable')
    api.signIn = async () => challenge(['sms', 'backup_code'])
    const { el } = await mount(api, 'password')
    buttonByText(el, 'Use email and password').click()
    await waitFor(el, '#email')
    await type(el, '#email', 'asha@example.com')
    await type(el, '#password', 'correct horse')
    await press('Enter')
    await waitUntil(() => /cannot send/.test(errorText(el)))
    expect(has(el, '#code')).to.equal(false)
    const send = $<HTMLButtonElement>(el, 'button.primary')
    expect(send.textContent).to.contain('Text me a code')
    expect(focused(el)).to.equal(send)
    await expect(el).to.be.accessible()
    send.click()
    await waitFor(el, '#code')
    expect(api.count('startVerification')).to.equal(2)
  })
})
