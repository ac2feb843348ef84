import { expect } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import '../../widget/define.js'
import type { PhoneVerify } from '../../widget/index.js'
import { CODE, FakeApi, provider, USER } from './fake-api.js'
import { $, buttonByText, errorText, press, record, type, waitFor, waitUntil } from './helpers.js'

async function mount(html: string, setup: (api: FakeApi) => void = () => {}) {
  const api = new FakeApi()
  setup(api)
  const parentNode = provider(api)
  parentNode.innerHTML = html
  const el = parentNode.querySelector('phone-verify') as PhoneVerify
  await el.ready
  if (el.token) await waitUntil(() => el.user !== undefined)
  else await el.phone.ready
  return { el, api }
}
const account = (setup?: (api: FakeApi) => void) =>
  mount('<phone-verify access-token="at_1"></phone-verify>', setup)
const inForm = (setup?: (api: FakeApi) => void) =>
  mount('<form><phone-verify name="mobile"></phone-verify></form>', setup)

const focused = (el: PhoneVerify) => el.shadowRoot!.activeElement as HTMLElement | null
const status = (el: PhoneVerify) => $(el, '[part~="status"]')
/** The status line says `text` on screen (not only to screen readers) as a polite live region. */
async function saysOnScreen(el: PhoneVerify, text: RegExp) {
  await waitUntil(() => text.test(status(el).textContent!), `status ${text}`)
  const line = status(el)
  expect(line.getAttribute('role')).to.equal('status')
  expect(line.classList.contains('sr-only')).to.equal(false)
  const box = line.getBoundingClientRect()
  expect(box.width).to.be.greaterThan(20)
  expect(box.height).to.be.greaterThan(10)
}
const checks = (api: FakeApi) => api.calls.filter((c) => c[0] === 'check').map((c) => c.slice(1, 3))

async function toCodeStep(el: PhoneVerify) {
  await type(el, '#phone', '9876543210')
  await press('Enter')
  await waitFor(el, '#code')
  await waitUntil(() => focused(el)?.id === 'code', 'focus in the code field')
}

describe('<phone-verify> recovery and focus', () => {
  it('after adding a phone: the focus stays in the element and "verified" is said on screen', async () => {
    const { el } = await account((api) => {
      api.user = { ...USER, phone: null, phoneVerified: false }
      api.approve = { status: 'approved', user: USER }
    })
    buttonByText(el, 'Add phone').click()
    await waitFor(el, '#phone')
    await el.phone.ready
    await waitUntil(() => focused(el)?.id === 'phone', 'focus in the phone field')
    await sendKeys({ type: '9876543210' })
    await press('Enter')
    await waitFor(el, '#code')
    await sendKeys({ type: CODE })
    await saysOnScreen(el, /Your phone is verified/)
    await waitUntil(() => focused(el)?.textContent?.trim() === 'Change phone', 'focus on Change')
    expect(document.activeElement).to.equal(el)
    await expect(el).to.be.accessible()
  })

  it('the new-number step of a change keeps the focus in the phone field once its picker attaches', async () => {
    const { el, api } = await account((a) => (a.approve = { status: 'approved', user: USER }))
    buttonByText(el, 'Change phone').click()
    await el.updateComplete
    buttonByText(el, 'Send code').click()
    await waitFor(el, '#code')
    await sendKeys({ type: CODE })
    await saysOnScreen(el, /Now enter your new phone number/)
    await el.phone.ready
    await waitUntil(() => focused(el)?.id === 'phone', 'focus in the new phone field')
    // Typed without clicking anywhere: the keys land in the field.
    await sendKeys({ type: '9876500002' })
    expect($<HTMLInputElement>(el, '#phone').value.replace(/\D/g, '')).to.equal('9876500002')
    await press('Enter')
    await waitUntil(() => api.count('startVerification') === 2)
  })

  it('a locked code hands focus to "Resend code"; the fresh code is asked for in an empty field', async () => {
    const { el, api } = await account((a) => {
      a.user = { ...USER, phone: null, phoneVerified: false }
      a.approve = { status: 'approved', user: USER }
    })
    buttonByText(el, 'Add phone').click()
    await waitFor(el, '#phone')
    await el.phone.ready
    await toCodeStep(el)
    api.fail('check', 'too_many_attempts')
    await sendKeys({ type: '222222' })
    await waitUntil(() => /Too many wrong codes/.test(errorText(el)))
    await waitUntil(() => focused(el)?.textContent?.trim() === 'Resend code', 'focus on resend')
    expect($<HTMLInputElement>(el, '#code').disabled).to.equal(true)
    await press('Enter') // the focused "Resend code"
    await waitUntil(() => api.count('startVerification') === 2)
    await saysOnScreen(el, /^\s*We sent a new code to \+91•••••••210\.\s*$/)
    const input = $<HTMLInputElement>(el, '#code')
    await waitUntil(() => focused(el) === input, 'focus back in the code field')
    expect(input.value).to.equal('')
    expect(errorText(el)).to.equal('')
    await sendKeys({ type: CODE })
    await saysOnScreen(el, /Your phone is verified/)
    expect(checks(api)).to.deep.equal([
      ['ver_1', '222222'],
      ['ver_1', CODE],
    ])
  })

  it('"Resend code" says the same code was sent again, empties the field and submits nothing stale', async () => {
    const { el, api } = await inForm()
    await toCodeStep(el)
    await sendKeys({ type: '123' })
    buttonByText(el, 'Resend code').click()
    await waitUntil(() => api.count('resend') === 1)
    expect(api.calls.find((c) => c[0] === 'resend')!.slice(1, 3)).to.deep.equal(['ver_1', 'sms'])
    await saysOnScreen(el, /^\s*We sent the code again to \+91•••••••210\.\s*$/)
    const input = $<HTMLInputElement>(el, '#code')
    await waitUntil(() => focused(el) === input)
    expect(input.value).to.equal('')
    await sendKeys({ type: '456' })
    await press('Enter') // three digits: not a code, nothing is sent
    await el.updateComplete
    expect(api.count('check')).to.equal(0)
    await sendKeys({ type: '789' })
    await waitUntil(() => api.count('check') === 1)
    expect(checks(api)).to.deep.equal([['ver_1', '456789']])
  })

  it('"Call me instead" announces the call and puts the user back in the code field', async () => {
    const { el, api } = await inForm()
    await toCodeStep(el)
    buttonByText(el, 'Call me instead').click()
    await waitUntil(() => /We are calling \+91•••••••210/.test(status(el).textContent!))
    expect(api.calls.find((c) => c[0] === 'resend')![2]).to.equal('voice')
    await waitUntil(() => focused(el)?.id === 'code')
    await expect(el).to.be.accessible()
  })

  it('an expired code in form mode: focus on "Resend code", then the verified number gets the focus', async () => {
    const { el, api } = await inForm()
    await toCodeStep(el)
    api.fail('check', 'verification_expired')
    await sendKeys({ type: '111111' })
    await waitUntil(() => /expired/.test(errorText(el)))
    await waitUntil(() => focused(el)?.textContent?.trim() === 'Resend code', 'focus on resend')
    await press('Enter')
    await saysOnScreen(el, /We sent a new code/)
    await waitUntil(() => focused(el)?.id === 'code')
    await sendKeys({ type: CODE })
    await waitUntil(() => el.value === '+919876543210')
    await waitUntil(() => focused(el)?.textContent?.trim() === 'Change phone', 'focus on Change')
    expect(document.activeElement).to.equal(el)
  })

  it('"Copied" is said on screen once the clipboard took the codes; a refusal says what to do', async () => {
    const { el } = await account()
    let clipboard = ''
    let refuse = false
    const writeText = async (text: string) => {
      if (refuse) throw new DOMException('denied', 'NotAllowedError')
      clipboard = text
    }
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '.codes')
    buttonByText(el, 'Copy').focus()
    await press('Enter')
    await saysOnScreen(el, /Copied/)
    expect(clipboard.split('\n')).to.have.length(11)
    expect(clipboard).to.contain('code-9')
    expect(focused(el)?.textContent?.trim()).to.equal('Copy')
    await expect(el).to.be.accessible()

    refuse = true
    await press('Enter')
    await waitUntil(() => /Select the codes and copy them/.test(errorText(el)))
  })

  it('"Phone removed" is said on screen, and the focus moves to "Add phone"', async () => {
    const { el } = await account()
    const removed = record(el, 'sms-auth-phone-removed')
    buttonByText(el, 'Remove phone').click()
    await waitFor(el, '#factor-code')
    await waitUntil(() => focused(el)?.id === 'factor-code')
    await sendKeys({ type: 'abcd-efgh' })
    await press('Enter')
    await waitUntil(() => removed.length === 1)
    await saysOnScreen(el, /Your phone was removed/)
    await waitUntil(() => focused(el)?.textContent?.trim() === 'Add phone')
  })

  it('a resend in "Confirm it’s you" also empties and focuses its code field', async () => {
    const { el, api } = await account((a) => (a.stepUp = ['sms']))
    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '#code')
    await waitUntil(() => focused(el)?.id === 'code')
    await sendKeys({ type: '12' })
    buttonByText(el, 'Resend code').click()
    await saysOnScreen(el, /We sent the code again/)
    await waitUntil(() => focused(el)?.id === 'code')
    expect($<HTMLInputElement>(el, '#code').value).to.equal('')
    expect(api.calls.find((c) => c[0] === 'resend')![1]).to.equal('ver_reauth')
    await sendKeys({ type: CODE })
    await waitFor(el, '.codes')
  })
})
