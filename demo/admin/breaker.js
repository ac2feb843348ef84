// Fraud: the pumping breaker (GET /v1/admin/breaker). The prefixes and countries it tripped, with
// the conversion of their last trip, and for owners the two ways out: release a block now, or mark
// the scope safe (and undo that). Support staff read the list; the server refuses them the rest.
// The tab, its panel and its content are built here; index.html holds none of it.
import { canOwn } from './admins.js'
import { api } from './api.js'
import { dataTable, el } from './dom.js'
import { busy, status, time } from './forms.js'

const $ = (id) => document.getElementById(id)

// The tab goes after Policies, its panel into the app (before main.js wires the tabs).
const tab = el('button', { id: 'tab-fraud', textContent: 'Fraud' })
tab.setAttribute('role', 'tab')
tab.setAttribute('aria-controls', 'panel-fraud')
$('tab-policies').after(tab)
const panel = el('section', { id: 'panel-fraud', hidden: true, tabIndex: 0 })
panel.setAttribute('role', 'tabpanel')
panel.setAttribute('aria-labelledby', 'tab-fraud')
$('panel-policies').after(panel)

/** `+91987100` → `%2B91987100`; a country as it is. */
const pathOf = (entry) => `/v1/admin/breaker/${encodeURIComponent(entry.scope)}`
const percent = (x) => `${Math.round(x * 1000) / 10} %`
/** A time of today as `10:03`, of another day with its date. */
function when(iso) {
  const d = new Date(iso)
  const today = d.toDateString() === new Date().toDateString()
  return today
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })
}

function stateOf(e) {
  if (e.safe) return 'Marked safe'
  if (e.blocked) return `Blocked until ${when(e.until)}`
  return e.since ? 'Released or expired' : 'Not blocked'
}

/** What each owner action asks, calls and says. */
const ACTIONS = {
  release: (e) => ({
    label: 'Release',
    ask: `Release ${e.scope} now? Codes go to it again at once; if its codes still go unentered it trips again, for twice as long.`,
    run: () => api('POST', `${pathOf(e)}/release`),
    done: `Released ${e.scope}.`,
  }),
  safe: (e) => ({
    label: 'Mark safe',
    ask: `Mark ${e.scope} safe? The breaker will never block it${e.kind === 'country' ? '' : ', even when its country is blocked'}, however few of its codes are entered.`,
    run: () => api('POST', `${pathOf(e)}/safe`),
    done: `${e.scope} is marked safe.`,
  }),
  unsafe: (e) => ({
    label: 'Undo safe',
    ask: `Let the breaker judge ${e.scope} again, on the codes sent from now on?`,
    run: () => api('DELETE', `${pathOf(e)}/safe`),
    done: `${e.scope} is judged again.`,
  }),
}

/** Asks, calls, reloads the list and says what happened; true when it was done. */
async function perform(box, a) {
  if (!confirm(a.ask)) return false
  return busy(box, async () => {
    try {
      await a.run()
      await refresh(box)
      status(box, a.done, 'ok')
      return true
    } catch (err) {
      status(box, `Not done: ${err.message} (${err.code})`, 'error')
      return false
    }
  })
}

function actionsOf(box, e) {
  const names = e.safe ? ['unsafe'] : e.blocked ? ['release', 'safe'] : ['safe']
  return names.map((name) => {
    const a = ACTIONS[name](e)
    const b = el('button', { type: 'button', className: name === 'safe' ? '' : 'ghost' }, a.label)
    b.setAttribute('aria-label', `${a.label} ${e.scope}`)
    b.addEventListener('click', () => void perform(box, a))
    return b
  })
}

function row(box, e) {
  const tr = el('tr')
  tr.dataset.scope = e.scope
  const conversion = el(
    'td',
    {},
    e.sent ? `${percent(e.conversion)}: ${e.verified} of ${e.sent} verified` : '—',
  )
  tr.append(
    el('td', {}, e.kind === 'country' ? `${e.scope} (country)` : e.scope),
    el('td', {}, e.country),
    el('td', {}, stateOf(e)),
    conversion,
    el('td', {}, String(e.trips)),
    el('td', { title: e.since ? time(e.since) : '' }, e.since ? when(e.since) : '—'),
  )
  if (canOwn()) {
    const actions = el('td', {}, ...actionsOf(box, e))
    actions.style.whiteSpace = 'nowrap'
    tr.append(actions)
  }
  return tr
}

/** The settings line: how the breaker judges now (GET /v1/admin/settings). */
async function rules() {
  const s = await api('GET', '/v1/admin/settings')
  if (!s.breakerEnabled)
    return 'The breaker is off (Policies: breakerEnabled): nothing is judged or blocked now.'
  return (
    `A prefix trips when at least ${s.breakerMinSends} first codes sent within ` +
    `${s.breakerWindowMinutes} min convert below ${s.breakerThresholdPercent} %; it is blocked ` +
    `for ${s.breakerCooldownMinutes} min, doubled at each further trip within a day. ` +
    `${s.breakerCountryTrips} tripped prefixes block their country.`
  )
}

async function refresh(box) {
  const { entries } = await api('GET', '/v1/admin/breaker')
  const rows = entries.map((e) => row(box, e))
  if (!rows.length) {
    const td = el('td', {}, 'No prefix or country has tripped, and none is marked safe.')
    td.colSpan = canOwn() ? 7 : 6
    rows.push(el('tr', {}, td))
  }
  $('breaker').tBodies[0].replaceChildren(...rows)
  const blocked = entries.filter((e) => e.blocked).length
  $('breaker-summary').textContent = `${blocked} blocked now, ${entries.length} listed.`
}

/** Owners: mark a prefix or country safe before it ever trips (a business's own numbers). */
function safeField() {
  const input = el('input', { id: 'breaker-scope', name: 'scope', size: 14, autocomplete: 'off' })
  input.setAttribute('aria-describedby', 'breaker-scope-help')
  const box = el(
    'div',
    { className: 'field' },
    el('label', { htmlFor: 'breaker-scope' }, 'Prefix or country to mark safe'),
    input,
    el('p', { className: 'help', id: 'breaker-scope-help' }, '+4479460 or GB'),
  )
  box.dataset.field = 'scope'
  return [box, el('button', { type: 'submit' }, 'Mark safe')]
}

function build() {
  const headings = ['Prefix or country', 'Country', 'State', 'Conversion', 'Trips', 'Last trip']
  if (canOwn()) headings.push('Actions')
  const table = dataTable('breaker', 'Tripped prefixes and countries, blocked first', headings)
  // The section is the busy and status scope of its actions (forms.js busy and status).
  const section = el(
    'section',
    { className: 'card', id: 'breaker-section' },
    el('h2', {}, 'Pumping breaker'),
    el(
      'p',
      { className: 'help' },
      'SMS pumping sends codes that nobody enters. The breaker compares, per destination ' +
        'prefix (the number less its last 4 digits) and per country, the first codes sent ' +
        'with the ones verified, and blocks a prefix whose codes stop being entered: starts ' +
        'to it answer 429 until the block ends. Conversion is that of the last trip.',
    ),
    el('p', { id: 'breaker-rules', className: 'help' }),
    el(
      'form',
      { className: 'toolbar', id: 'breaker-form', noValidate: true },
      ...(canOwn() ? safeField() : []),
      el('button', { type: 'button', id: 'breaker-refresh', className: 'ghost' }, 'Refresh'),
      el('p', { id: 'breaker-summary', className: 'help', role: 'status' }),
      el('p', { className: 'form-status', role: 'status' }),
    ),
    el('div', { className: 'table-wrap' }, table),
  )
  if (!canOwn())
    section.append(
      el('p', { className: 'help' }, 'Releasing a block or marking safe is for owners.'),
    )
  panel.append(el('h1', {}, 'Fraud'), section)
  return section
}

/** Builds the tab the first time it opens (main.js), with its list and the breaker's settings. */
export function startBreaker() {
  const section = build()
  const load = () =>
    busy(section, async () => {
      try {
        await refresh(section)
      } catch (err) {
        status(section, `Could not load the breaker: ${err.message}`, 'error')
      }
    })
  $('breaker-refresh').addEventListener('click', () => void load())
  $('breaker-form').addEventListener('submit', async (e) => {
    e.preventDefault()
    const input = $('breaker-scope')
    const scope = input.value.trim()
    if (!scope) return status(section, 'Enter a prefix, such as +4479460, or a country.', 'error')
    const kind = /^[a-z]{2}$/i.test(scope) ? 'country' : 'prefix'
    if (await perform(section, ACTIONS.safe({ scope, kind }))) input.value = ''
  })
  void rules()
    .then((text) => ($('breaker-rules').textContent = text))
    .catch(() => ($('breaker-rules').textContent = ''))
  void load()
}
