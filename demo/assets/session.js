// The demo shop's session: the widget keeps it (sessionStorage, refreshed before it expires and
// on a 401, revoked on sign-out), so the shop only reads it and calls the API through its client.
import { getClient, getSession, signOut } from '/widget.js'

export { getSession, signOut }

/** Typed API calls with the session's access token (retried once after a refresh on a 401). */
export const api = getClient()

/** Marks the current page in the navigation and names the account link after the session. */
export function decorateNav() {
  const here = location.pathname.replace(/\.html$/, '').replace(/\/index$/, '/')
  for (const a of document.querySelectorAll('header.site nav a')) {
    const target = new URL(a.href).pathname.replace(/\.html$/, '').replace(/\/index$/, '/')
    if (target === here) a.setAttribute('aria-current', 'page')
  }
  const account = document.getElementById('nav-account')
  const session = getSession()
  if (account && session) {
    account.textContent = `Your account (${session.user.name})`
    account.href = '/profile.html'
  }
}
