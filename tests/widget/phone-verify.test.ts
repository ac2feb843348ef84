import { expect } from '@open-wc/testing'
import '../../widget/define.js'
import type { PhoneVerify } from '../../widget/index.js'
import { CODE, FakeApi, provider, USER } from './fake-api.js'
import { $, buttonByText, errorText, press, record, type, waitFor, waitUntil } from './helpers.js'

async function mountForm(api = new FakeApi()) {
  const parentNode = provider(api)
  parentNode.innerHTML = `<form><phone-verify name="mobile"></phone-verify><button>Go</button></form>`
  const form = parentNode.querySelector('form')!
  const el = parentNode.querySelector('phone-verify') as PhoneVerify
  await el.ready
  await el.phone.ready
  return { el, api, form }
}

async function mountAccount(api = new FakeApi()) {
  const parentNode = provider(api)
  parentNode.innerHTML = `<phone-verify access-token="at_1"></phone-verify>`
  const el = parentNode.querySelector('phone-verify') as PhoneVerify
  await el.ready
  await waitUntil(() => el.user !== undefined && el.backupRemaining === 7)
  return { el, api }
}

describe('<phone-verify> in a form (no token)', () => {
  it('blocks submission until a number is verified, then submits the E.164 number', async () => {
    const { el, api, form } = await mountForm()
    let submitted = 0
    form.addEventListener('submit', (e) => (e.preventDefault(), submitted++))
    expect(form.checkValidity()).to.equal(false)
    form.requestSubmit()
    expect(submitted).to.equal(0)
    await expect(el).to.be.accessible()

    const events = record<{ phone: string }>(el, 'sms-auth-phone-verified')
    await type(el, '#phone', '98765 43210')
    await press('Enter')
    await waitFor(el, '#code')
    expect(
      (api.calls.find((c) => c[0] === 'startVerification')![1] as { purpose: string }).purpose,
    ).to.equal('register')
    await expect(el).to.be.accessible()
    await type(el, '#code', CODE)
    await waitUntil(() => events.length === 1)
    expect(events[0].detail.phone).to.equal('+919876543210')
    await el.updateComplete
    expect(form.checkValidity()).to.equal(true)
    expect(new FormData(form).get('mobile')).to.equal('+919876543210')
    form.requestSubmit()
    expect(submitted).to.equal(1)
    await expect(el).to.be.accessible()
  })

  it('becomes unverified again when the number is edited', async () => {
    const { el, form } = await mountForm()
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(el, '#code')
    await type(el, '#code', CODE)
    await waitUntil(() => el.value === '+919876543210')
    buttonByText(el, 'Change phone').click()
    await el.updateComplete
    await type(el, '#phone', '1')
    await el.updateComplete
    expect(el.value).to.equal('')
    expect(form.checkValidity()).to.equal(false)
    expect(new FormData(form).get('mobile')).to.equal(null)
  })

  it('shows attempts left after a wrong code', async () => {
    const { el } = await mountForm()
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(el, '#code')
    await type(el, '#code', '111111')
    await waitUntil(() => /attempts left/.test(errorText(el)))
  })
})

describe('<phone-verify> signed in', () => {
  it('shows the phone and the backup codes left, and passes axe', async () => {
    const { el } = await mountAccount()
    expect($(el, '.box').textContent).to.contain('+919876543210')
    expect($(el, '.box').textContent).to.contain('7 backup codes left')
    await expect(el).to.be.accessible()
  })

  it('adds a phone with purpose enroll and the bearer token', async () => {
    const api = new FakeApi()
    api.user = { ...USER, phone: null, phoneVerified: false }
    api.approve = { status: 'approved', user: USER }
    const { el } = await mountAccount(api)
    const events = record<{ phone: string; user: unknown }>(el, 'sms-auth-phone-verified')
    buttonByText(el, 'Add phone').click()
    await waitFor(el, '#phone')
    await el.phone.ready
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(el, '#code')
    const [, body, token] = api.calls.find((c) => c[0] === 'startVerification')!
    expect((body as { purpose: string }).purpose).to.equal('enroll')
    expect(token).to.equal('at_1')
    await type(el, '#code', CODE)
    await waitUntil(() => events.length === 1)
    expect(events[0].detail).to.deep.equal({ phone: '+919876543210', user: USER })
  })

  it('changes the phone: proves the current one (change_phone), then enrols the new one', async () => {
    const api = new FakeApi()
    api.approve = { status: 'approved', user: USER }
    const { el } = await mountAccount(api)
    buttonByText(el, 'Change phone').click()
    await el.updateComplete
    buttonByText(el, 'Send code').click()
    await waitFor(el, '#code')
    expect(
      (api.calls.find((c) => c[0] === 'startVerification')![1] as { purpose: string }).purpose,
    ).to.equal('change_phone')
    await type(el, '#code', CODE)
    await waitFor(el, '#phone')
    await el.phone.ready
    await type(el, '#phone', '2015550123')
    el.shadowRoot!.querySelector<HTMLElement>('.iti__selected-country')!.click()
    el.shadowRoot!.querySelector<HTMLElement>('[data-iso2="us"]')!.click()
    await press('Enter')
    await waitUntil(() => api.count('startVerification') === 2)
    const second = api.calls.filter((c) => c[0] === 'startVerification')[1][1] as {
      purpose: string
      phone: string
    }
    expect(second).to.include({ purpose: 'enroll', phone: '+12015550123' })
  })

  it('removes the phone with a backup code; policy errors are explained', async () => {
    const { el, api } = await mountAccount()
    const removed = record(el, 'sms-auth-phone-removed')
    buttonByText(el, 'Remove phone').click()
    await waitFor(el, '#factor-code')
    await expect(el).to.be.accessible()
    api.fail('removePhone', 'policy_violation')
    await type(el, '#factor-code', 'abcd-efgh')
    await press('Enter')
    await waitUntil(() => /without a way to sign in/.test(errorText(el)))
    await press('Enter')
    await waitUntil(() => removed.length === 1)
    expect(api.calls.filter((c) => c[0] === 'removePhone')[1][2]).to.deep.equal({
      backupCode: 'abcd-efgh',
    })
    await waitUntil(() => /No phone/.test($(el, '.box').textContent!))
  })

  it('makes a new set of backup codes, shown once with copy and download', async () => {
    const { el } = await mountAccount()
    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '.codes')
    expect(el.shadowRoot!.querySelectorAll('.codes li').length).to.equal(10)
    const link = $<HTMLAnchorElement>(el, 'a[download]')
    expect(decodeURIComponent(link.href)).to.contain('code-9')
    buttonByText(el, 'Copy')
    await expect(el).to.be.accessible()
    buttonByText(el, 'Done').click()
    await waitUntil(() => !el.shadowRoot!.querySelector('.codes'))
    expect($(el, '.box').textContent).to.contain('10 backup codes left')
  })

  it('sets up TOTP: QR code from otpauthUrl, then a confirming code', async () => {
    const { el, api } = await mountAccount()
    buttonByText(el, 'Set up an authenticator app').click()
    await waitFor(el, 'img.qr')
    expect($<HTMLImageElement>(el, 'img.qr').src).to.match(/^data:image\/gif;base64,/)
    expect($(el, '.secret').textContent).to.equal('JBSWY3DPEHPK3PXP')
    await expect(el).to.be.accessible()
    await type(el, '#totp-code', '123456')
    await press('Enter')
    await waitUntil(() => /authenticator app is on/.test($(el, '.box').textContent!))
    expect(api.calls.find((c) => c[0] === 'totpVerify')?.slice(1)).to.deep.equal(['at_1', '123456'])
  })

  it('explains an expired session', async () => {
    const api = new FakeApi()
    api.fail('me', 'unauthorized')
    const parentNode = provider(api)
    parentNode.innerHTML = `<phone-verify access-token="old"></phone-verify>`
    const el = parentNode.querySelector('phone-verify') as PhoneVerify
    await waitUntil(() => /Sign in again/.test(errorText(el)))
    expect($(el, '.box').textContent).to.contain('Sign in to manage your phone')
    await expect(el).to.be.accessible()
  })
})
