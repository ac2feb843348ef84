// The demo shop's session: what <sms-login> gave us, kept in sessionStorage (gone with the tab),
// and API calls with its access token, refreshed once when it has expired.
const KEY = 'sms-auth-demo'

/** @returns {{user: object, session: {accessToken: string, refreshToken: string}} | null} */
export function load() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null')
  } catch {
    return null
  }
}

export function save(signedIn) {
  sessionStorage.setItem(KEY, JSON.stringify({ user: signedIn.user, session: signedIn.session }))
}

export function clear() {
  sessionStorage.removeItem(KEY)
}

/** The problem+json of a failed call, as an Error with `code` and `status`. */
export async function problem(res) {
  const body = await res.json().catch(() => ({}))
  const err = new Error(body.detail || body.title || `HTTP ${res.status}`)
  Object.assign(err, { code: body.code ?? 'unknown_error', status: res.status, body })
  return err
}

async function refresh(stored) {
  const res = await fetch('/v1/sessions/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: stored.session.refreshToken }),
  })
  if (!res.ok) return null
  const { session } = await res.json()
  save({ ...stored, session })
  return session
}

/** fetch() with the stored access token; on 401 refreshes once and tries again. */
export async function authFetch(path, init = {}) {
  const stored = load()
  if (!stored) throw Object.assign(new Error('Not signed in.'), { code: 'unauthorized' })
  const call = (token) =>
    fetch(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } })
  let res = await call(stored.session.accessToken)
  if (res.status === 401) {
    const session = await refresh(stored)
    if (session) res = await call(session.accessToken)
  }
  if (res.status === 401) clear()
  return res
}

/** Marks the current page in the navigation and names the account link after the session. */
export function decorateNav() {
  const here = location.pathname.replace(/\.html$/, '').replace(/\/index$/, '/')
  for (const a of document.querySelectorAll('header.site nav a')) {
    const target = new URL(a.href).pathname.replace(/\.html$/, '').replace(/\/index$/, '/')
    if (target === here) a.setAttribute('aria-current', 'page')
  }
  const account = document.getElementById('nav-account')
  const stored = load()
  if (account && stored) {
    account.textContent = `Your account (${stored.user.name})`
    account.href = '/profile.html'
  }
}
