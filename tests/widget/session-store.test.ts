import { expect } from '@open-wc/testing'
import { ApiError } from '../../widget/api/client.js'
import { sessionClient } from '../../widget/client/api.js'
import { REFRESH_MARGIN_MS } from '../../widget/client/index.js'
import type { SessionChange } from '../../widget/client/index.js'
import { SessionStore } from '../../widget/client/store.js'
import type { StoreOptions } from '../../widget/client/store.js'
import { FakeApi, SESSION, USER } from './fake-api.js'
import { waitUntil } from './helpers.js'

/** A fake whose bearer calls accept only the latest access token (older ones: 401). */
class RotatingApi extends FakeApi {
  override me(token: string) {
    if (token !== `at_${this.rotation}`) return Promise.reject(new ApiError('unauthorized', 401))
    return super.me(token)
  }
}

const SIGNED_IN = { user: USER, session: SESSION }
let n = 0
const open: SessionStore[] = []
function store(api: FakeApi, options: StoreOptions = {}): SessionStore {
  const s = new SessionStore(api, { key: `sms-auth:test:${n}`, storage: 'local', ...options })
  open.push(s)
  return s
}
function changes(s: SessionStore): SessionChange[] {
  const seen: SessionChange[] = []
  s.subscribe((c) => seen.push(c))
  return seen
}

describe('session store', () => {
  beforeEach(() => {
    n++
  })
  afterEach(() => {
    for (const s of open.splice(0)) s.close()
    localStorage.clear()
    sessionStorage.clear()
  })

  it('restores a stored session on load (session and local storage), not a memory one', () => {
    for (const storage of ['session', 'local', 'memory'] as const) {
      const key = `sms-auth:test:${n}:${storage}`
      store(new FakeApi(), { key, storage }).set(SIGNED_IN)
      const again = store(new FakeApi(), { key, storage }).get()
      if (storage === 'memory') expect(again).to.equal(null)
      else {
        expect(again?.user.name).to.equal('Asha')
        expect(again?.accessToken).to.equal('at_1')
      }
    }
    localStorage.setItem(`sms-auth:test:${n}:bad`, '{"accessToken": 1}')
    expect(store(new FakeApi(), { key: `sms-auth:test:${n}:bad` }).get()).to.equal(null)
  })

  it('refreshes the access token once it is within the margin of its expiry', async () => {
    const api = new FakeApi()
    let now = 1_000_000
    const s = store(api, { now: () => now })
    s.set(SIGNED_IN)
    expect(await s.accessToken()).to.equal('at_1')
    expect(api.count('refresh')).to.equal(0)
    now += SESSION.expiresIn * 1000 - REFRESH_MARGIN_MS + 1
    expect(await s.accessToken()).to.equal('at_2')
    expect(api.calls.find((c) => c[0] === 'refresh')?.[1]).to.equal('rt_1')
    expect(s.get()?.expiresAt).to.equal(now + api.expiresIn * 1000)
  })

  it('refreshes by itself before expiry (its timer), firing a refresh change', async () => {
    const api = new FakeApi()
    const s = store(api)
    const seen = changes(s)
    // Expires within the margin: the timer fires at once.
    s.set({ user: USER, session: { ...SESSION, expiresIn: REFRESH_MARGIN_MS / 1000 } })
    await waitUntil(() => seen.some((c) => c.reason === 'refresh'), 'no refresh')
    expect(seen.map((c) => c.reason)).to.deep.equal(['start', 'refresh'])
    expect(s.get()?.accessToken).to.equal('at_2')
  })

  it('on a 401, concurrent calls share one refresh and retry once with the new token', async () => {
    const api = new RotatingApi()
    const s = store(api)
    s.set(SIGNED_IN)
    api.rotation = 2 // the server already moved on: at_1 is refused, rt_2 is the live one
    localStorage.setItem(
      s.key!,
      JSON.stringify({ ...JSON.parse(localStorage.getItem(s.key!)!), refreshToken: 'rt_2' }),
    )
    const client = sessionClient(api, s)
    const users = await Promise.all([client.me(), client.me(), client.me()])
    expect(users.map((u) => u.id)).to.deep.equal([USER.id, USER.id, USER.id])
    expect(api.count('refresh')).to.equal(1)
    expect(s.get()?.accessToken).to.equal('at_3')
  })

  it('a refused refresh (reuse) signs out and fires an end change', async () => {
    const api = new FakeApi()
    let now = 0
    const s = store(api, { now: () => now })
    const seen = changes(s)
    s.set(SIGNED_IN)
    api.rotation = 5 // rt_1 was used elsewhere long ago: reuse
    now += SESSION.expiresIn * 1000
    expect(await s.accessToken()).to.equal(null)
    expect(s.get()).to.equal(null)
    expect(seen.at(-1)).to.deep.equal({ session: null, reason: 'end' })
    expect(localStorage.getItem(s.key!)).to.equal(null)
  })

  it('keeps two stores of one origin in step (sign-in, refresh, sign-out)', async () => {
    const a = store(new FakeApi())
    const bApi = new FakeApi()
    const b = store(bApi)
    const seen = changes(b)
    a.set(SIGNED_IN)
    await waitUntil(() => b.get()?.accessToken === 'at_1', 'b did not see the sign-in')
    expect(seen[0]?.reason).to.equal('start')
    await a.refresh()
    await waitUntil(() => b.get()?.accessToken === 'at_2', 'b did not see the refresh')
    expect(await b.accessToken()).to.equal('at_2')
    expect(bApi.count('refresh')).to.equal(0) // b takes a's rotation, it does not rotate again
    await a.signOut()
    await waitUntil(() => b.get() === null, 'b did not see the sign-out')
    expect(seen.map((c) => c.reason)).to.deep.equal(['start', 'refresh', 'end'])
  })

  it('signOut revokes the session server-side and clears it', async () => {
    const api = new FakeApi()
    const s = store(api)
    s.set(SIGNED_IN)
    await s.signOut()
    expect(api.calls.filter((c) => c[0] === 'logout')).to.deep.equal([['logout', 'at_1']])
    expect(s.get()).to.equal(null)
    expect(localStorage.getItem(s.key!)).to.equal(null)
  })
})
