import { expect } from '@open-wc/testing'
import { CODE, FakeApi, SESSION, USER } from './fake-api.js'
import { $, errorText, press, record, type, waitFor, waitUntil } from './helpers.js'
import { mount, toCodeStep } from './sms-login-helpers.js'

describe('<sms-login> phone step', () => {
  it('reads /v1/config once and preselects its default country', async () => {
    const api = new FakeApi()
    await mount(api)
    const { el } = await mount(api)
    expect(api.count('getConfig')).to.equal(2) // once per client; HttpApiClient caches per origin
    expect(el.phone.country).to.equal('IN')
    expect($(el, '.iti__selected-dial-code').textContent).to.contain('+91')
  })

  it('offers only the allowed countries', async () => {
    const { el } = await mount()
    const items = el.shadowRoot!.querySelectorAll('.iti__country')
    expect([...items].map((li) => li.getAttribute('data-iso2'))).to.have.members(['in', 'us'])
  })

  it('names the phone field and passes axe', async () => {
    const { el } = await mount()
    const input = $<HTMLInputElement>(el, '#phone')
    expect(input.labels?.[0].textContent).to.match(/phone/i)
    expect(input.type).to.equal('tel')
    await expect(el).to.be.accessible()
  })

  it('rejects an invalid number before sending anything', async () => {
    const { el, api } = await mount()
    const errors = record<{ code: string; message: string }>(el, 'sms-auth-error')
    await type(el, '#phone', '12345')
    await press('Enter')
    await waitUntil(() => errorText(el) !== '')
    expect(api.count('startVerification')).to.equal(0)
    expect(errorText(el)).to.match(/valid mobile number/)
    expect(errors[0].detail.code).to.equal('invalid_phone')
    expect($(el, '#phone').getAttribute('aria-invalid')).to.equal('true')
    await expect(el).to.be.accessible()
  })

  it('explains a number from a country that is not allowed', async () => {
    const { el, api } = await mount()
    await type(el, '#phone', '0044 7911 123456') // India's international prefix: a UK number
    await press('Enter')
    await waitUntil(() => errorText(el) !== '', $<HTMLInputElement>(el, '#phone').value)
    expect(api.count('startVerification')).to.equal(0)
    expect(errorText(el)).to.match(/country/i)
  })

  it('starts a register-purpose verification in auto mode with E.164, country and locale', async () => {
    const { el, api } = await mount()
    await toCodeStep(el, '098765 43210')
    const [, body] = api.calls.find((c) => c[0] === 'startVerification')!
    expect(body).to.deep.equal({
      purpose: 'register',
      phone: '+919876543210',
      country: 'IN',
      channel: 'sms',
      locale: 'en',
    })
  })

  it('uses the login purpose in login mode', async () => {
    const { el, api } = await mount(new FakeApi(), 'mode="login"')
    await toCodeStep(el)
    const [, body] = api.calls.find((c) => c[0] === 'startVerification')!
    expect((body as { purpose: string }).purpose).to.equal('login')
  })

  it('maps API errors to translated messages and fires sms-auth-error', async () => {
    const { el, api } = await mount()
    api.fail('startVerification', 'rate_limited', { retryAfter: 42 })
    const errors = record<{ code: string; message: string }>(el, 'sms-auth-error')
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitUntil(() => errors.length === 1)
    expect(errors[0].detail.code).to.equal('rate_limited')
    expect(errors[0].detail.message).to.contain('42')
    expect(errors[0].bubbles && errors[0].composed).to.equal(true)
    expect(errorText(el)).to.equal(errors[0].detail.message)
    expect($(el, '[part~="error"]').getAttribute('role')).to.equal('alert')
  })
})

describe('<sms-login> signed in', () => {
  it('registers a new number: details → sms-auth-register {user, session}', async () => {
    const { el, api } = await mount()
    const events = record<{ user: unknown; session: unknown }>(document, 'sms-auth-register')
    await toCodeStep(el)
    await type(el, '#code', CODE)
    await waitFor(el, '#name')
    await type(el, '#name', 'Asha')
    await type(el, '#email', 'asha@example.com')
    await press('Enter')
    await waitUntil(() => events.length === 1)
    expect(api.calls.find((c) => c[0] === 'createUser')?.[1]).to.deep.equal({
      registrationTicket: 'rt_ticket',
      name: 'Asha',
      email: 'asha@example.com',
    })
    expect(events[0].detail.session).to.deep.equal(SESSION)
    expect(el.session).to.deep.equal(SESSION)
    expect($(el, '.box').textContent).to.contain('Signed in as Asha')
    await expect(el).to.be.accessible()
  })

  it('checks name and email before sending', async () => {
    const { el, api } = await mount()
    await toCodeStep(el)
    await type(el, '#code', CODE)
    await waitFor(el, '#name')
    await type(el, '#name', 'Asha')
    await type(el, '#email', 'not-an-email')
    await press('Enter')
    await waitUntil(() => errorText(el) !== '')
    expect(errorText(el)).to.match(/email/)
    expect(api.count('createUser')).to.equal(0)
    await expect(el).to.be.accessible()
  })

  it('signs in an existing number: sms-auth-login, then logout()', async () => {
    const api = new FakeApi()
    api.approve = { status: 'approved', user: USER, session: SESSION }
    const { el } = await mount(api)
    const events = record<{ user: unknown; session: unknown }>(el, 'sms-auth-login')
    await toCodeStep(el)
    await type(el, '#code', CODE)
    await waitUntil(() => events.length === 1)
    expect(events[0].detail).to.deep.equal({ user: USER, session: SESSION })
    await el.logout()
    expect(api.calls.find((c) => c[0] === 'logout')?.[1]).to.equal('at_1')
    expect(el.session).to.equal(undefined)
    await waitFor(el, '#phone')
  })
})
