import { expect } from '@open-wc/testing'
import { CODE, FakeApi } from './fake-api.js'
import { $, buttonByText, errorText, paste, type, waitFor, waitUntil } from './helpers.js'
import { focused, mount, toCodeStep } from './sms-login-helpers.js'

describe('<sms-login> code step', () => {
  it('has one-time-code autocomplete, numeric keyboard, a name with "code", and passes axe', async () => {
    const { el } = await mount()
    await toCodeStep(el)
    const code = $<HTMLInputElement>(el, '#code')
    // The attribute: Firefox's `autocomplete` property drops tokens it does not autofill itself.
    expect(code.getAttribute('autocomplete')).to.equal('one-time-code')
    expect(code.inputMode).to.equal('numeric')
    expect(code.labels?.[0].textContent).to.match(/code/i)
    expect(focused(el)).to.equal(code)
    await expect(el).to.be.accessible()
  })

  it('shows the number as the user typed it (every digit), not only the masked form', async () => {
    const { el } = await mount()
    await toCodeStep(el, '098765 43210')
    const text = $(el, '.box').textContent!
    expect(text).to.contain('Enter the code we sent to +91 98765 43210.')
    expect(text).not.to.contain('•')
  })

  it('keeps the number left to right inside an Arabic sentence', async () => {
    const { el } = await mount(new FakeApi(), 'locale="ar"')
    await toCodeStep(el)
    const number = $(el, 'form').previousElementSibling!.querySelector('span[dir="ltr"]')
    expect(number?.textContent).to.equal('+91 98765 43210')
    expect($(el, '.box').getAttribute('dir')).to.equal('rtl')
    expect($(el, '#code').getAttribute('dir')).to.equal('ltr')
  })

  it('submits by itself when the code is complete, then asks a new number for details', async () => {
    const { el, api } = await mount()
    await toCodeStep(el)
    await type(el, '#code', CODE)
    await waitFor(el, '#name')
    expect(api.calls.find((c) => c[0] === 'check')?.slice(1, 3)).to.deep.equal(['ver_1', CODE])
    expect($<HTMLInputElement>(el, '#name').labels?.[0].textContent).to.match(/name/i)
    expect($<HTMLInputElement>(el, '#email').labels?.[0].textContent).to.match(/email/i)
    await expect(el).to.be.accessible()
  })

  it('accepts a pasted code', async () => {
    const { el, api } = await mount()
    await toCodeStep(el)
    await paste(el, '#code', ' 123-456 ')
    await waitFor(el, '#name')
    expect(api.count('check')).to.equal(1)
  })

  it('shows attempts left after a wrong code, clears the field and keeps the focus in it', async () => {
    const { el } = await mount()
    await toCodeStep(el)
    await type(el, '#code', '000000')
    await waitUntil(() => errorText(el) !== '')
    expect(errorText(el)).to.match(/not right.*4 attempts left/)
    expect($<HTMLInputElement>(el, '#code').value).to.equal('')
    expect($(el, '#code').getAttribute('aria-invalid')).to.equal('true')
    expect(focused(el)).to.equal($(el, '#code'))
    await expect(el).to.be.accessible()
  })

  it('counts down to resendAt, then offers resend and a voice call', async () => {
    const api = new FakeApi()
    api.cooldown = 1
    const { el } = await mount(api)
    await toCodeStep(el)
    expect($(el, '.box').textContent).to.match(/new code in 1 sec/)
    expect($(el, '.box').textContent).not.to.contain('Call me instead')
    await waitUntil(() => /Call me instead/.test($(el, '.box').textContent!), 'resend offered')
    buttonByText(el, 'Call me').click()
    await waitUntil(() => api.count('resend') === 1)
    expect(api.calls.find((c) => c[0] === 'resend')?.slice(1, 3)).to.deep.equal(['ver_1', 'voice'])
    await waitUntil(() => /calling \+91 98765 43210/.test($(el, '.box').textContent!))
    expect(focused(el)).to.equal($(el, '#code'))
  })
})
