// The profile page: the signed-in user from GET /v1/me, <phone-verify profile> (it takes the
// stored session by itself: phone, factors, name, email, password, devices, deletion), and sign
// out (the session revoked server-side and cleared).
import { api, getSession, signOut } from './session.js'

const $ = (id) => document.getElementById(id)

function show(user) {
  $('me-name').textContent = user.name
  $('me-email').textContent = user.email ?? '—'
  $('me-phone').textContent = user.phone
    ? `${user.phone} (${user.phoneVerified ? 'verified' : 'not verified'})`
    : 'none'
  const t = user.twoStep ?? {}
  const on = (v) => (v ? 'on' : 'off')
  $('me-twostep').textContent =
    `SMS ${on(t.sms)} · authenticator app ${on(t.totp)} · ` +
    `${t.backupCodesRemaining ?? 0} backup codes left`
  $('me-since').textContent = new Date(user.createdAt).toLocaleDateString()
  $('facts').hidden = false
}

const me = () => api.me()

function signedOut(message) {
  $('profile-status').replaceChildren(
    `${message} `,
    Object.assign(document.createElement('a'), { href: '/signin.html', textContent: 'Sign in' }),
  )
  $('facts').hidden = true
  $('security').hidden = true
  $('sign-out').hidden = true
}

export async function startProfile() {
  if (!getSession()) return signedOut('You are not signed in.')
  let user
  try {
    user = await me()
  } catch (err) {
    if (err.code === 'unauthorized') return signedOut('Your session has ended.')
    $('profile-status').textContent = `Could not load your profile: ${err.message}`
    return
  }
  show(user)
  $('profile-status').textContent = `Signed in as ${user.name}.`
  $('sign-out').hidden = false
  $('security').hidden = false

  const widget = document.querySelector('phone-verify')
  // The widget announces phone changes; TOTP and backup codes change without an event, so the
  // facts follow any change of the widget's (open) shadow tree, at most a few times a second.
  let pending = 0
  const reload = () => {
    clearTimeout(pending)
    pending = setTimeout(async () => {
      const fresh = await me().catch(() => null)
      if (fresh) show(fresh)
    }, 250)
  }
  widget.addEventListener('sms-auth-phone-verified', reload)
  widget.addEventListener('sms-auth-phone-removed', reload)
  // Deleted: nothing left to show here.
  widget.addEventListener('sms-auth-account-deleted', () => location.assign('/signin.html?deleted'))
  await widget.updateComplete
  new MutationObserver(reload).observe(widget.shadowRoot, { childList: true, subtree: true })

  $('sign-out').addEventListener('click', async () => {
    $('sign-out').disabled = true
    // The session ends on the server; locally it is forgotten whatever the answer.
    await signOut()
    location.assign('/signin.html?signed-out')
  })
}
