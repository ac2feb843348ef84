// Signing in to the admin page with the admin's own sms-auth account: the project's <sms-login>
// (from /widget.js, same origin), asked for the phone and a second factor. Its session is kept in
// this page's memory only (storage="memory": not shared with the demo site's pages in the tab, gone
// on reload) and the widget's session store refreshes it before it expires; admin calls carry its
// access token. The server decides what it may do (GET /v1/admin/me); nothing here is trusted.
const OPTIONS = { storage: 'memory' }
let widget = null

const $ = (id) => document.getElementById(id)

/** Markup before the admin token form (static: no user data). */
const VIEW = `
<h2 id="account-title">With your account</h2>
<p class="muted">
  Admins sign in with their phone and a second factor: the code by SMS, then your password or
  authenticator app (or email and password, then the code).
</p>
<div id="account-login"></div>
<p id="account-status" class="form-status" role="status"></p>
<h2>With the admin token</h2>
`

export function accountStatus(text, kind = '') {
  const line = $('account-status')
  line.textContent = text
  line.dataset.kind = kind
  line.setAttribute('role', kind === 'error' ? 'alert' : 'status')
}

/**
 * Puts the sign-in element on the sign-in card; `signedIn()` runs once the widget has signed an
 * account in (the page then asks the server who that is).
 */
export async function mountAccountSignIn(signedIn) {
  const card = $('signin')
  const form = $('signin-form')
  const box = document.createElement('div')
  box.id = 'account-signin'
  box.innerHTML = VIEW
  card.insertBefore(box, form.previousElementSibling)
  widget = await import('/widget.js')
  const login = document.createElement('sms-login')
  for (const [name, value] of [
    ['mode', 'login'],
    ['password', ''],
    ['no-heading', ''],
    ['storage', 'memory'],
  ])
    login.setAttribute(name, value)
  for (const type of ['sms-auth-login', 'sms-auth-register'])
    login.addEventListener(type, () => void signedIn())
  $('account-login').append(login)
}

/** The signed-in account's access token (refreshed first when about to expire), or null. */
export async function accountToken() {
  return widget ? widget.getAccessToken(OPTIONS) : null
}

/** Calls `ended()` when the session ends on its own (refresh refused, revoked, disabled). */
export function whenAccountEnds(ended) {
  widget?.onSessionChange((change) => {
    if (change.reason === 'end') ended()
  }, OPTIONS)
}

/** Ends the session server-side (DELETE /v1/sessions/current). */
export async function endAccount() {
  await widget?.signOut(OPTIONS).catch(() => undefined)
}
