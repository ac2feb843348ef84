// The bot challenge (docs/api.md "Bot challenge") on the Policies tab: the provider, the mode and
// the site key (settings), and the secret key (PUT /v1/admin/challenge: write-only, the page only
// learns whether it is set) with the optional base URL. Owners only. Built here; index.html holds
// none of it.
import { api } from './api.js'
import { el } from './dom.js'
import { busy, clearErrors, showProblem, status } from './forms.js'

const $ = (id) => document.getElementById(id)

const PROVIDERS = [
  ['turnstile', 'Cloudflare Turnstile'],
  ['hcaptcha', 'hCaptcha'],
  ['recaptcha', 'Google reCAPTCHA v3'],
]
const MODES = [
  ['off', 'Off'],
  ['adaptive', 'Adaptive (on risk)'],
  ['always', 'Always'],
]

function field(name, label, control, help) {
  control.id = `challenge-${name}`
  control.name = name
  const box = el(
    'div',
    { className: 'field' },
    el('label', { htmlFor: control.id }, label),
    control,
  )
  box.dataset.field = name
  // A grid cell may shrink below its control's intrinsic width.
  box.style.minWidth = '0'
  if (help !== undefined) {
    const p = el('p', { className: 'help', id: `${control.id}-help` }, help)
    control.setAttribute('aria-describedby', p.id)
    box.append(p)
  }
  return box
}

const select = (options) =>
  el('select', {}, ...options.map(([value, label]) => el('option', { value }, label)))

function build(panel) {
  const form = el(
    'form',
    { id: 'challenge-form', noValidate: true },
    el(
      'div',
      { className: 'grid' },
      field('challengeProvider', 'Provider', select(PROVIDERS)),
      field(
        'challengeMode',
        'When to ask',
        select(MODES),
        'Adaptive asks only an address refused a start or starting to 3 numbers within the ' +
          'hour, a prefix half way to a breaker trip, or a number with 3 wrong codes in a row. ' +
          'Always asks before every code sent to a typed number. reCAPTCHA v3 is invisible.',
      ),
      field('challengeSiteKey', 'Site key (public)', el('input', { spellcheck: false })),
      field(
        'secretKey',
        'Secret key',
        el('input', { type: 'password', autocomplete: 'off', spellcheck: false }),
        '',
      ),
      field(
        'baseUrl',
        'Base URL (optional)',
        el('input', { type: 'url', spellcheck: false, placeholder: 'the provider’s own' }),
        'Replaces the provider’s origin for its script and its siteverify API (regional ' +
          'endpoints, local fakes). Empty: the documented one.',
      ),
    ),
    el('button', { type: 'submit' }, 'Save bot challenge'),
    el('p', { className: 'form-status', role: 'status' }),
  )
  panel.append(
    el(
      'section',
      { className: 'card', id: 'challenge-section' },
      el('h2', {}, 'Bot challenge'),
      el(
        'p',
        { className: 'help' },
        'Asks the visitor to prove they are a person before a code is sent. The server checks ' +
          'each token with the provider; if the provider is down, starts that need it are refused ' +
          '(503 challenge_unavailable) rather than let through.',
      ),
      form,
    ),
  )
  return form
}

async function refresh(form) {
  const [settings, keys] = await Promise.all([
    api('GET', '/v1/admin/settings'),
    api('GET', '/v1/admin/challenge'),
  ])
  const f = form.elements
  f.challengeProvider.value = settings.challengeProvider
  f.challengeMode.value = settings.challengeMode
  f.challengeSiteKey.value = settings.challengeSiteKey ?? ''
  f.secretKey.value = ''
  f.secretKey.placeholder = keys.secretKeySet ? 'set (type a new one to replace it)' : 'not set'
  $('challenge-secretKey-help').textContent = keys.secretKeySet
    ? 'Stored encrypted; never shown again. Leave empty to keep it.'
    : 'From the provider’s dashboard. Stored encrypted, never shown again.'
  f.baseUrl.value = keys.baseUrl ?? ''
}

let started = false
/** Builds the section the first time the Policies tab opens. */
export function startChallenge() {
  if (started) return
  started = true
  const form = build($('panel-policies'))
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    clearErrors(form)
    const f = form.elements
    const put = { baseUrl: f.baseUrl.value.trim() || null }
    if (f.secretKey.value.trim()) put.secretKey = f.secretKey.value.trim()
    const patch = {
      challengeProvider: f.challengeProvider.value,
      challengeMode: f.challengeMode.value,
      challengeSiteKey: f.challengeSiteKey.value.trim() || null,
    }
    await busy(form, async () => {
      try {
        // The secret first: the mode can be turned on only once it is set.
        await api('PUT', '/v1/admin/challenge', put)
        await api('PATCH', '/v1/admin/settings', patch)
        await refresh(form)
        status(form, 'Bot challenge saved.', 'ok')
      } catch (err) {
        showProblem(form, err)
      }
    })
  })
  void refresh(form).catch((err) =>
    status(form, `Could not load the bot challenge: ${err.message}`, 'error'),
  )
}
