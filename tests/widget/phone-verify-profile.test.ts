import { expect } from '@open-wc/testing'
import '../../widget/define.js'
import type { PhoneVerify } from '../../widget/index.js'
import type { ReauthMethod } from '../../widget/api/types.js'
import { FakeApi, PROOF, provider, SESSION, USER, WEAK } from './fake-api.js'
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

async function mount(
  setup: (api: FakeApi) => void = () => {},
  attrs = 'access-token="at_1" profile',
  signedIn = true,
) {
  const api = new FakeApi()
  setup(api)
  const parentNode = provider(api)
  parentNode.innerHTML = `<phone-verify ${attrs}></phone-verify>`
  const el = parentNode.querySelector('phone-verify') as PhoneVerify
  await el.ready
  if (signedIn) await waitUntil(() => el.user !== undefined)
  return { el, api }
}

const text = (el: PhoneVerify) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ')
const devices = (el: PhoneVerify) =>
  [...el.shadowRoot!.querySelectorAll('.devices li')].map((li) =>
    li.textContent!.replace(/\s+/g, ' ').trim(),
  )
const stepUp = (api: FakeApi, methods: ReauthMethod[]) => (api.stepUp = methods)
const notice = (el: PhoneVerify) => $(el, '[role="status"]').textContent!.trim()
const fill = async (el: PhoneVerify, selector: string, value: string) => {
  $<HTMLInputElement>(el, selector).value = ''
  await type(el, selector, value)
}

describe('<phone-verify profile>', () => {
  it('shows the profile, the devices (this one marked) and the way to delete; passes axe', async () => {
    const { el, api } = await mount()
    await waitUntil(() => devices(el).length === 3, 'the devices listed')
    expect(api.calls.find((c) => c[0] === 'listSessions')?.[1]).to.equal('at_1')
    expect(text(el)).to.contain('Asha').and.contain('asha@example.com')
    expect(devices(el)[0]).to.contain('Chrome on Linux').and.contain('This device')
    expect(devices(el)[0]).to.contain('203.0.113.0/24').and.contain('Last used')
    expect(devices(el)[1]).to.contain('Safari on iPhone').and.contain('Sign out')
    expect(devices(el)[2]).not.to.contain('null')
    // Each "Sign out" is described by its device's name.
    const signOut = [...el.shadowRoot!.querySelectorAll('.devices button')]
    const described = signOut.map(
      (b) => $(el, `#${b.getAttribute('aria-describedby')}`).textContent,
    )
    expect(described).to.deep.equal(['Safari on iPhone', 'Firefox on Windows'])
    expect(() => buttonByText(el, 'Sign out everywhere else')).not.to.throw()
    expect(() => buttonByText(el, 'Delete my account…')).not.to.throw()
    await expect(el).to.be.accessible()
  })

  it('without the attribute: the phone and factors only, no devices asked for', async () => {
    const { el, api } = await mount(() => {}, 'access-token="at_1"')
    await waitUntil(() => el.backupRemaining === 7)
    expect(has(el, '.devices')).to.equal(false)
    expect(() => buttonByText(el, 'Delete my account…')).to.throw()
    expect(api.count('listSessions')).to.equal(0)
  })

  it('edits the name (no step-up) and the email (step-up); a taken email is explained', async () => {
    const { el, api } = await mount((a) => stepUp(a, ['password']))
    buttonByText(el, 'Edit name and email').click()
    await waitFor(el, '#name')
    expect($<HTMLInputElement>(el, '#name').value).to.equal('Asha')
    await waitUntil(() => el.shadowRoot!.activeElement?.id === 'name', 'focus in the name')
    await expect(el).to.be.accessible()
    await fill(el, '#name', 'Asha Rao')
    await press('Enter')
    await waitUntil(() => notice(el) === 'Your profile was saved.')
    expect(api.calls.find((c) => c[0] === 'updateMe')!.slice(1)).to.deep.equal([
      'at_1',
      { name: 'Asha Rao' },
    ])
    expect(text(el)).to.contain('Asha Rao')

    buttonByText(el, 'Edit name and email').click()
    await waitFor(el, '#email')
    await fill(el, '#email', 'taken@example.com')
    await press('Enter')
    await waitFor(el, '#reauth-secret')
    await type(el, '#reauth-secret', PROOF.password)
    await press('Enter')
    await waitUntil(() => /belongs to another account/.test(errorText(el)))
    expect($(el, '#email').getAttribute('aria-invalid')).to.equal('true')
    await fill(el, '#email', 'asha.rao@example.com')
    await press('Enter')
    await waitUntil(() => notice(el) === 'Your profile was saved.')
    expect(text(el)).to.contain('asha.rao@example.com')
    const patches = api.calls.filter((c) => c[0] === 'updateMe').map((c) => c[2])
    expect(patches.at(-1)).to.deep.equal({ email: 'asha.rao@example.com' })
  })

  it('sets a password on a phone-only account after a step-up', async () => {
    const { el, api } = await mount((a) => stepUp(a, ['sms', 'totp']))
    expect(text(el)).to.contain('No password yet')
    buttonByText(el, 'Set a password').click()
    await waitFor(el, '#new-password')
    expect(has(el, '#current-password')).to.equal(false)
    await expect(el).to.be.accessible()
    await type(el, '#new-password', WEAK[1])
    await press('Enter')
    await waitFor(el, '#code') // step-up by SMS, sent at once
    buttonByText(el, 'Use your authenticator app instead').click()
    await waitFor(el, '#reauth-secret')
    await type(el, '#reauth-secret', PROOF.totpCode)
    // The retry meets the strength check.
    await waitUntil(() => /too easy to guess/.test(errorText(el)))
    await waitFor(el, '#new-password')
    await type(el, '#new-password', 'plum orbit lantern')
    await press('Enter')
    await waitUntil(() => /Your password was saved/.test(notice(el)))
    expect(api.calls.filter((c) => c[0] === 'setPassword').at(-1)![2]).to.deep.equal({
      password: 'plum orbit lantern',
    })
    expect(text(el)).to.contain('Change password')
    // The other devices were signed out: the list is read again.
    await waitUntil(() => devices(el).length === 1)
  })

  it('changes a password with the current one; a wrong one is refused', async () => {
    const { el, api } = await mount((a) => (a.user = { ...USER, hasPassword: true } as never))
    buttonByText(el, 'Change password').click()
    await waitFor(el, '#current-password')
    expect($(el, '#current-password').getAttribute('autocomplete')).to.equal('current-password')
    await type(el, '#current-password', 'not it at all')
    await type(el, '#new-password', 'plum orbit lantern')
    await press('Enter')
    await waitUntil(() => /did not match/.test(errorText(el)))
    expect($(el, '#current-password').getAttribute('aria-invalid')).to.equal('true')
    await fill(el, '#current-password', PROOF.password)
    await press('Enter')
    await waitUntil(() => /Your password was saved/.test(notice(el)))
    expect(api.calls.filter((c) => c[0] === 'setPassword').map((c) => c[2])).to.deep.equal([
      { password: 'plum orbit lantern', currentPassword: 'not it at all' },
      { password: 'plum orbit lantern', currentPassword: PROOF.password },
    ])
  })

  it('signs one device out, then everywhere else', async () => {
    const { el, api } = await mount()
    await waitUntil(() => devices(el).length === 3)
    const safari = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.devices button')][0]
    safari.click()
    await waitUntil(() => devices(el).length === 2)
    expect(api.calls.find((c) => c[0] === 'revokeSession')!.slice(1)).to.deep.equal([
      'at_1',
      'ses_2',
    ])
    expect(notice(el)).to.equal('That device was signed out.')
    expect(el.shadowRoot!.activeElement?.id).to.equal('devices-title')
    buttonByText(el, 'Sign out everywhere else').click()
    await waitUntil(() => devices(el).length === 1)
    expect(notice(el)).to.equal('Signed out of 1 other device.')
    expect(devices(el)[0]).to.contain('This device')
    expect(() => buttonByText(el, 'Sign out everywhere else')).to.throw()
    await expect(el).to.be.accessible()
  })

  it('deletes the account after the typed confirmation and a step-up, then ends the session', async () => {
    const { el, api } = await mount((a) => stepUp(a, ['totp', 'backup_code']))
    const sessions = record<{ session: unknown; reason: string }>(el, 'sms-auth-session')
    const deleted = record<{ userId: string }>(el, 'sms-auth-account-deleted')
    buttonByText(el, 'Delete my account…').click()
    await waitFor(el, '#delete-confirm')
    expect($(el, 'label[for="delete-confirm"]').textContent).to.equal('Type DELETE to confirm')
    await waitUntil(() => el.shadowRoot!.activeElement?.id === 'delete-confirm')
    await expect(el).to.be.accessible()
    await type(el, '#delete-confirm', 'delet')
    await press('Enter')
    await waitUntil(() => errorText(el) === 'Type DELETE exactly to confirm.')
    expect(api.count('deleteMe')).to.equal(0)
    await type(el, '#delete-confirm', 'e')
    await press('Enter')
    await waitFor(el, '#reauth-secret')
    expect(api.deleted).to.equal(false)
    await type(el, '#reauth-secret', PROOF.totpCode)
    await waitUntil(() => api.deleted)
    expect(api.count('deleteMe')).to.equal(2)
    await waitUntil(() => sessions.length === 1)
    expect(sessions[0].detail).to.deep.equal({ session: null, reason: 'end' })
    expect(deleted.map((e) => e.detail)).to.deep.equal([{ userId: USER.id }])
    await waitUntil(() => /Your account was deleted/.test(notice(el)))
  })

  it('deleting with the stored session signs the store out', async () => {
    const { el, api } = await mount(() => {}, 'profile', false)
    const sessions = record<{ session: unknown; reason: string }>(el, 'sms-auth-session')
    el.store.set({ user: USER, session: SESSION })
    await waitUntil(() => el.user !== undefined && el.token === SESSION.accessToken)
    buttonByText(el, 'Delete my account…').click()
    await waitFor(el, '#delete-confirm')
    await type(el, '#delete-confirm', 'DELETE')
    await press('Enter')
    await waitUntil(() => el.store.get() === null)
    expect(api.deleted).to.equal(true)
    await waitUntil(() => sessions.some((s) => s.detail.reason === 'end'))
    expect(sessions.at(-1)!.detail.session).to.equal(null)
  })

  it('speaks the element’s locale, Arabic right to left, and passes axe', async () => {
    const { el } = await mount(() => {}, 'access-token="at_1" profile locale="ar"')
    await waitUntil(() => devices(el).length === 3)
    await waitUntil(() => text(el).includes('أجهزتك'))
    expect($(el, '.box').getAttribute('dir')).to.equal('rtl')
    expect(text(el)).to.contain('هذا الجهاز').and.contain('حذف الحساب')
    await expect(el).to.be.accessible()
    buttonByText(el, 'احذف حسابي…').click()
    await waitFor(el, '#delete-confirm')
    expect($(el, 'label[for="delete-confirm"]').textContent).to.equal('اكتب حذف للتأكيد')
    await expect(el).to.be.accessible()
  })
})
