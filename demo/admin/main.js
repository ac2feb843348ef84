// The admin page: sign in with an admin's own account (account.js) or the admin token, then the
// tabs (Integrations, Regional, Policies, Fraud, Users, Audit, Events, Activity, Admins) the role
// may use (GET /v1/admin/me; the server refuses the rest anyway). Each tab's module loads its data
// when the tab first opens.
import {
  accountStatus,
  accountToken,
  endAccount,
  mountAccountSignIn,
  whenAccountEnds,
} from './account.js'
import { startActivity } from './activity.js'
import { canOwn, startAdmins, tabsFor } from './admins.js'
import { api, bearerFrom, token, whenUnauthorized } from './api.js'
import { busy, clearErrors, report, status } from './forms.js'
import { startAudit } from './audit.js'
import { startBreaker } from './breaker.js'
import { startEvents } from './events.js'
import { startIntegrations } from './integrations.js'
import { startLimits } from './limits.js'
import { startSettings } from './settings.js'
import { showSpendBanner, startSpend } from './spend.js'
import { startChallenge } from './challenge.js'
import { startTestNumbers } from './test-numbers.js'
import { startUsers } from './users.js'

const $ = (id) => document.getElementById(id)
const TABS = [
  'integrations',
  'regional',
  'policies',
  'fraud',
  'users',
  'audit',
  'events',
  'activity',
  'admins',
]
/** The tabs of the signed-in admin's role. */
let allowed = TABS
const started = new Set()
const starters = {
  integrations: startIntegrations,
  regional: startSettings,
  policies: startSettings,
  fraud: startBreaker,
  users: startUsers,
  audit: startAudit,
  events: startEvents,
  activity: startActivity,
  admins: startAdmins,
}

function select(name, focus = false) {
  if (!allowed.includes(name)) name = allowed[0]
  for (const tab of TABS) {
    const on = tab === name
    const button = $(`tab-${tab}`)
    button.setAttribute('aria-selected', String(on))
    button.tabIndex = on ? 0 : -1
    $(`panel-${tab}`).hidden = !on
  }
  if (focus) $(`tab-${name}`).focus()
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`)
  if (name === 'policies') void startLimits()
  if (name === 'policies') startTestNumbers()
  if (name === 'policies' && canOwn()) startSpend()
  if (name === 'policies' && canOwn()) startChallenge()
  const start = starters[name]
  if (!started.has(start)) {
    started.add(start)
    start()
  }
}

function wireTabs() {
  const list = document.querySelector('[role=tablist]')
  for (const tab of TABS) $(`tab-${tab}`).addEventListener('click', () => select(tab))
  // WAI-ARIA tabs: arrows move between tabs, Home and End to the ends.
  list.addEventListener('keydown', (e) => {
    const at = allowed.findIndex((t) => $(`tab-${t}`) === document.activeElement)
    if (at < 0) return
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: allowed.length - 1 }[e.key]
    if (to === undefined) return
    e.preventDefault()
    select(allowed[(to + allowed.length) % allowed.length], true)
  })
  addEventListener('hashchange', () => select(location.hash.slice(1)))
}

/** `me`: GET /v1/admin/me (`{actor, role, userId?, name?}`). */
function showApp(siteName, me) {
  allowed = tabsFor(me.role, TABS)
  for (const tab of TABS) $(`tab-${tab}`).hidden = !allowed.includes(tab)
  $('signin').hidden = true
  $('app').hidden = false
  $('sign-out').hidden = false
  $('site-name').textContent = me.name ? `${siteName} · ${me.name} (${me.role})` : siteName
  select(location.hash.slice(1))
  if (me.role === 'owner') void showSpendBanner()
}

let leaving = false
function signOut(message = '') {
  // Ending the account's session announces its end (whenAccountEnds): one sign-out, one message.
  if (leaving) return
  leaving = true
  token.clear()
  location.hash = ''
  // A clean page: nothing of the previous session stays in memory or in forms.
  sessionStorage.setItem('sms-auth-admin-message', message)
  void endAccount().finally(() => location.reload())
}

/** The widget signed an account in: admin calls now carry its token, if the server agrees. */
async function accountSignedIn() {
  accountStatus('Checking your admin access…')
  try {
    const bearer = await accountToken()
    const me = await api('GET', '/v1/admin/me', undefined, bearer)
    const settings = await api('GET', '/v1/admin/settings', undefined, bearer)
    token.clear()
    bearerFrom(accountToken)
    whenAccountEnds(() => signOut('Your admin session has ended. Sign in again.'))
    showApp(settings.siteName, me)
  } catch (err) {
    await endAccount()
    accountStatus(`Not signed in: ${err.message}`, 'error')
  }
}

async function signIn(e) {
  e.preventDefault()
  const form = e.currentTarget
  clearErrors(form)
  const value = form.elements.token.value.trim()
  if (!report(form, value ? [] : [{ name: 'token', message: 'Enter the admin token.' }])) return
  await busy(form, async () => {
    status(form, 'Checking the token…')
    try {
      const settings = await api('GET', '/v1/admin/settings', undefined, value)
      const me = await api('GET', '/v1/admin/me', undefined, value)
      token.set(value)
      form.reset()
      showApp(settings.siteName, me)
    } catch (err) {
      const wrong = err.status === 401
      if (wrong) report(form, [{ name: 'token', message: 'This token was not accepted.' }])
      status(
        form,
        wrong
          ? 'Not signed in: the token is not the admin token of this server.'
          : `Not signed in: ${err.message}`,
        'error',
      )
    }
  })
}

async function main() {
  wireTabs()
  whenUnauthorized(() =>
    signOut('Your admin session has ended, or the token is no longer accepted.'),
  )
  void mountAccountSignIn(accountSignedIn)
  $('signin-form').addEventListener('submit', signIn)
  $('sign-out').addEventListener('click', () => signOut('You are signed out.'))
  const message = sessionStorage.getItem('sms-auth-admin-message')
  sessionStorage.removeItem('sms-auth-admin-message')
  if (message) status($('signin-form'), message)
  if (token.get()) {
    try {
      const settings = await api('GET', '/v1/admin/settings')
      return showApp(settings.siteName, await api('GET', '/v1/admin/me'))
    } catch {
      token.clear()
    }
  }
  $('token').focus()
}

void main()
