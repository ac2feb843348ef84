import { expect } from '@open-wc/testing'
import '../../widget/define.js'
import type { SessionChange } from '../../widget/client/index.js'
import type { PhoneVerify, SmsLogin } from '../../widget/index.js'
import { FakeApi, provider, SESSION, USER } from './fake-api.js'
import { record, waitFor, waitUntil } from './helpers.js'

async function mount(api = new FakeApi()) {
  const parentNode = provider(api)
  parentNode.innerHTML = `<sms-login></sms-login><phone-verify></phone-verify>`
  const login = parentNode.querySelector('sms-login') as SmsLogin
  const verify = parentNode.querySelector('phone-verify') as PhoneVerify
  await Promise.all([login.ready, verify.ready])
  return { api, login, verify, parentNode }
}

describe('elements and the session store', () => {
  afterEach(() => {
    document.body.replaceChildren()
  })

  it('a sign-in starts the shared session: sms-auth-session, and phone-verify uses its token', async () => {
    const { api, login, verify } = await mount()
    const events = record<SessionChange>(login, 'sms-auth-session')
    const logins = record(login, 'sms-auth-login')
    expect(verify.token).to.equal(undefined)
    login.signedIn({ user: USER, session: SESSION }, 'sms-auth-login')
    expect(events.map((e) => e.detail.reason)).to.deep.equal(['start'])
    expect(events[0].detail.session?.user).to.deep.equal(USER)
    expect(logins.length).to.equal(1)
    expect(login.store).to.equal(verify.store)
    await waitUntil(() => verify.user !== undefined, 'phone-verify did not load the user')
    expect(api.calls.find((c) => c[0] === 'me')?.[1]).to.equal('at_1')
  })

  it('a session ended elsewhere returns sms-login to the phone step with an end event', async () => {
    const { api, login } = await mount()
    login.signedIn({ user: USER, session: SESSION }, 'sms-auth-login')
    const events = record<SessionChange>(login, 'sms-auth-session')
    await login.store.signOut() // as another tab (or a page's own signOut()) would
    expect(events.map((e) => e.detail)).to.deep.equal([{ session: null, reason: 'end' }])
    await waitFor(login, '#phone')
    expect(api.calls.filter((c) => c[0] === 'logout')).to.deep.equal([['logout', 'at_1']])
  })

  it('phone-verify inside a form keeps its form mode while signed in', async () => {
    const api = new FakeApi()
    const parentNode = provider(api)
    parentNode.innerHTML = `<sms-login></sms-login><form><phone-verify name="m"></phone-verify></form>`
    const login = parentNode.querySelector('sms-login') as SmsLogin
    const verify = parentNode.querySelector('phone-verify') as PhoneVerify
    await Promise.all([login.ready, verify.ready])
    login.signedIn({ user: USER, session: SESSION }, 'sms-auth-login')
    await verify.updateComplete
    expect(verify.token).to.equal(undefined)
    expect(api.count('me')).to.equal(0)
  })
})
