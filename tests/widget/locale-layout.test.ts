import { expect } from '@open-wc/testing'
import { setViewport } from '@web/test-runner-commands'
import '../../widget/define.js'
import type { SmsLogin } from '../../widget/index.js'
import { FakeApi, provider } from './fake-api.js'
import { $, colorScheme, press, type, waitFor, waitUntil } from './helpers.js'

async function mount(attrs = '', lang?: string) {
  const parentNode = provider(new FakeApi())
  if (lang) parentNode.setAttribute('lang', lang)
  parentNode.innerHTML = `<sms-login ${attrs}></sms-login>`
  const el = parentNode.querySelector('sms-login') as SmsLogin
  await el.ready
  await el.phone.ready
  return el
}

describe('<sms-login> locale', () => {
  it('follows the locale attribute and switches when it changes', async () => {
    const el = await mount('locale="es"')
    expect($(el, 'button[part~="button"]').textContent).to.contain('Enviar código')
    el.locale = 'fr'
    await waitUntil(() => /Envoyer le code/.test($(el, 'button[part~="button"]').textContent!))
    expect($(el, '.box').getAttribute('lang')).to.equal('fr')
  })

  it("falls back to the page's lang (hi-IN → Hindi)", async () => {
    const el = await mount('', 'hi-IN')
    await waitUntil(() => /कोड भेजें/.test($(el, 'button[part~="button"]').textContent!))
    await expect(el).to.be.accessible()
  })

  it('renders Arabic right to left, translated errors included, and passes axe', async () => {
    const el = await mount('locale="ar"')
    await waitUntil(() => $(el, '.box').getAttribute('dir') === 'rtl')
    await type(el, '#phone', '123')
    await press('Enter')
    await waitUntil(() => /صالح/.test($(el, '[part~="error"]').textContent!))
    await expect(el).to.be.accessible()
  })

  it('sends the locale with the verification', async () => {
    const api = new FakeApi()
    const parentNode = provider(api)
    parentNode.innerHTML = '<sms-login locale="fr"></sms-login>'
    const el = parentNode.querySelector('sms-login') as SmsLogin
    await el.ready
    await el.phone.ready
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(el, '#code')
    const body = api.calls.find((c) => c[0] === 'startVerification')![1] as { locale: string }
    expect(body.locale).to.equal('fr')
  })
})

describe('<sms-login> layout', () => {
  afterEach(async () => {
    await setViewport({ width: 800, height: 600 })
    await colorScheme('none')
  })

  it('keeps the country list inside the shadow root and on screen at 375×667', async () => {
    await setViewport({ width: 375, height: 667 })
    const el = await mount()
    const before = document.body.children.length
    const button = $<HTMLButtonElement>(el, '.iti__selected-country')
    button.click()
    const list = $(el, '.iti__country-selector')
    await waitUntil(() => !list.classList.contains('iti__hide'), 'country list opens')
    expect(document.body.children.length).to.equal(before)
    expect(
      document.querySelector('.iti--fullscreen-popup, .iti--detached-country-selector'),
    ).to.equal(null)
    const r = list.getBoundingClientRect()
    expect(r.left).to.be.at.least(0)
    expect(r.right).to.be.at.most(375)
    expect(r.height).to.be.greaterThan(40)
    // Choosing a country by keyboard works inside the list.
    await press('ArrowDown')
    await press('Enter')
    await waitUntil(() => list.classList.contains('iti__hide'), 'country list closes')
    await expect(el).to.be.accessible()
  })

  it('follows prefers-color-scheme: dark unless a custom property is set', async () => {
    const el = await mount()
    const bg = () => getComputedStyle($(el, '.box')).backgroundColor
    const light = bg()
    await colorScheme('dark')
    await waitUntil(() => bg() !== light)
    await expect(el).to.be.accessible()
    el.style.setProperty('--sms-auth-color-background', 'rgb(1, 2, 3)')
    expect(bg()).to.equal('rgb(1, 2, 3)')
  })

  it('exposes the ::part names of WIDGET.md', async () => {
    const el = await mount()
    for (const part of ['form', 'phone', 'button', 'error']) {
      expect(el.shadowRoot!.querySelector(`[part~="${part}"]`), part).to.not.equal(null)
    }
  })
})
