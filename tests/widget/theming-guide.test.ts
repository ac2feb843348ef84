/**
 * docs/guides/theming.md: its stylesheet (docs/snippets/theming/theme.css), added to a page as a
 * site would, restyles both elements: the custom properties reach the button, the corners, the
 * font and the width; the `::part()` rules reach the heading, the fields and the links.
 */
import { expect } from '@open-wc/testing'
import '../../widget/define.js'
import type { PhoneVerify, SmsLogin } from '../../widget/index.js'
import { FakeApi, provider } from './fake-api.js'
import { $, waitUntil } from './helpers.js'

async function mount<T extends HTMLElement>(html: string) {
  const parent = provider(new FakeApi())
  parent.innerHTML = html
  const el = parent.firstElementChild as T & { ready: Promise<void> }
  await el.ready
  return el
}

describe('the theming guide', () => {
  before(async () => {
    const style = document.createElement('style')
    style.textContent = await (await fetch('/docs/snippets/theming/theme.css')).text()
    document.head.append(style)
  })

  it('restyles <sms-login> through custom properties and ::part()', async () => {
    const el = await mount<SmsLogin>('<sms-login></sms-login>')
    await el.phone.ready
    const button = getComputedStyle($(el, '[part~="button"]'))
    expect(button.backgroundColor).to.equal('rgb(15, 118, 110)')
    expect(button.color).to.equal('rgb(255, 255, 255)')
    expect(getComputedStyle($(el, '[part~="box"]')).borderTopLeftRadius).to.equal('4px')
    expect(getComputedStyle($(el, '[part~="box"]')).fontFamily).to.contain('Georgia')
    expect(getComputedStyle(el).maxWidth).to.equal('360px')
    expect(getComputedStyle($(el, '[part~="heading"]')).letterSpacing).to.not.equal('normal')
    expect(getComputedStyle($(el, '#phone')).borderTopLeftRadius).to.equal('0px')
  })

  it('restyles the links of <phone-verify>', async () => {
    const el = await mount<PhoneVerify>('<phone-verify access-token="at_1"></phone-verify>')
    await waitUntil(() => el.user !== undefined && el.shadowRoot!.querySelector('[part~="link"]'))
    expect(getComputedStyle($(el, '[part~="link"]')).color).to.equal('rgb(107, 33, 168)')
  })
})
