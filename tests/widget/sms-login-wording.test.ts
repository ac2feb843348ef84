/** Waits read as minutes and seconds ("9 min, 53 sec"), never "593 s", in all five locales. */
import { expect } from '@open-wc/testing'
import { LOCALES } from '../../widget/index.js'
import { FakeApi } from './fake-api.js'
import { $, errorText, press, type, waitUntil } from './helpers.js'
import { mount, toCodeStep } from './sms-login-helpers.js'

/** The zeros of the digits our locales may use: ASCII, Arabic-Indic, Persian, Devanagari. */
const ZEROS = [0x30, 0x660, 0x6f0, 0x966]
/** Digits of those scripts as ASCII. */
const ascii = (s: string) =>
  s.replace(/\p{Nd}/gu, (d) => {
    const c = d.codePointAt(0)!
    const zero = ZEROS.find((z) => c >= z && c <= z + 9)
    return zero === undefined ? d : String(c - zero)
  })

describe('<sms-login> waits', () => {
  for (const locale of LOCALES) {
    it(`${locale}: a 593 s wait reads as 9 minutes and 53 seconds`, async () => {
      const api = new FakeApi()
      api.fail('startVerification', 'rate_limited', { retryAfter: 593 })
      const { el } = await mount(api, `locale="${locale}"`)
      expect(el.t.lang).to.equal(locale)
      await type(el, '#phone', '9876543210')
      await press('Enter')
      await waitUntil(() => errorText(el) !== '')
      const text = ascii(errorText(el))
      expect(text).not.to.contain('593')
      expect(text).to.match(/(^|\D)9\D+53(\D|$)/)
      if (locale === 'en') expect(text).to.match(/Try again in 9 min,? 53 sec\./)
      await expect(el).to.be.accessible()
    })
  }

  it('the resend countdown reads in minutes and seconds too', async () => {
    const api = new FakeApi()
    api.cooldown = 125
    const { el } = await mount(api)
    await toCodeStep(el)
    expect($(el, '.box').textContent).to.match(/new code in 2 min,? (5|4) sec/)
  })

  it('a lock without end gives no time at all', async () => {
    const api = new FakeApi()
    api.fail('startVerification', 'rate_limited', { retryAfter: 8_000_000_000 })
    const { el } = await mount(api)
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitUntil(() => errorText(el) !== '')
    expect(errorText(el)).to.equal('Too many tries in a short time. Wait a little and try again.')
  })
})
