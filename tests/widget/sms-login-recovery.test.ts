/** Issue 10, recovery paths: resend, lockout, expiry, the last try, a different number. */
import { expect } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import { CODE, FakeApi } from './fake-api.js'
import { $, buttonByText, errorText, press, type, waitFor, waitUntil } from './helpers.js'
import { focused, mount, statusText, toCodeStep } from './sms-login-helpers.js'

const shown = (el: HTMLElement) => $(el, '.box').textContent!

describe('<sms-login> resend', () => {
  it('empties and focuses the field, says the code was sent again and where, and never resubmits the old digits', async () => {
    const { el, api } = await mount()
    await toCodeStep(el)
    await type(el, '#code', '12345')
    buttonByText(el, 'Resend code').click()
    await waitUntil(() => /again/.test(statusText(el)), 'resend announced')
    expect(api.calls.find((c) => c[0] === 'resend')?.slice(1, 3)).to.deep.equal(['ver_1', 'sms'])
    expect(statusText(el)).to.equal('We sent the code again to +91 98765 43210.')
    expect($(el, '[role="status"]').getAttribute('aria-live')).to.equal('polite')
    expect(shown(el)).to.contain('We sent the code again to +91 98765 43210.')
    const input = $<HTMLInputElement>(el, '#code')
    expect(input.value).to.equal('')
    expect(focused(el)).to.equal(input)
    // One more digit makes six: the old five must not go out with it.
    await sendKeys({ type: '6' })
    expect(input.value).to.equal('6')
    expect(api.count('check')).to.equal(0)
    await expect(el).to.be.accessible()
  })

  it('announces a second resend too (the status changes, so it is read again)', async () => {
    const { el, api } = await mount()
    await toCodeStep(el)
    buttonByText(el, 'Resend code').click()
    await waitUntil(() => /again/.test(statusText(el)))
    const seen: string[] = []
    const status = $(el, '[role="status"]')
    const watch = new MutationObserver(() => seen.push(status.textContent!.trim()))
    watch.observe(status, { childList: true, characterData: true, subtree: true })
    buttonByText(el, 'Resend code').click()
    await waitUntil(() => api.count('resend') === 2 && /again/.test(seen.at(-1) ?? ''))
    watch.disconnect()
    expect(seen).to.include('')
  })

  it('keeps the focus in the field and says why when the resend is refused', async () => {
    const { el, api } = await mount()
    await toCodeStep(el)
    api.fail('resend', 'rate_limited', { retryAfter: 20 })
    buttonByText(el, 'Resend code').click()
    await waitUntil(() => errorText(el) !== '')
    expect(errorText(el)).to.match(/Try again in 20 sec/)
    expect(focused(el)).not.to.equal(null)
  })
})

describe('<sms-login> after a lockout or expiry', () => {
  for (const code of ['too_many_attempts', 'verification_expired'] as const) {
    it(`${code}: the focus goes to "Resend code", then a new code: empty field, focused, announced`, async () => {
      const { el, api } = await mount()
      await toCodeStep(el)
      api.fail('check', code)
      await type(el, '#code', CODE)
      await waitUntil(() => errorText(el) !== '')
      expect(errorText(el)).to.match(/new (code|one)/i)
      const input = $<HTMLInputElement>(el, '#code')
      expect(input.disabled).to.equal(true)
      await waitUntil(() => focused(el) === $(el, '#code-new'), 'focus on the way out')
      expect($(el, '#code-new').textContent).to.contain('Resend code')
      await expect(el).to.be.accessible()
      await press('Enter')
      await waitUntil(() => /new code/.test(statusText(el)), 'new code announced')
      expect(api.count('startVerification')).to.equal(2)
      expect(statusText(el)).to.equal('We sent a new code to +91 98765 43210.')
      const fresh = $<HTMLInputElement>(el, '#code')
      expect(fresh.disabled).to.equal(false)
      expect(fresh.value).to.equal('')
      expect(focused(el)).to.equal(fresh)
      await sendKeys({ type: '7' })
      expect(api.count('check')).to.equal(1)
      await expect(el).to.be.accessible()
    })
  }

  it('says "last try" (never "0 attempts left") when the wrong code used the last attempt', async () => {
    const api = new FakeApi()
    api.attempts = 2
    const { el } = await mount(api)
    await toCodeStep(el)
    await type(el, '#code', '000000')
    await waitUntil(() => errorText(el) !== '')
    expect(errorText(el)).to.match(/1 attempt left/)
    expect($<HTMLInputElement>(el, '#code').disabled).to.equal(false)
    await type(el, '#code', '000001')
    await waitUntil(() => /last try/.test(errorText(el)))
    expect(errorText(el)).not.to.match(/\b0 attempts/)
    expect($<HTMLInputElement>(el, '#code').disabled).to.equal(true)
    await waitUntil(() => focused(el) === $(el, '#code-new'))
    await expect(el).to.be.accessible()
    $<HTMLButtonElement>(el, '#code-new').click()
    await waitUntil(() => api.count('startVerification') === 2)
    await waitUntil(() => !$<HTMLInputElement>(el, '#code').disabled)
    expect(errorText(el)).to.equal('')
  })
})

describe('<sms-login> a different number', () => {
  it('keeps the number as typed, so one digit can be fixed', async () => {
    const { el, api } = await mount()
    await toCodeStep(el, '98765 43211')
    expect(shown(el)).to.contain('+91 98765 43211')
    buttonByText(el, 'Use a different number').click()
    await waitFor(el, '#phone')
    const phone = $<HTMLInputElement>(el, '#phone')
    await waitUntil(() => focused(el) === phone, 'focus in the phone field')
    // Every digit as typed (the picker may tidy the spaces when it attaches).
    expect(phone.value.replace(/\D/g, '')).to.equal('9876543211')
    await el.phone.ready
    expect(el.phone.country).to.equal('IN')
    await press('Backspace')
    await sendKeys({ type: '0' })
    await press('Enter')
    await waitUntil(() => api.count('startVerification') === 2)
    await waitFor(el, '#code')
    const second = api.calls.filter((c) => c[0] === 'startVerification')[1][1]
    expect((second as { phone: string }).phone).to.equal('+919876543210')
    expect(shown(el)).to.contain('+91 98765 43210')
  })

  it('keeps a number of another country picked in the list with that country', async () => {
    const { el, api } = await mount()
    $(el, '.iti__selected-country').click()
    $(el, '[data-iso2="us"]').click()
    await waitUntil(() => el.phone.country === 'US')
    await toCodeStep(el, '201 555 0123')
    expect(shown(el)).to.contain('+1 201 555 0123')
    buttonByText(el, 'Use a different number').click()
    await waitFor(el, '#phone')
    await el.phone.ready
    await waitUntil(() => el.phone.country === 'US', 'the country follows the number')
    await press('Enter')
    await waitUntil(() => api.count('startVerification') === 2)
    const second = api.calls.filter((c) => c[0] === 'startVerification')[1][1]
    expect((second as { phone: string }).phone).to.equal('+12015550123')
  })
})
