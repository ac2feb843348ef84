import { expect } from '@open-wc/testing'
import '../../widget/define.js'
import { registerLocale } from '../../widget/index.js'
import type { PhoneVerify, SmsLogin } from '../../widget/index.js'
import { FakeApi, PROOF, provider } from './fake-api.js'
import { $, buttonByText, errorText, press, type, waitFor, waitUntil } from './helpers.js'

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
const mainButton = (el: HTMLElement) => $(el, 'button[part~="button"]').textContent!.trim()
const heading = (el: HTMLElement) => $(el, '[part~="heading"]').textContent!.trim()

describe('per-element strings', () => {
  before(() => import('libphonenumber-js/mobile'))

  it('the `strings` property overrides any string, templates and errors included', async () => {
    const { el } = await mount<SmsLogin>('<sms-login></sms-login>')
    await el.phone.ready
    el.strings = {
      sendCode: 'Text me',
      signInTo: 'Welcome to {site}',
      codeSent: 'Your code is on its way to {to}.',
      errors: { invalid_code: 'Not that one.' },
    }
    await el.updateComplete
    expect(mainButton(el)).to.equal('Text me')
    expect(heading(el)).to.equal('Welcome to Demo')
    expect($(el, 'label[for="phone"]').textContent).to.equal('Phone number') // the rest: English
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(el, '#code')
    expect(el.shadowRoot!.textContent).to.contain('Your code is on its way to +91 98765 43210.')
    await type(el, '#code', '000000')
    // An override is a sentence like the others: the attempts left still follow it.
    await waitUntil(() => errorText(el).startsWith('Not that one. '))
  })

  it('a <script type="application/json"> child gives strings too; the property wins over it', async () => {
    const { el } = await mount<PhoneVerify>(
      `<phone-verify access-token="at_1"><script type="application/json">
        {"pvTitle": "Your phone", "backupRemaining": "{n} spare codes", "reauth": {"title": "Is it you?"}}
      </script></phone-verify>`,
      (api) => (api.stepUp = ['totp']),
    )
    await waitUntil(() => el.backupRemaining === 7)
    expect(heading(el)).to.equal('Your phone')
    expect(el.shadowRoot!.textContent).to.contain('7 spare codes')

    buttonByText(el, 'Make new backup codes').click()
    await waitFor(el, '#reauth-title')
    expect($(el, '#reauth-title').textContent).to.equal('Is it you?')
    // Strings of the step the site left alone stay as they were.
    expect($(el, 'label[for="reauth-secret"]').textContent).to.equal('Authenticator app code')
    await type(el, '#reauth-secret', PROOF.totpCode)
    await waitFor(el, '.codes')

    el.querySelector('script')!.textContent = '{"pvTitle": "Phone and security"}'
    await waitUntil(() => heading(el) === 'Phone and security')
    el.strings = { pvTitle: 'From the property' }
    await el.updateComplete
    expect(heading(el)).to.equal('From the property')
  })

  it('a child that is not JSON, or values of the wrong type, leave the strings as they were', async () => {
    const { el } = await mount<SmsLogin>(
      '<sms-login><script type="application/json">{ not json</script></sms-login>',
    )
    expect(mainButton(el)).to.equal('Send code')
    el.strings = { sendCode: 42 } as never
    await el.updateComplete
    expect(mainButton(el)).to.equal('Send code')
  })
})

describe('registerLocale', () => {
  it('adds a locale a site needs: its strings, English for the rest, its lang and direction', async () => {
    const { el, api } = await mount<SmsLogin>('<sms-login locale="de-AT"></sms-login>')
    await el.phone.ready
    expect(mainButton(el)).to.equal('Send code')
    registerLocale('de', {
      sendCode: 'Code senden',
      phoneLabel: 'Telefonnummer',
      codeSent: 'Gib den Code ein, den wir an {to} geschickt haben.',
    })
    // Elements already on the page switch at once.
    await waitUntil(() => mainButton(el) === 'Code senden')
    expect($(el, '.box').getAttribute('lang')).to.equal('de')
    expect($(el, '.box').getAttribute('dir')).to.equal('ltr')
    expect($(el, 'label[for="phone"]').textContent).to.equal('Telefonnummer')
    expect(el.shadowRoot!.textContent).to.contain('We will text you a code') // not translated: English
    await el.phone.ready
    await type(el, '#phone', '9876543210')
    await press('Enter')
    await waitFor(el, '#code')
    const body = api.calls.find((c) => c[0] === 'startVerification')![1] as { locale: string }
    expect(body.locale).to.equal('de')
    expect(el.shadowRoot!.textContent).to.contain('an +91 98765 43210 geschickt')
    await expect(el).to.be.accessible()
  })

  it('a right-to-left language reads right to left; a built-in locale can be amended', async () => {
    registerLocale('he', { signInTitle: 'כניסה', signInTo: 'כניסה ל־{site}' })
    const he = await mount<SmsLogin>('<sms-login locale="he"></sms-login>')
    expect($(he.el, '.box').getAttribute('dir')).to.equal('rtl')
    expect(heading(he.el)).to.equal('כניסה ל־Demo')

    registerLocale('fr', { sendCode: 'Recevoir le code' })
    const fr = await mount<SmsLogin>('<sms-login locale="fr"></sms-login>')
    await waitUntil(() => mainButton(fr.el) === 'Recevoir le code')
    expect($(fr.el, 'label[for="phone"]').textContent).to.equal('Numéro de téléphone')
  })
})
