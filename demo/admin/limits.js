// Limits on the Policies tab: every limit with what it means, its default, its safe range and where
// its number comes from, all drawn from GET /v1/admin/limits (edge/limits/catalogue.ts), so this
// page repeats no number of its own. The tunable ones are site settings, saved with
// PATCH /v1/admin/settings; the server refuses a value out of range and names the field.
import { canOwn } from './admins.js'
import { api } from './api.js'
import { dataTable, el } from './dom.js'
import { busy, clearErrors, nativeProblems, report, showProblem, status, time } from './forms.js'

const $ = (id) => document.getElementById(id)

const span = (m) => (m % 60 === 0 ? (m === 60 ? 'hour' : `${m / 60} hours`) : `${m} minutes`)
const per = (l) => (l.windowMinutes === null ? '' : ` per ${span(l.windowMinutes)}`)
/** "1–10 messages per 10 minutes", with the divisor rule where there is one. */
const range = (l) =>
  `${l.min}–${l.max} ${l.unit}${per(l)}` + (l.divides ? `, a divisor of ${l.divides}` : '')

function field(l, editable) {
  const id = `limit-${l.setting}`
  const input = el('input', {
    id,
    name: l.setting,
    type: 'number',
    step: 1,
    min: l.min,
    max: l.max,
    required: true,
    disabled: !editable,
  })
  const help = el(
    'div',
    { id: `${id}-help` },
    el('p', { className: 'help' }, l.meaning),
    el('p', { className: 'help' }, `Default ${l.default} · allowed ${range(l)} · ${l.source}.`),
  )
  input.setAttribute('aria-describedby', help.id)
  const box = el(
    'div',
    { className: 'field' },
    el('label', { htmlFor: id }, `${l.label} (${l.unit}${per(l)})`),
    input,
    help,
  )
  box.dataset.field = l.setting
  return box
}

function fixedRow(l) {
  const row = el('tr')
  row.append(
    el('th', { scope: 'row' }, l.label),
    el('td', {}, `${l.value} ${l.unit}${per(l)}`),
    el('td', {}, l.meaning),
    el('td', {}, l.source),
  )
  return row
}

/** A switch shown with a group of limits: the setting it is and its label. */
const SWITCHES = { 'Pumping breaker': { name: 'breakerEnabled', label: 'The breaker is on' } }

let shown = []
let on = {}

function fill(form, limits, settings) {
  shown = limits
  for (const l of limits) if (l.setting) form.elements[l.setting].value = String(l.value)
  on = {}
  for (const { name } of Object.values(SWITCHES)) {
    on[name] = settings[name]
    if (form.elements[name]) form.elements[name].checked = settings[name]
  }
}

function switchField({ name, label }, editable) {
  const box = el('input', { type: 'checkbox', name, disabled: !editable })
  const holder = el(
    'div',
    { className: 'field' },
    el('label', { className: 'check' }, box, ` ${label}`),
  )
  holder.dataset.field = name
  return holder
}

/** One fieldset per group, in the order the server lists them. */
function groups(limits, editable) {
  const tunable = limits.filter((l) => l.setting)
  return [...new Set(tunable.map((l) => l.group))].map((g) =>
    el(
      'fieldset',
      {},
      el('legend', {}, g),
      ...(SWITCHES[g] ? [switchField(SWITCHES[g], editable)] : []),
      el(
        'div',
        { className: 'grid' },
        ...tunable.filter((l) => l.group === g).map((l) => field(l, editable)),
      ),
    ),
  )
}

/** The settings whose value differs from the one in force, and the problems found here. */
function read(form) {
  const patch = {}
  const problems = nativeProblems(form)
  for (const l of shown) {
    if (!l.setting) continue
    const value = Number(form.elements[l.setting].value)
    if (l.divides && Number.isInteger(value) && value > 0 && l.divides % value !== 0)
      problems.push({ name: l.setting, message: `Must divide ${l.divides}.` })
    if (value !== l.value) patch[l.setting] = value
  }
  for (const name of Object.keys(on))
    if (form.elements[name] && form.elements[name].checked !== on[name])
      patch[name] = form.elements[name].checked
  return { patch, problems }
}

async function save(form) {
  clearErrors(form)
  const { patch, problems } = read(form)
  if (!report(form, problems)) return
  const names = Object.keys(patch)
  if (!names.length) return status(form, 'Nothing to save: every limit is as in force.', 'ok')
  await busy(form, async () => {
    status(form, 'Saving…')
    try {
      const settings = await api('PATCH', '/v1/admin/settings', patch)
      const { limits } = await api('GET', '/v1/admin/limits')
      fill(form, limits, settings)
      const said = limits
        .filter((l) => names.includes(l.setting))
        .map((l) => `${l.label.toLowerCase()} ${l.value}`)
      for (const [g, { name }] of Object.entries(SWITCHES))
        if (name in patch) said.push(`${g.toLowerCase()} ${settings[name] ? 'on' : 'off'}`)
      status(form, `Saved at ${time(new Date().toISOString())}: ${said.join(', ')}.`, 'ok')
    } catch (err) {
      showProblem(form, err)
    }
  })
}

function build(limits, settings) {
  const editable = canOwn()
  const form = el('form', { id: 'limits-form', noValidate: true }, ...groups(limits, editable))
  if (editable) form.append(el('button', { type: 'submit' }, 'Save limits'))
  else form.append(el('p', { className: 'help' }, 'Only an owner can change limits.'))
  form.append(el('p', { className: 'form-status', role: 'status' }))
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void save(form)
  })
  const table = dataTable('fixed-limits', 'Fixed limits', ['Limit', 'Value', 'Meaning', 'Source'])
  table.tBodies[0].append(...limits.filter((l) => !l.setting).map(fixedRow))
  const section = el(
    'section',
    { className: 'card stack', id: 'limits-section' },
    el('h2', {}, 'Limits'),
    el(
      'p',
      { className: 'help' },
      'Make a limit stricter as far as your users allow; looser only as far as the range, which ' +
        'stops at the most permissive figure of NIST or a trusted service. A change applies to ' +
        'the next request; a verification keeps the attempts, lifetime and cooldown it began with.',
    ),
    form,
    el('div', { className: 'table-wrap' }, table),
  )
  fill(form, limits, settings)
  return section
}

let started = false
/** Builds the section, after the policies form, the first time the Policies tab opens. */
export async function startLimits() {
  if (started) return
  started = true
  const holder = el('section', { className: 'card', id: 'limits-section' }, el('h2', {}, 'Limits'))
  const line = el('p', { className: 'form-status', role: 'status' }, 'Loading…')
  holder.append(line)
  $('policies').after(holder)
  try {
    const [{ limits }, settings] = await Promise.all([
      api('GET', '/v1/admin/limits'),
      api('GET', '/v1/admin/settings'),
    ])
    holder.replaceWith(build(limits, settings))
  } catch (err) {
    line.textContent = `Could not load the limits: ${err.message}`
    line.dataset.kind = 'error'
    line.setAttribute('role', 'alert')
  }
}
