import { expect } from '@open-wc/testing'
import '../../widget/define.js'
import type { PhoneVerify, SmsLogin } from '../../widget/index.js'
import { CODE, FakeApi, provider, USER } from './fake-api.js'
import { $, buttonByText, press, type, waitFor, waitUntil } from './helpers.js'

// A site's stylesheet: a `::part()` rule from outside the shadow root.
const probe = document.createElement('style')
document.head.append(probe)

/** The parts (of `names`) a page's `::part()` rule reaches in the element's current state. */
function styledParts(el: HTMLElement, names: string[]): string[] {
  return names.filter((name) => {
    probe.textContent = `.themed::part(${name}) { scroll-margin-top: 7px }`
    return [...el.shadowRoot!.querySelectorAll('*')].some(
      (node) => getComputedStyle(node).scrollMarginTop === '7px',
    )
  })
}
/** Fails naming the parts a page cannot reach. */
function expectParts(el: HTMLElement, names: string[]) {
  expect(styledParts(el, names)).to.deep.equal(names)
}

async function mount<T extends HTMLElement>(
  html: string,
  setup: (api: FakeApi) => void = () => {},
) {
  const api = new FakeApi()
  setup(api)
  const parentNode = provider(api)
  parentNode.innerHTML = html
  const el = parentNode.firstElementChild as T & { ready: Promise<void> }
  await el.ready
  return { el, api }
}

const visible = (node: Element) => (node as HTMLElement).offsetParent !== null

describe('::part() on every visible piece', () => {
  it('<sms-login>: phone, code, password and details steps', async () => {
    const { el } = await mount<SmsLogin>('<sms-login class="themed" password></sms-login>', (a) => {
      a.cooldown = 30
    })
    await el.phone.ready
    expectParts(el, ['box', 'heading', 'form', 'label', 'input', 'phone', 'hint', 'button'])
    expectParts(el, ['link', 'error', 'status'])
    expect(el.shadowRoot!.querySelector('#phone')!.part.value).to.equal('input phone')
    expect(el.shadowRoot!.querySelector('[role="status"]')!.part.value).to.equal('status')

    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(el, '#code')
    expect($(el, '#code').part.value).to.equal('input code')
    expectParts(el, ['input', 'code', 'countdown', 'link'])

    el.back()
    await el.updateComplete
    buttonByText(el, 'Use email and password').click()
    await waitFor(el, '#password')
    expect($(el, '#email').part.value).to.equal('input email')
    expect($(el, '#password').part.value).to.equal('input password')
    buttonByText(el, 'New here? Create an account').click()
    await waitFor(el, '#name')
    expect($(el, '#name').part.value).to.equal('input name')
    expectParts(el, ['input', 'name', 'email', 'password', 'label', 'link'])
  })

  it('<sms-login>: the details step after a new number', async () => {
    const { el } = await mount<SmsLogin>('<sms-login class="themed"></sms-login>')
    await el.phone.ready
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(el, '#code')
    await type(el, '#code', CODE)
    await waitFor(el, '#name')
    expectParts(el, ['input', 'name', 'email', 'label', 'button'])
  })

  it('<phone-verify>: account overview, removal, backup codes and the verified form field', async () => {
    const { el } = await mount<PhoneVerify>(
      '<phone-verify class="themed" access-token="at_1"></phone-verify>',
    )
    await waitUntil(() => el.backupRemaining === 7)
    expectParts(el, ['box', 'heading', 'subheading', 'button', 'link', 'error', 'status'])
    buttonByText(el, 'Remove phone').click()
    await waitFor(el, '#factor-code')
    expect($(el, '#factor-code').part.value).to.equal('input code')
    expectParts(el, ['label', 'input', 'code', 'form'])
    buttonByText(el, 'Cancel').click()
    await el.updateComplete
    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '.codes')
    expectParts(el, ['codes', 'link'])

    const form = await mount<PhoneVerify>('<phone-verify class="themed" name="p"></phone-verify>')
    await form.el.phone.ready
    await type(form.el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(form.el, '#code')
    await type(form.el, '#code', CODE)
    await waitFor(form.el, '[part~="verified"]')
    expectParts(form.el, ['verified', 'label', 'number', 'verified-mark', 'link'])
    await expect(form.el).to.be.accessible()
  })
})

describe('no-heading', () => {
  it('hides the heading of either element, for a page with its own', async () => {
    const { el } = await mount<SmsLogin>('<sms-login no-heading></sms-login>')
    expect(el.noHeading).to.equal(true)
    expect(visible($(el, '[part~="heading"]'))).to.equal(false)
    el.noHeading = false
    await el.updateComplete
    expect(el.hasAttribute('no-heading')).to.equal(false)
    expect(visible($(el, '[part~="heading"]'))).to.equal(true)

    const pv = await mount<PhoneVerify>(
      '<phone-verify no-heading access-token="at_1"></phone-verify>',
    )
    await waitUntil(() => pv.el.user !== undefined)
    expect(visible($(pv.el, '[part~="heading"]'))).to.equal(false)
    // The sections keep their own titles.
    expect(visible($(pv.el, '[part~="subheading"]'))).to.equal(true)
    await expect(pv.el).to.be.accessible()
  })
})

describe('<phone-verify> numbers read left to right', () => {
  it('shows the account’s phone isolated left to right in Arabic', async () => {
    const { el } = await mount<PhoneVerify>(
      '<phone-verify locale="ar" access-token="at_1"></phone-verify>',
      (a) => {
        a.user = { ...USER, phone: '+12015550123' }
      },
    )
    await waitUntil(() => $(el, '.box').getAttribute('dir') === 'rtl' && el.user !== undefined)
    const number = $(el, 'bdi[dir="ltr"]')
    expect(number.textContent).to.equal('+12015550123')
    expect(number.parentElement!.textContent).to.equal('هاتفك: +12015550123')
  })
})
