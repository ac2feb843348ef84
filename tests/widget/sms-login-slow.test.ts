/**
 * Slow networks: every request shows its busy state on the control that asked for it at once,
 * and nothing is submitted twice (double click, Enter twice) while the API has not answered.
 */
import { expect } from '@open-wc/testing'
import type { SmsLogin } from '../../widget/index.js'
import { CODE, FakeApi, PROOF } from './fake-api.js'
import { $, buttonByText, press, type, waitFor, waitUntil } from './helpers.js'
import { mount, slow, toCodeStep } from './sms-login-helpers.js'

/** Whether a button shows that its request is on its way (and takes no click). */
function isBusy(b: Element): boolean {
  return b.getAttribute('aria-disabled') === 'true' && /Please wait/.test(b.textContent!)
}
const mainButton = (el: SmsLogin) => $<HTMLButtonElement>(el, 'button[part~="button"]')

describe('<sms-login> on a network that answers late', () => {
  it('phone step: busy at once, one start for Enter twice and a click', async () => {
    const { el, api } = await mount()
    const net = slow(api)
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await el.updateComplete
    expect(isBusy(mainButton(el))).to.equal(true)
    await press('Enter')
    mainButton(el).click()
    await waitUntil(() => api.count('startVerification') === 1)
    expect(isBusy(mainButton(el))).to.equal(true)
    await expect(el).to.be.accessible()
    net.release()
    await waitFor(el, '#code')
    expect(api.count('startVerification')).to.equal(1)
  })

  it('code step: the complete code goes once, whatever is pressed while it is checked', async () => {
    const { el, api } = await mount()
    await toCodeStep(el)
    const net = slow(api)
    await type(el, '#code', CODE)
    await el.updateComplete
    expect(isBusy(mainButton(el))).to.equal(true)
    await press('Enter')
    await press('Enter')
    mainButton(el).click()
    mainButton(el).click()
    expect(api.count('check')).to.equal(1)
    net.release()
    await waitFor(el, '#name')
    expect(api.count('check')).to.equal(1)
  })

  it('resend: the link shows its request (not the Verify button) and sends once', async () => {
    const { el, api } = await mount()
    await toCodeStep(el)
    const net = slow(api)
    const resend = buttonByText(el, 'Resend code')
    resend.click()
    await el.updateComplete
    expect(isBusy(resend)).to.equal(true)
    expect(isBusy(mainButton(el))).to.equal(false)
    resend.click()
    buttonByText(el, 'Call me instead').click()
    await expect(el).to.be.accessible()
    net.release()
    await waitUntil(() => /again/.test($(el, '.box').textContent!))
    expect(api.calls.filter((c) => c[0] === 'resend').length).to.equal(1)
  })

  it('details step: one account for Enter twice', async () => {
    const { el, api } = await mount()
    await toCodeStep(el)
    await type(el, '#code', CODE)
    await waitFor(el, '#name')
    await type(el, '#name', 'Asha')
    await type(el, '#email', 'asha@example.com')
    const net = slow(api)
    await press('Enter')
    await el.updateComplete
    expect(isBusy(mainButton(el))).to.equal(true)
    await press('Enter')
    mainButton(el).click()
    net.release()
    await waitUntil(() => el.session !== undefined)
    expect(api.count('createUser')).to.equal(1)
  })

  it('password sign-in and the password as second factor: each sent once', async () => {
    const api = new FakeApi()
    api.signIn = async (email, password) => {
      api.calls.push(['signIn', email, password])
      if (api.gate) await api.gate
      return { mfaRequired: true, mfaTicket: 'mfa_1', methods: ['password'] }
    }
    const { el } = await mount(api, 'password')
    buttonByText(el, 'Use email and password').click()
    await waitFor(el, '#email')
    await type(el, '#email', 'asha@example.com')
    await type(el, '#password', PROOF.password)
    let net = slow(api)
    await press('Enter')
    await el.updateComplete
    expect(isBusy(mainButton(el))).to.equal(true)
    await press('Enter')
    net.release()
    await waitFor(el, '#mfa-password')
    expect(api.count('signIn')).to.equal(1)
    await type(el, '#mfa-password', PROOF.password)
    net = slow(api)
    await press('Enter')
    await el.updateComplete
    expect(isBusy(mainButton(el))).to.equal(true)
    await press('Enter')
    mainButton(el).click()
    net.release()
    await waitUntil(() => el.session !== undefined)
    expect(api.count('mfaPassword')).to.equal(1)
  })
})
