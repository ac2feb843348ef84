import { expect } from '@open-wc/testing'
import { setViewport } from '@web/test-runner-commands'
import '../../widget/define.js'
import { PhoneInputController } from '../../widget/controllers/phone-input.js'
import type { SmsLogin } from '../../widget/index.js'
import { FakeApi, provider } from './fake-api.js'
import { $, focused, has, paste, press, type, waitFor, waitUntil } from './helpers.js'

async function mount(api = new FakeApi(), attrs = '') {
  const parentNode = provider(api)
  parentNode.innerHTML = `<sms-login ${attrs}></sms-login>`
  const el = parentNode.querySelector('sms-login') as SmsLogin
  await el.ready
  await el.phone.ready
  return { el, api }
}

/** Every country, as when the site allows them all. */
function everywhere(): FakeApi {
  const api = new FakeApi()
  api.config = { ...api.config, allowedCountries: null }
  return api
}

const flagOf = (el: HTMLElement) => getComputedStyle(el, '::before').content.replace(/"/g, '')
const selector = (el: HTMLElement) => $(el, '.iti__country-selector')
const isOpen = (el: HTMLElement) => !selector(el).classList.contains('iti__hide')
const sent = (api: FakeApi) =>
  api.calls.find((c) => c[0] === 'startVerification')?.[1] as { phone: string; country: string }

async function openList(el: HTMLElement) {
  $<HTMLButtonElement>(el, '.iti__selected-country').click()
  await waitUntil(() => isOpen(el), 'country list opens')
}

describe('phone field: numbers and countries', () => {
  it('takes the country from a typed "+" and dial code, never searching the list with it', async () => {
    const { el, api } = await mount()
    await type(el, '#phone', '+1 650 253 0000')
    expect(isOpen(el), 'the country list stays closed').to.equal(false)
    expect(focused(el, '#phone'), 'focus stays in the field').to.equal(true)
    await waitUntil(() => el.phone.country === 'US')
    expect($(el, '.iti__selected-dial-code').textContent).to.equal('+1')
    expect($<HTMLInputElement>(el, '#phone').value).not.to.contain('+')
    expect($<HTMLInputElement>(el, '#phone').value.replace(/\D/g, '')).to.equal('6502530000')
    await press('Enter')
    await waitFor(el, '#code')
    expect(sent(api)).to.include({ phone: '+16502530000', country: 'US' })
  })

  it('takes the country from a pasted international number', async () => {
    const { el, api } = await mount()
    await paste(el, '#phone', '+1 (650) 253-0000')
    await waitUntil(() => el.phone.country === 'US', 'country from the pasted number')
    expect(isOpen(el)).to.equal(false)
    expect($(el, '.iti__selected-dial-code').textContent).to.equal('+1')
    await press('Enter')
    await waitFor(el, '#code')
    expect(sent(api)).to.include({ phone: '+16502530000', country: 'US' })
  })

  it('shows emoji flags on the country button and in the list (no image)', async () => {
    const { el } = await mount()
    const selected = $(el, '.iti__selected-country .iti__flag')
    expect(flagOf(selected)).to.equal('🇮🇳')
    expect(selected.getBoundingClientRect().width).to.be.greaterThan(8)
    await openList(el)
    const us = $(el, '.iti__country[data-iso2="us"] .iti__flag')
    expect(flagOf(us)).to.equal('🇺🇸')
    expect(us.getAttribute('aria-hidden')).to.equal('true')
    expect(getComputedStyle(us).backgroundImage).to.equal('none')
    await waitUntil(() => el.phone.country === 'IN')
  })

  it('names the country list, leaves no blank area under it, and passes axe open', async () => {
    const { el } = await mount(everywhere())
    await openList(el)
    const dialog = selector(el)
    expect(dialog.getAttribute('role')).to.equal('dialog')
    expect(dialog.getAttribute('aria-label')).to.equal('List of countries')
    const list = $(el, '[role="listbox"]')
    expect(list.getAttribute('aria-label')).to.equal('List of countries')
    expect(list.children.length).to.be.greaterThan(200)
    const gap = dialog.getBoundingClientRect().bottom - list.getBoundingClientRect().bottom
    expect(gap, 'space under the list').to.be.at.most(2)
    expect(list.getBoundingClientRect().height).to.be.within(60, 260)
    await expect(el).to.be.accessible()
  })

  it('opens the list below the field when it fits there, even with more room above', async () => {
    await setViewport({ width: 800, height: 900 })
    const room = document.createElement('div')
    room.style.height = '2000px'
    try {
      const { el } = await mount(everywhere())
      document.body.append(room)
      // The field 480 px down the screen: 375 px below it, more above.
      window.scrollBy(0, $(el, '#phone').getBoundingClientRect().top - 480)
      const field = $(el, '#phone').getBoundingClientRect()
      expect(field.top, 'more room above').to.be.greaterThan(900 - field.bottom)
      await openList(el)
      const list = selector(el).getBoundingClientRect()
      expect(list.top, 'opens below').to.be.at.least(field.bottom)
      expect(list.bottom, 'inside the screen').to.be.at.most(900)
    } finally {
      room.remove()
      await setViewport({ width: 800, height: 600 })
    }
  })

  it('announces an empty search without an ARIA error', async () => {
    const { el } = await mount()
    await openList(el)
    const summary = $(el, '.iti__a11y-text')
    expect(summary.getAttribute('role')).to.equal('status')
    await sendSearch('zzqx')
    await waitUntil(() => summary.textContent === 'No country found', summary.textContent!)
    expect(getComputedStyle($(el, '.iti__no-results')).display).not.to.equal('none')
    expect(selector(el).getBoundingClientRect().height, 'the list shrinks').to.be.lessThan(150)
    await expect(el).to.be.accessible()
  })

  it('announces what a search finds, and Escape returns to the country button', async () => {
    const { el } = await mount()
    await openList(el)
    const summary = $(el, '.iti__a11y-text')
    await sendSearch('united')
    await waitUntil(() => summary.textContent === '1 country found', summary.textContent!)
    expect($(el, '[role="listbox"]').children.length).to.equal(1)
    await press('Escape')
    await waitUntil(() => !isOpen(el))
    expect(focused(el, '.iti__selected-country'), 'focus back on the button').to.equal(true)
  })
})

async function sendSearch(text: string) {
  const { sendKeys } = await import('@web/test-runner-commands')
  await sendKeys({ type: text })
}

describe('phone field before the country picker arrives', () => {
  const load = PhoneInputController.loadPicker
  let release = () => {}
  beforeEach(() => {
    const held = new Promise<void>((r) => (release = r))
    PhoneInputController.loadPicker = () => held.then(load)
  })
  afterEach(() => {
    release()
    PhoneInputController.loadPicker = load
  })

  async function mountEarly(api = new FakeApi()) {
    const parentNode = provider(api)
    parentNode.innerHTML = '<sms-login></sms-login>'
    const el = parentNode.querySelector('sms-login') as SmsLogin
    await el.ready
    return { el, api }
  }

  it('keeps what was typed, the caret and the focus when the picker attaches mid-typing', async () => {
    const { el, api } = await mountEarly()
    await type(el, '#phone', '98765')
    expect(has(el, '.iti'), 'no picker yet').to.equal(false)
    release()
    await el.phone.ready
    expect(has(el, '.iti__selected-country')).to.equal(true)
    const input = $<HTMLInputElement>(el, '#phone')
    expect(focused(el, '#phone'), 'focus stays in the field').to.equal(true)
    expect(input.value).to.equal('98765')
    await type(el, '#phone', '43210')
    expect(input.value).to.equal('9876543210')
    await press('Enter')
    await waitFor(el, '#code')
    expect(sent(api)).to.include({ phone: '+919876543210', country: 'IN' })
  })

  it('keeps a typed international number and takes its country when the picker attaches', async () => {
    const { el } = await mountEarly()
    await type(el, '#phone', '+1 650 253')
    release()
    await el.phone.ready
    const input = $<HTMLInputElement>(el, '#phone')
    expect(focused(el, '#phone'), 'focus stays in the field').to.equal(true)
    await waitUntil(() => el.phone.country === 'US')
    await type(el, '#phone', ' 0000')
    expect(input.value.replace(/\D/g, '')).to.equal('6502530000')
  })

  it('sends a number typed before the picker arrives', async () => {
    const { el, api } = await mountEarly()
    await type(el, '#phone', '98765 43210')
    await press('Enter')
    await waitFor(el, '#code')
    expect(has(el, '.iti'), 'sent without the picker').to.equal(false)
    expect(sent(api)).to.include({ phone: '+919876543210', country: 'IN' })
    await expect(el).to.be.accessible()
  })
})

describe('phone field: theming', () => {
  it('names the country button and list as parts, and a page padding never puts digits under the dial code', async () => {
    const style = document.createElement('style')
    style.textContent = 'sms-login::part(phone) { padding: 10px 14px }'
    document.head.append(style)
    try {
      const { el } = await mount()
      expect($(el, '[part="country-button"]').classList.contains('iti__selected-country')).to.equal(
        true,
      )
      expect($(el, '[part="country-list"]').getAttribute('role')).to.equal('listbox')
      const input = $<HTMLInputElement>(el, '#phone')
      const dial = $(el, '.iti__country-container').getBoundingClientRect()
      const textStart =
        input.getBoundingClientRect().left + parseFloat(getComputedStyle(input).paddingLeft)
      expect(textStart, 'the digits start after the dial code').to.be.at.least(dial.right)
    } finally {
      style.remove()
    }
  })
})
