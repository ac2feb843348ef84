import { expect } from '@open-wc/testing'
import '../../widget/define.js'
import type { SmsLogin } from '../../widget/index.js'
import { CODE, FakeApi, provider, SESSION, USER } from './fake-api.js'
import { $, errorText, paste, press, record, type, waitFor, waitUntil } from './helpers.js'

async function mount(api = new FakeApi(), attrs = '') {
  const parentNode = provider(api)
  parentNode.innerHTML = `<sms-login ${attrs}></sms-login>`
  const el = parentNode.querySelector('sms-login') as SmsLogin
  await el.ready
  await el.phone.ready
  return { el, api }
}

async function toCodeStep(el: SmsLogin, phone = '9876543210') {
  await type(el, '#phone', phone)
  await press('Enter')
  await waitFor(el, '#code')
}

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

  it('does not double submit while a request is pending', async () => {
    const api = new FakeApi()
    let release = () => {}
    const { el } = await mount(api)
    api.gate = new Promise((r) => (release = r))
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitUntil(() => el.req.pending)
    await press('Enter')
    $<HTMLButtonElement>(el, 'button[part~="button"]').click()
    expect($(el, 'button[part~="button"]').getAttribute('aria-disabled')).to.equal('true')
    await expect(el).to.be.accessible()
    release()
    api.gate = undefined
    await waitFor(el, '#code')
    expect(api.count('startVerification')).to.equal(1)
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

describe('<sms-login> code step', () => {
  it('has one-time-code autocomplete, numeric keyboard, a name with "code", and passes axe', async () => {
    const { el } = await mount()
    await toCodeStep(el)
    const code = $<HTMLInputElement>(el, '#code')
    // The attribute: Firefox's `autocomplete` property drops tokens it does not autofill itself.
    expect(code.getAttribute('autocomplete')).to.equal('one-time-code')
    expect(code.inputMode).to.equal('numeric')
    expect(code.labels?.[0].textContent).to.match(/code/i)
    expect(el.shadowRoot!.activeElement).to.equal(code)
    expect($(el, '.box').textContent).to.contain('+91•••••••210')
    await expect(el).to.be.accessible()
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

  it('shows attempts left after a wrong code and clears the field', async () => {
    const { el } = await mount()
    await toCodeStep(el)
    await type(el, '#code', '000000')
    await waitUntil(() => errorText(el) !== '')
    expect(errorText(el)).to.match(/not right.*4 attempts left/)
    expect($<HTMLInputElement>(el, '#code').value).to.equal('')
    expect($(el, '#code').getAttribute('aria-invalid')).to.equal('true')
    await expect(el).to.be.accessible()
  })

  for (const code of ['too_many_attempts', 'verification_expired'] as const) {
    it(`explains ${code} and offers a new code`, async () => {
      const { el, api } = await mount()
      await toCodeStep(el)
      api.fail('check', code)
      await type(el, '#code', CODE)
      await waitUntil(() => errorText(el) !== '')
      expect(errorText(el)).to.match(/new (code|one)/i)
      expect($<HTMLInputElement>(el, '#code').disabled).to.equal(true)
      await expect(el).to.be.accessible()
      const again = [...el.shadowRoot!.querySelectorAll('button')].find((b) =>
        /Resend/.test(b.textContent!),
      )!
      again.click()
      await waitUntil(() => api.count('startVerification') === 2)
      await waitUntil(() => !$<HTMLInputElement>(el, '#code').disabled)
    })
  }

  it('counts down to resendAt, then offers resend and a voice call', async () => {
    const api = new FakeApi()
    api.cooldown = 1
    const { el } = await mount(api)
    await toCodeStep(el)
    expect($(el, '.box').textContent).to.match(/new code in 1 s/)
    expect($(el, '.box').textContent).not.to.contain('Call me instead')
    await waitUntil(() => /Call me instead/.test($(el, '.box').textContent!), 'resend offered')
    const call = [...el.shadowRoot!.querySelectorAll('button')].find((b) =>
      /Call me/.test(b.textContent!),
    )!
    call.click()
    await waitUntil(() => api.count('resend') === 1)
    expect(api.calls.find((c) => c[0] === 'resend')?.slice(1, 3)).to.deep.equal(['ver_1', 'voice'])
    await waitUntil(() => /calling/.test($(el, '.box').textContent!))
  })

  it('goes back to the phone step for a different number', async () => {
    const { el } = await mount()
    await toCodeStep(el)
    ;[...el.shadowRoot!.querySelectorAll('button')]
      .find((b) => /different number/.test(b.textContent!))!
      .click()
    await waitFor(el, '#phone')
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

  it('asks for the second factor when the API says mfaRequired', async () => {
    const api = new FakeApi()
    api.approve = {
      status: 'approved',
      mfaRequired: true,
      mfaTicket: 'mfa_1',
      methods: ['totp', 'backup_code'],
    }
    const { el } = await mount(api)
    const events = record(el, 'sms-auth-login')
    await toCodeStep(el)
    await type(el, '#code', CODE)
    await waitFor(el, '#mfa-code')
    await expect(el).to.be.accessible()
    await type(el, '#mfa-code', '654321')
    await waitUntil(() => events.length === 1)
    expect(api.calls.find((c) => c[0] === 'mfaTotp')?.slice(1)).to.deep.equal(['mfa_1', '654321'])
  })

  it('takes a backup code as the second factor', async () => {
    const api = new FakeApi()
    api.approve = {
      status: 'approved',
      mfaRequired: true,
      mfaTicket: 'mfa_1',
      methods: ['totp', 'backup_code'],
    }
    const { el } = await mount(api)
    await toCodeStep(el)
    await type(el, '#code', CODE)
    await waitFor(el, '#mfa-code')
    api.fail('mfaBackupCode', 'invalid_credentials')
    ;[...el.shadowRoot!.querySelectorAll('button')]
      .find((b) => /backup code/.test(b.textContent!))!
      .click()
    await type(el, '#mfa-code', 'abcd-efgh')
    await press('Enter')
    await waitUntil(() => errorText(el) !== '')
    expect(errorText(el)).to.match(/did not match/)
    await type(el, '#mfa-code', '')
    await press('Enter')
    await waitUntil(() => api.count('mfaBackupCode') === 2)
    await waitUntil(() => el.session !== undefined)
  })
})
