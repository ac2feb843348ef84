import { expect } from '@open-wc/testing'
import { setViewport } from '@web/test-runner-commands'
import '../../widget/define.js'
import type { PhoneVerify, SmsLogin } from '../../widget/index.js'
import { FakeApi, provider } from './fake-api.js'
import { $, press, readsLeftToRight, type, waitFor, waitUntil } from './helpers.js'

async function mount<T extends HTMLElement>(html: string, api = new FakeApi()) {
  const parentNode = provider(api)
  parentNode.innerHTML = html
  const el = parentNode.firstElementChild as T & { ready: Promise<void> }
  await el.ready
  await waitUntil(() => el.shadowRoot!.querySelector('.box')?.getAttribute('dir') === 'rtl')
  return { el, api }
}

async function mountLogin(api = new FakeApi()) {
  const { el } = await mount<SmsLogin>('<sms-login locale="ar"></sms-login>', api)
  await el.phone.ready
  return el
}

describe('right to left (Arabic)', () => {
  afterEach(async () => {
    await setViewport({ width: 800, height: 600 })
  })

  it('opens the country list inside a 375 px viewport, without sideways scrolling', async () => {
    await setViewport({ width: 375, height: 667 })
    const api = new FakeApi()
    api.config = { ...api.config, allowedCountries: null }
    const el = await mountLogin(api)
    $<HTMLButtonElement>(el, '.iti__selected-country').click()
    const list = $(el, '.iti__country-selector')
    await waitUntil(() => !list.classList.contains('iti__hide'), 'country list opens')
    const r = list.getBoundingClientRect()
    expect(r.left, 'left edge').to.be.at.least(0)
    expect(r.right, 'right edge').to.be.at.most(375)
    expect(r.width).to.be.greaterThan(200)
    expect(document.documentElement.scrollWidth, 'page width').to.be.at.most(375)
    // The names follow the page's direction; the dial codes in them do not.
    expect(getComputedStyle(list).direction).to.equal('rtl')
    expect(readsLeftToRight(el, '(+91)')).to.equal(true)
    await expect(el).to.be.accessible()
  })

  it('keeps the phone field, its dial code and a typed number left to right', async () => {
    const el = await mountLogin()
    expect(getComputedStyle($(el, '#phone')).direction).to.equal('ltr')
    expect(readsLeftToRight(el, '+91')).to.equal(true)
    await type(el, '#phone', '+1 650 253 0000')
    await waitUntil(() => el.phone.country === 'US')
    expect(readsLeftToRight(el, '+1')).to.equal(true)
    // The dial code sits before the digits, as the number is written.
    const dial = $(el, '.iti__selected-dial-code').getBoundingClientRect()
    const field = $(el, '#phone').getBoundingClientRect()
    expect(dial.left - field.left, 'dial code on the left').to.be.lessThan(field.width / 3)
    await expect(el).to.be.accessible()
  })

  it('shows the number left to right in the code step, and the code field too', async () => {
    const el = await mountLogin()
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(el, '#code')
    // The code step shows the number as the user typed it (their own, in their own browser).
    expect(readsLeftToRight(el, '+91 98765 43210')).to.equal(true)
    expect(getComputedStyle($(el, '#code')).direction).to.equal('ltr')
    await expect(el).to.be.accessible()
  })

  it('<phone-verify>: the phone number and new backup codes read left to right', async () => {
    const { el } = await mount<PhoneVerify>(
      '<phone-verify access-token="at_1" locale="ar"></phone-verify>',
    )
    await waitUntil(() => el.user !== undefined && el.backupRemaining === 7)
    expect(readsLeftToRight(el, '+919876543210')).to.equal(true)
    await waitUntil(() => el.account !== undefined)
    await el.account!.makeBackupCodes()
    await waitFor(el, '.codes')
    expect(readsLeftToRight(el, 'code-1')).to.equal(true)
    await expect(el).to.be.accessible()
  })
})
