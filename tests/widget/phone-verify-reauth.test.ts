import { expect } from '@open-wc/testing'
import '../../widget/define.js'
import type { PhoneVerify } from '../../widget/index.js'
import type { ReauthMethod } from '../../widget/api/types.js'
import { CODE, FakeApi, PROOF, provider, USER } from './fake-api.js'
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

async function mount(
  methods: ReauthMethod[],
  setup: (api: FakeApi) => void = () => {},
  attrs = '',
) {
  const api = new FakeApi()
  api.stepUp = methods
  setup(api)
  const parentNode = provider(api)
  parentNode.innerHTML = `<phone-verify access-token="at_1" ${attrs}></phone-verify>`
  const el = parentNode.querySelector('phone-verify') as PhoneVerify
  await el.ready
  await waitUntil(() => el.user !== undefined)
  const errors = record<{ code: string }>(el, 'sms-auth-error')
  return { el, api, errors }
}

const focused = (el: PhoneVerify) => el.shadowRoot!.activeElement
const step = (el: PhoneVerify) => $(el, 'section[aria-labelledby="reauth-title"]')
/** The buttons that switch factor, by their text (the last one, Cancel, left out). */
const switches = (el: PhoneVerify) =>
  [...step(el).querySelectorAll(':scope > .row:last-child button')]
    .map((b) => b.textContent!.trim())
    .slice(0, -1)
/** Index of the last call of `name` (calls are recorded in order). */
const last = (api: FakeApi, name: string) => api.calls.map((c) => c[0]).lastIndexOf(name)

describe('<phone-verify> step-up (reauthentication_required)', () => {
  it('backup codes: asks for the authenticator app, a wrong code keeps focus, the right one shows the codes', async () => {
    const { el, api, errors } = await mount(['totp', 'backup_code'])
    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '#reauth-secret')
    const input = $<HTMLInputElement>(el, '#reauth-secret')
    expect($(el, '#reauth-title').textContent).to.equal('Confirm it’s you')
    expect($(el, '[role="status"]').textContent).to.equal('Confirm it’s you to continue.')
    expect(input.getAttribute('autocomplete')).to.equal('one-time-code')
    expect(input.getAttribute('inputmode')).to.equal('numeric')
    expect(switches(el)).to.deep.equal(['Use a backup code instead'])
    await waitUntil(() => focused(el) === input, 'focus in the code field')
    await expect(el).to.be.accessible()

    await type(el, '#reauth-secret', '000000') // six digits submit by themselves
    await waitUntil(() => /did not match/.test(errorText(el)))
    expect($(el, '[part~="error"]').getAttribute('role')).to.equal('alert')
    expect(input.getAttribute('aria-invalid')).to.equal('true')
    expect(input.value).to.equal('')
    expect(focused(el)).to.equal(input)
    await expect(el).to.be.accessible()

    await type(el, '#reauth-secret', PROOF.totpCode)
    await waitFor(el, '.codes')
    expect(el.shadowRoot!.querySelectorAll('.codes li').length).to.equal(10)
    expect(api.calls[last(api, 'reauth')].slice(1)).to.deep.equal(['at_1', { totpCode: '654321' }])
    expect(api.count('newBackupCodes')).to.equal(2)
    expect(last(api, 'newBackupCodes')).to.be.greaterThan(last(api, 'reauth'))
    // The refusal itself is not an error the user sees.
    expect(errors.map((e) => e.detail.code)).to.deep.equal(['invalid_credentials'])
  })

  it('TOTP set-up by SMS: a reauth verification, its code entry and call-me, then the QR code', async () => {
    const { el, api } = await mount(['sms', 'totp'])
    buttonByText(el, 'Set up an authenticator app').click()
    await waitFor(el, '#code')
    const [, body, token] = api.calls.find((c) => c[0] === 'startVerification')!
    expect(body).to.deep.equal({ purpose: 'reauth', channel: 'sms', locale: 'en' })
    expect(token).to.equal('at_1')
    expect(step(el).textContent).to.contain('Enter the code we sent to +91•••••••210')
    expect(switches(el)).to.deep.equal(['Use your authenticator app instead'])
    await waitUntil(() => focused(el)?.id === 'code', 'focus in the code field')
    await expect(el).to.be.accessible()

    buttonByText(el, 'Call me instead').click()
    await waitUntil(() => /We are calling/.test(step(el).textContent!))
    expect(api.calls.find((c) => c[0] === 'resend')!.slice(1)).to.deep.equal([
      'ver_reauth',
      'voice',
      'at_1',
    ])

    await type(el, '#code', '111111')
    await waitUntil(() => /attempts left/.test(errorText(el)))
    await waitUntil(() => focused(el)?.id === 'code', 'focus back in the code field')
    expect(api.count('totpSetup')).to.equal(1)

    await type(el, '#code', CODE)
    await waitFor(el, 'img.qr')
    expect(api.calls.filter((c) => c[0] === 'check').map((c) => c[1])).to.deep.equal([
      'ver_reauth',
      'ver_reauth',
    ])
    expect(api.count('totpSetup')).to.equal(2)
    expect(last(api, 'totpSetup')).to.be.greaterThan(last(api, 'check'))
  })

  it('shows the SMS countdown before resend, and switches from SMS to the authenticator app', async () => {
    const { el, api } = await mount(['sms', 'totp'], (a) => (a.cooldown = 30))
    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '#code')
    expect(step(el).textContent).to.match(/new code in (29|30) s/)
    expect(() => buttonByText(el, 'Resend code')).to.throw()
    buttonByText(el, 'Use your authenticator app instead').click()
    await waitFor(el, '#reauth-secret')
    expect(has(el, '#code')).to.equal(false)
    await waitUntil(() => focused(el)?.id === 'reauth-secret')
    expect(switches(el)).to.deep.equal(['Text me a code instead'])
    await type(el, '#reauth-secret', PROOF.totpCode)
    await waitFor(el, '.codes')
    expect(api.count('startVerification')).to.equal(1)
    expect(api.count('newBackupCodes')).to.equal(2)
  })

  it('replacing an enabled authenticator app offers only a current TOTP code', async () => {
    const { el, api } = await mount(['totp'], (a) => {
      a.user = { ...USER, twoStep: { ...USER.twoStep, totp: true } }
    })
    expect($(el, '.box').textContent).to.contain('Your authenticator app is on.')
    buttonByText(el, 'Replace authenticator app').click()
    await waitFor(el, '#reauth-secret')
    expect(switches(el)).to.deep.equal([])
    expect($(el, 'label[for="reauth-secret"]').textContent).to.equal('Authenticator app code')
    await expect(el).to.be.accessible()
    await type(el, '#reauth-secret', PROOF.totpCode)
    await waitFor(el, 'img.qr')
    expect(api.count('totpSetup')).to.equal(2)
    await type(el, '#totp-code', '123456')
    await press('Enter')
    await waitUntil(() => /authenticator app is on/.test($(el, '.box').textContent!))
  })

  it('adding a phone: a wrong password, a switch to a backup code, then the new number’s code', async () => {
    const { el, api } = await mount(['password', 'backup_code'], (a) => {
      a.user = { ...USER, phone: null, phoneVerified: false }
      a.approve = { status: 'approved', user: USER }
    })
    const verified = record<{ phone: string }>(el, 'sms-auth-phone-verified')
    buttonByText(el, 'Add phone').click()
    await waitFor(el, '#phone')
    await el.phone.ready
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(el, '#reauth-secret')
    const password = $<HTMLInputElement>(el, '#reauth-secret')
    expect(password.type).to.equal('password')
    expect(password.getAttribute('autocomplete')).to.equal('current-password')
    await waitUntil(() => focused(el) === password)
    await expect(el).to.be.accessible()

    await type(el, '#reauth-secret', 'wrong horse')
    await press('Enter')
    await waitUntil(() => /did not match/.test(errorText(el)))
    expect(focused(el)).to.equal(password)

    buttonByText(el, 'Use a backup code instead').click()
    await waitUntil(() => $<HTMLInputElement>(el, '#reauth-secret').type === 'text')
    const backup = $<HTMLInputElement>(el, '#reauth-secret')
    expect(backup.value).to.equal('')
    expect(errorText(el)).to.equal('')
    expect($(el, 'label[for="reauth-secret"]').textContent).to.equal('Backup code')
    await waitUntil(() => focused(el) === backup, 'focus in the backup code field')
    await type(el, '#reauth-secret', PROOF.backupCode)
    await press('Enter')

    await waitFor(el, '#code')
    expect(api.calls[last(api, 'reauth')][2]).to.deep.equal({ backupCode: 'abcd-efgh-ijkl' })
    const enrols = api.calls.filter((c) => c[0] === 'startVerification')
    expect(enrols.map((c) => (c[1] as { purpose: string; phone: string }).phone)).to.deep.equal([
      '+919876543210',
      '+919876543210',
    ])
    await waitUntil(() => focused(el)?.id === 'code')
    await type(el, '#code', CODE)
    await waitUntil(() => verified.length === 1)
    expect(verified[0].detail.phone).to.equal('+919876543210')
  })

  it('a locked SMS code hands focus to "Resend code", which starts a fresh reauth verification', async () => {
    const { el, api } = await mount(['sms'])
    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '#code')
    api.fail('check', 'too_many_attempts')
    await type(el, '#code', '222222')
    await waitUntil(() => /Too many wrong codes/.test(errorText(el)))
    await waitUntil(() => focused(el)?.textContent?.trim() === 'Resend code', 'focus on resend')
    expect($<HTMLInputElement>(el, '#code').disabled).to.equal(true)
    buttonByText(el, 'Resend code').click()
    await waitUntil(() => api.count('startVerification') === 2)
    const purposes = api.calls
      .filter((c) => c[0] === 'startVerification')
      .map((c) => (c[1] as { purpose: string }).purpose)
    expect(purposes).to.deep.equal(['reauth', 'reauth'])
    await waitUntil(() => !$<HTMLInputElement>(el, '#code').disabled)
    await type(el, '#code', CODE)
    await waitFor(el, '.codes')
  })

  it('a rate-limited proof says how long to wait and keeps focus in the field', async () => {
    const { el, api } = await mount(['backup_code'])
    api.fail('reauth', 'rate_limited', { retryAfter: 42 })
    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '#reauth-secret')
    await type(el, '#reauth-secret', 'abcd-efgh-0000')
    await press('Enter')
    await waitUntil(() => /Try again in 42 s/.test(errorText(el)))
    expect(focused(el)?.id).to.equal('reauth-secret')
    expect(api.count('newBackupCodes')).to.equal(1)
  })

  it('cancel returns to the overview, keeps focus in the element and retries nothing', async () => {
    const { el, api } = await mount(['sms'])
    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '#code')
    buttonByText(el, 'Cancel').click()
    await waitUntil(() => !has(el, '#reauth-title'))
    expect($(el, '.box').textContent).to.contain('7 backup codes left')
    await waitUntil(() => focused(el) !== null, 'focus inside the element')
    expect(document.activeElement).to.equal(el)
    expect(api.count('newBackupCodes')).to.equal(1)
    // Nothing was proven, so the action asks again.
    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '#reauth-title')
  })

  it('retries once: a second refusal after the proof is an error, not another step', async () => {
    const { el, api } = await mount(['totp'], (a) => (a.sticky = true))
    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '#reauth-secret')
    await type(el, '#reauth-secret', PROOF.totpCode)
    await waitUntil(() => /confirm it’s you, then try again/.test(errorText(el)))
    expect(has(el, '#reauth-title')).to.equal(false)
    expect(api.count('newBackupCodes')).to.equal(2)
    expect(focused(el)).to.not.equal(null)
  })

  it('speaks the element’s locale (Arabic, right to left) and passes axe', async () => {
    const { el } = await mount(['backup_code', 'totp'], () => {}, 'locale="ar"')
    await waitUntil(() => $(el, '.box').getAttribute('dir') === 'rtl')
    buttonByText(el, 'إنشاء رموز احتياطية جديدة').click()
    await waitFor(el, '#reauth-title')
    expect($(el, '#reauth-title').textContent).to.equal('أكّد أنك أنت')
    expect(switches(el)).to.deep.equal(['استخدم تطبيق المصادقة بدلًا من ذلك'])
    expect($(el, 'label[for="reauth-secret"]').textContent).to.equal('رمز احتياطي')
    await expect(el).to.be.accessible()
  })
})
