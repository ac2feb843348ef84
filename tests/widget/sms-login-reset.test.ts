import { expect } from '@open-wc/testing'
import '../../widget/define.js'
import type { SmsLogin } from '../../widget/index.js'
import { CODE, FakeApi, PROOF, RESET_TICKET, SESSION, WEAK } from './fake-api.js'
import {
  $,
  buttonByText,
  errorText,
  has,
  press,
  record,
  type,
  waitFor,
  waitUntil,
} from './helpers.js'
import { focused, mount, statusText } from './sms-login-helpers.js'

const NEW_PASSWORD = 'plum orbit lantern'

/** The password step, then "Forgot password?". */
async function toReset(api = new FakeApi()) {
  const { el } = await mount(api, 'password')
  buttonByText(el, 'Use email and password').click()
  await waitFor(el, '#password')
  return { el, api }
}

async function openReset(el: SmsLogin) {
  buttonByText(el, 'Forgot password?').click()
  await waitUntil(() => $(el, '[part~="heading"]').textContent === 'Reset your password')
}

/** From the first step by phone to the new-password step. */
async function toNewPassword(el: SmsLogin) {
  await openReset(el)
  await waitFor(el, '#phone')
  await el.phone.ready
  await type(el, '#phone', '9876543210')
  await press('Enter')
  await waitFor(el, '#code')
  await type(el, '#code', CODE)
  await waitFor(el, '#new-password')
}

const resetBody = (api: FakeApi) =>
  api.calls.filter((c) => c[0] === 'resetPassword').map((c) => c[1])

describe('<sms-login password> "Forgot password?"', () => {
  before(() => import('libphonenumber-js/mobile'))

  it('is offered on the password sign-in step only, not on registration or without `password`', async () => {
    const { el: plain } = await mount(new FakeApi(), '')
    expect(() => buttonByText(plain, 'Forgot password?')).to.throw()
    const { el } = await toReset()
    expect(buttonByText(el, 'Forgot password?').getAttribute('part')).to.equal('link')
    buttonByText(el, 'New here? Create an account').click()
    await waitFor(el, '#name')
    expect(() => buttonByText(el, 'Forgot password?')).to.throw()
  })

  it('by phone: password_reset code, new password → signed in like a login', async () => {
    const { el, api } = await toReset()
    const logins = record<{ session: unknown }>(el, 'sms-auth-login')
    await openReset(el)
    await waitFor(el, '#phone')
    await waitUntil(() => focused(el)?.id === 'phone', 'focus in the phone field')
    await expect(el).to.be.accessible()
    await el.phone.ready
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(el, '#code')
    const [, body, token] = api.calls.find((c) => c[0] === 'startVerification')!
    expect(body).to.deep.equal({
      purpose: 'password_reset',
      phone: '+919876543210',
      country: 'IN',
      channel: 'sms',
      locale: 'en',
    })
    expect(token).to.equal(undefined)
    expect(el.shadowRoot!.textContent).to.contain('Enter the code we sent to +91 98765 43210')
    expect($(el, '#code').getAttribute('autocomplete')).to.equal('one-time-code')
    await type(el, '#code', CODE)
    await waitFor(el, '#new-password')
    await waitUntil(() => focused(el)?.id === 'new-password', 'focus in the new password')
    expect(has(el, '#reset-factor')).to.equal(false)
    expect($(el, '#new-password').getAttribute('autocomplete')).to.equal('new-password')
    await expect(el).to.be.accessible()
    await type(el, '#new-password', NEW_PASSWORD)
    await press('Enter')
    await waitUntil(() => logins.length === 1)
    expect(resetBody(api)).to.deep.equal([{ resetTicket: RESET_TICKET, password: NEW_PASSWORD }])
    expect(logins[0].detail.session).to.deep.equal(SESSION)
    expect(el.session).to.deep.equal(SESSION)
    expect(el.store.get()?.accessToken).to.equal(SESSION.accessToken)
    expect($(el, '.box').textContent).to.contain('Signed in as Asha')
  })

  it('by email: the email the password step held, no number shown ("if an account matches")', async () => {
    const { el, api } = await toReset()
    api.cooldown = 0
    await type(el, '#email', 'asha@example.com')
    await openReset(el)
    await waitFor(el, 'input#email')
    expect($<HTMLInputElement>(el, '#email').value).to.equal('asha@example.com')
    expect(has(el, '#phone')).to.equal(false)
    await press('Enter')
    await waitFor(el, '#code')
    const body = api.calls.find((c) => c[0] === 'startVerification')![1]
    expect(body).to.deep.equal({
      purpose: 'password_reset',
      email: 'asha@example.com',
      channel: 'sms',
      locale: 'en',
    })
    const text = el.shadowRoot!.textContent!
    expect(text).to.contain(
      'If an account with a verified phone matches, we sent a code to its phone.',
    )
    expect(text).not.to.contain('•')
    expect(text).not.to.contain('null')
    // A resend says it the same way.
    buttonByText(el, 'Resend code').click()
    await waitUntil(() => /sent the code again to its phone/.test(statusText(el)))
    // Back to the first step: the email as typed, and the way to use the phone instead.
    buttonByText(el, 'Use a different number or email').click()
    await waitFor(el, 'input#email')
    expect($<HTMLInputElement>(el, '#email').value).to.equal('asha@example.com')
    buttonByText(el, 'Use your phone number instead').click()
    await waitFor(el, '#phone')
    buttonByText(el, 'Back to sign in').click()
    await waitFor(el, '#password')
  })

  it('an account with TOTP: the authenticator code (or a backup code) goes with the new password', async () => {
    const api = new FakeApi()
    api.resetMethods = ['totp', 'backup_code']
    const { el } = await toReset(api)
    const logins = record<{ session: unknown }>(el, 'sms-auth-login')
    await toNewPassword(el)
    await waitFor(el, '#reset-factor')
    expect($(el, 'label[for="reset-factor"]').textContent).to.equal('Authenticator app code')
    await expect(el).to.be.accessible()
    await type(el, '#new-password', NEW_PASSWORD)
    await type(el, '#reset-factor', '000000')
    await press('Enter')
    await waitUntil(() => /did not match/.test(errorText(el)))
    await waitUntil(() => focused(el)?.id === 'reset-factor', 'focus back in the code')
    expect($(el, '#reset-factor').getAttribute('aria-invalid')).to.equal('true')
    buttonByText(el, 'Use a backup code').click()
    await waitUntil(() => $(el, 'label[for="reset-factor"]').textContent === 'Backup code')
    await type(el, '#reset-factor', PROOF.backupCode)
    await press('Enter')
    await waitUntil(() => logins.length === 1)
    expect(resetBody(api)).to.deep.equal([
      { resetTicket: RESET_TICKET, password: NEW_PASSWORD, totpCode: '000000' },
      { resetTicket: RESET_TICKET, password: NEW_PASSWORD, backupCode: PROOF.backupCode },
    ])
  })

  it('a factor the API asks for later (reauthentication_required) shows its field', async () => {
    const api = new FakeApi()
    const { el } = await toReset(api)
    await toNewPassword(el)
    api.resetMethods = ['totp', 'backup_code'] // turned on meanwhile
    await type(el, '#new-password', NEW_PASSWORD)
    await press('Enter')
    await waitFor(el, '#reset-factor')
    await waitUntil(() => focused(el)?.id === 'reset-factor')
    await type(el, '#reset-factor', PROOF.totpCode)
    await press('Enter')
    await waitUntil(() => el.session !== undefined)
  })

  it('a weak password is explained in place; the ticket stays for the next one', async () => {
    const { el, api } = await toReset()
    const errors = record<{ code: string; message: string }>(el, 'sms-auth-error')
    await toNewPassword(el)
    await type(el, '#new-password', 'short')
    await press('Enter')
    await waitUntil(() => /at least 8/.test(errorText(el)))
    expect(api.count('resetPassword')).to.equal(0)
    $<HTMLInputElement>(el, '#new-password').value = ''
    await type(el, '#new-password', WEAK[0])
    await press('Enter')
    await waitUntil(() => /too easy to guess/.test(errorText(el)))
    expect($(el, '#new-password').getAttribute('aria-invalid')).to.equal('true')
    await waitUntil(() => focused(el)?.id === 'new-password')
    expect(errors.at(-1)!.detail.code).to.equal('invalid_request')
    await expect(el).to.be.accessible()
    $<HTMLInputElement>(el, '#new-password').value = ''
    await type(el, '#new-password', NEW_PASSWORD)
    await press('Enter')
    await waitUntil(() => el.session !== undefined)
    expect(resetBody(api).map((b) => (b as { resetTicket: string }).resetTicket)).to.deep.equal([
      RESET_TICKET,
      RESET_TICKET,
    ])
  })

  it('an expired or used ticket: said as such, and "Start again" goes back to the first step', async () => {
    const { el, api } = await toReset()
    const errors = record<{ code: string; message: string }>(el, 'sms-auth-error')
    await toNewPassword(el)
    api.ticketUsed = true
    await type(el, '#new-password', NEW_PASSWORD)
    await press('Enter')
    await waitUntil(() => /expired or was already used/.test(errorText(el)))
    expect(errors.at(-1)!.detail).to.deep.equal({
      code: 'unauthorized',
      message: 'This reset has expired or was already used. Start again.',
    })
    expect(has(el, '#new-password')).to.equal(false)
    await waitUntil(() => focused(el)?.textContent?.trim() === 'Start again')
    await expect(el).to.be.accessible()
    buttonByText(el, 'Start again').click()
    await waitFor(el, '#phone')
    expect(errorText(el)).to.equal('')
  })

  it('speaks the element’s locale, Arabic right to left, and passes axe', async () => {
    const { el } = await mount(new FakeApi(), 'password locale="ar"')
    await waitUntil(() => $(el, '.box').getAttribute('dir') === 'rtl')
    buttonByText(el, 'استخدام البريد الإلكتروني وكلمة المرور').click()
    await waitFor(el, '#password')
    buttonByText(el, 'نسيت كلمة المرور؟').click()
    await waitUntil(() => $(el, '[part~="heading"]').textContent === 'أعد تعيين كلمة المرور')
    expect(el.shadowRoot!.textContent).to.contain('استخدم بريدك الإلكتروني بدلًا من ذلك')
    await expect(el).to.be.accessible()
  })
})
