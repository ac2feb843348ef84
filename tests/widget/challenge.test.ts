import { expect } from '@open-wc/testing'
import type { PublicConfig } from '../../widget/api/types.js'
import { FakeApi } from './fake-api.js'
import { $, errorText, press, type, waitFor, waitUntil } from './helpers.js'
import { mount } from './sms-login-helpers.js'

declare global {
  interface Window {
    challengeLoads?: number
  }
}

/** A provider script of our own (a box to click; reCAPTCHA's invisible execute), as a blob URL. */
function fakeScript(): string {
  const src = `window.challengeLoads = (window.challengeLoads || 0) + 1;
    window.turnstile = { render(el, o) {
      const b = document.createElement('button'); b.type = 'button'; b.className = 'fake-box';
      b.textContent = 'I am human'; b.onclick = () => o.callback('tok-' + o.sitekey + '-' + o.action);
      el.append(b) } };
    window.grecaptcha = { ready(cb) { cb() }, execute(k, o) { return Promise.resolve('rc-' + o.action) } };`
  return URL.createObjectURL(new Blob([src], { type: 'text/javascript' }))
}

function withChallenge(
  mode: 'always' | 'adaptive',
  provider: 'turnstile' | 'recaptcha' = 'turnstile',
): { api: FakeApi; scriptUrl: string } {
  const api = new FakeApi()
  const scriptUrl = fakeScript()
  const challenge: PublicConfig['challenge'] = { provider, siteKey: 'sk1', mode, scriptUrl }
  api.config = { ...api.config, challenge }
  return { api, scriptUrl }
}

const loaded = (url: string) => !!document.querySelector(`script[src="${url}"]`)
const starts = (api: FakeApi) =>
  api.calls.filter((c) => c[0] === 'startVerification').map((c) => c[1] as Record<string, unknown>)

async function submit(el: HTMLElement, phone = '9876543210') {
  await type(el, '#phone', phone)
  await press('Enter')
}

describe('<sms-login> bot challenge', () => {
  it('adaptive: loads nothing until a start answers challenge_required, then retries with the token', async () => {
    const { api, scriptUrl } = withChallenge('adaptive')
    const { el } = await mount(api)
    expect(loaded(scriptUrl)).to.equal(false)
    api.fail('startVerification', 'challenge_required')
    await submit(el)
    await waitFor(el, 'dialog.challenge .fake-box')
    expect(loaded(scriptUrl)).to.equal(true)
    const dialog = $<HTMLDialogElement>(el, 'dialog.challenge')
    expect(dialog.open).to.equal(true)
    expect(dialog.textContent).to.contain('Confirm you are not a robot')
    $(el, '.fake-box').click()
    await waitFor(el, '#code')
    const [first, second] = starts(api)
    expect(first!.challengeToken).to.equal(undefined)
    expect(second!.challengeToken).to.equal('tok-sk1-sms_start')
    expect(second!.phone).to.equal('+919876543210')
    expect(el.shadowRoot!.querySelector('dialog')).to.equal(null)
  })

  it('adaptive: a start that passes never fetches the script', async () => {
    const { api, scriptUrl } = withChallenge('adaptive')
    const { el } = await mount(api)
    const before = window.challengeLoads ?? 0
    await submit(el)
    await waitFor(el, '#code')
    expect(loaded(scriptUrl)).to.equal(false)
    expect(window.challengeLoads ?? 0).to.equal(before)
    expect(starts(api)[0]!.challengeToken).to.equal(undefined)
  })

  it('always: shows the challenge before the first start and sends its token', async () => {
    const { api } = withChallenge('always')
    const { el } = await mount(api)
    await submit(el)
    await waitFor(el, 'dialog.challenge .fake-box')
    expect(api.count('startVerification')).to.equal(0)
    await expect(el).to.be.accessible()
    $(el, '.fake-box').click()
    await waitFor(el, '#code')
    expect(starts(api)).to.have.length(1)
    expect(starts(api)[0]!.challengeToken).to.equal('tok-sk1-sms_start')
  })

  it('cancel closes the dialog, says why and sends nothing more', async () => {
    const { api } = withChallenge('always')
    const { el } = await mount(api)
    await submit(el)
    await waitFor(el, 'dialog.challenge .fake-box')
    $<HTMLButtonElement>(el, 'dialog.challenge button.link').click()
    await waitUntil(() => errorText(el) !== '')
    expect(errorText(el)).to.match(/not a robot/)
    expect(api.count('startVerification')).to.equal(0)
    expect(el.shadowRoot!.querySelector('dialog')).to.equal(null)
    expect(el.shadowRoot!.querySelector('#phone')).to.not.equal(null)
  })

  it('reCAPTCHA v3 runs invisibly: no dialog, the token of its action', async () => {
    const { api } = withChallenge('adaptive', 'recaptcha')
    const { el } = await mount(api)
    api.fail('startVerification', 'challenge_required')
    await submit(el)
    await waitFor(el, '#code')
    expect(starts(api)[1]!.challengeToken).to.equal('rc-sms_start')
  })

  it('without a challenge in /v1/config, challenge_required is shown as an error', async () => {
    const api = new FakeApi()
    const { el } = await mount(api)
    api.fail('startVerification', 'challenge_required')
    await submit(el)
    await waitUntil(() => errorText(el) !== '')
    expect(errorText(el)).to.match(/not a robot/)
    expect(api.count('startVerification')).to.equal(1)
  })
})
