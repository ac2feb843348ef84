import { expect } from '@open-wc/testing'
import '../../widget/define.js'
import type { PhoneVerify, SmsLogin } from '../../widget/index.js'
import { LOCALES } from '../../widget/index.js'
import { loadStrings } from '../../widget/i18n/index.js'
import { accountStrings } from '../../widget/i18n/account.js'
import { resetStrings } from '../../widget/i18n/reset.js'
import { FakeApi, provider } from './fake-api.js'
import { $, buttonByText, waitFor, waitUntil } from './helpers.js'

async function mount<T extends HTMLElement>(html: string) {
  const parentNode = provider(new FakeApi())
  parentNode.innerHTML = html
  const el = parentNode.firstElementChild as T & { ready: Promise<void> }
  await el.ready
  return el
}

describe('the account views in every locale', () => {
  for (const locale of LOCALES) {
    it(`${locale}: the reset and the profile sections, translated, right way round, axe-clean`, async () => {
      const t = await loadStrings(locale)
      const dir = locale === 'ar' ? 'rtl' : 'ltr'

      const login = await mount<SmsLogin>(`<sms-login password locale="${locale}"></sms-login>`)
      buttonByText(login, t.usePassword).click()
      await waitFor(login, '#password')
      buttonByText(login, t.forgotPassword).click()
      const r = resetStrings[locale]
      await waitUntil(() => $(login, '[part~="heading"]').textContent === r.title)
      expect($(login, '.box').getAttribute('dir')).to.equal(dir)
      expect(login.shadowRoot!.textContent).to.contain(r.intro)
      await expect(login).to.be.accessible()

      const pv = await mount<PhoneVerify>(
        `<phone-verify access-token="at_1" profile locale="${locale}"></phone-verify>`,
      )
      const a = accountStrings[locale]
      await waitUntil(() => pv.shadowRoot!.querySelectorAll('.devices li').length === 3)
      const text = pv.shadowRoot!.textContent!
      for (const s of [
        a.profileTitle,
        a.devicesTitle,
        a.thisDevice,
        a.signOutOthers,
        a.deleteTitle,
      ])
        expect(text).to.contain(s)
      expect($(pv, '.box').getAttribute('dir')).to.equal(dir)
      await expect(pv).to.be.accessible()
    })
  }
})
