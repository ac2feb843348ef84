// Spend (/v1/admin/spend, /v1/admin/prices): a banner when a spend cap is reached, and on the
// Policies tab the caps, the day's and month's figures and the price table. Money is integer
// micro-USD on the wire (shared/money.ts); dollars are typed and shown here, converted as strings
// so that no float ever rounds a cap. The section is built here; index.html holds none of it.
import { api } from './api.js'
import { card, dataTable, el } from './dom.js'
import { busy, clearErrors, fieldError, showProblem, status } from './forms.js'

const $ = (id) => document.getElementById(id)

/** 8300 → "0.0083" (at least two decimals). */
export function dollars(micros) {
  const frac = String(micros % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '')
    .padEnd(2, '0')
  return `${Math.floor(micros / 1_000_000)}.${frac}`
}

/** "12.5" → 12500000; "" → null; anything else (or more than 6 decimals) → undefined. */
export function micros(text) {
  const t = text.trim().replace(/^\$/, '')
  if (t === '') return null
  const m = /^(\d{1,7})(?:\.(\d{0,6}))?$/.exec(t)
  if (!m) return undefined
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'))
}

/** Shows or hides the banner at the top of the app after GET /v1/admin/spend. */
export async function showSpendBanner() {
  let s
  try {
    s = await api('GET', '/v1/admin/spend')
  } catch {
    return
  }
  let banner = $('spend-banner')
  if (!banner) {
    banner = el('p', { id: 'spend-banner', className: 'form-status error', role: 'alert' })
    $('app').prepend(banner)
  }
  banner.hidden = !s.reached
  const full = s.day.cap !== null && s.day.spent >= s.day.cap ? s.day : s.month
  banner.textContent = s.reached
    ? `The spend cap is reached ($${dollars(full.spent)} of $${dollars(full.cap)} for ` +
      `${full.period}, UTC): no codes are sent until ${full.resetsAt}. Raise the cap on the ` +
      'Policies tab to send again.'
    : ''
  return s
}

function capField(name, label) {
  const input = el('input', { id: name, name, type: 'text', inputMode: 'decimal', size: 12 })
  const box = el('div', { className: 'field' }, el('label', { htmlFor: name }, label), input)
  box.dataset.field = name
  return box
}

function build(panel) {
  const form = el(
    'form',
    { id: 'spend-form', className: 'toolbar', noValidate: true },
    capField('spendCapDaily', 'Daily cap, USD (empty: none)'),
    capField('spendCapMonthly', 'Monthly cap, USD (empty: none)'),
    el('button', { type: 'submit' }, 'Save caps'),
    el('p', { className: 'form-status', role: 'status' }),
  )
  const table = dataTable('spend-prices', 'Price per send (USD)', [
    'Country',
    'SMS',
    'Voice call',
    'Source',
    '',
  ])
  panel.append(
    card(
      'spend-section',
      'Spend cap',
      'A hard cap on what sending codes may cost per UTC day and month, at the estimated prices ' +
        'below. Past it no code is sent: starts answer 503 spend_cap_reached until the period ends.',
      el('p', { id: 'spend-figures', role: 'status' }),
      form,
      el('div', { className: 'table-wrap' }, table),
    ),
  )
  return form
}

async function refresh(form) {
  const s = await showSpendBanner()
  if (s) {
    const fig = (p) => `$${dollars(p.spent)}${p.cap === null ? '' : ` of $${dollars(p.cap)}`}`
    $('spend-figures').textContent =
      `Today (${s.day.period}, UTC): ${fig(s.day)}. This month: ${fig(s.month)}.`
    form.elements.spendCapDaily.value = s.day.cap === null ? '' : dollars(s.day.cap)
    form.elements.spendCapMonthly.value = s.month.cap === null ? '' : dollars(s.month.cap)
  }
  const { prices } = await api('GET', '/v1/admin/prices')
  $('spend-prices').tBodies[0].replaceChildren(...prices.map((p) => priceRow(form, p)))
}

function priceRow(form, p) {
  const sms = el('input', { value: dollars(p.sms), size: 9, inputMode: 'decimal' })
  const voice = el('input', { value: dollars(p.voice), size: 9, inputMode: 'decimal' })
  sms.setAttribute('aria-label', `SMS price for ${p.country}`)
  voice.setAttribute('aria-label', `Voice price for ${p.country}`)
  const save = el('button', { type: 'button' }, 'Save')
  const reset = el('button', { type: 'button', hidden: p.origin !== 'override' }, 'Default')
  const path = `/v1/admin/prices/${encodeURIComponent(p.country)}`
  const act = (fn) => () =>
    busy(form, async () => {
      try {
        await fn()
        await refresh(form)
        status(form, `Price for ${p.country} saved.`, 'ok')
      } catch (err) {
        showProblem(form, err)
      }
    })
  save.addEventListener(
    'click',
    act(async () => {
      const body = { sms: micros(sms.value), voice: micros(voice.value) }
      if (body.sms == null || body.voice == null) throw new Error('Enter both prices in USD.')
      await api('PUT', path, body)
    }),
  )
  reset.addEventListener(
    'click',
    act(() => api('DELETE', path)),
  )
  const tr = el('tr')
  tr.append(
    el('td', {}, p.country === '*' ? 'Any other' : p.country),
    el('td', {}, sms),
    el('td', {}, voice),
    el('td', {}, p.origin === 'override' ? 'set here' : `${p.source ?? ''} (${p.asOf ?? ''})`),
    el('td', {}, save, reset),
  )
  return tr
}

let started = false
/** Builds the section the first time the Policies tab opens. */
export function startSpend() {
  if (started) return
  started = true
  const form = build($('panel-policies'))
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    clearErrors(form)
    const body = {}
    for (const name of ['spendCapDaily', 'spendCapMonthly']) {
      body[name] = micros(form.elements[name].value)
      if (body[name] === undefined) {
        fieldError(form, name, 'Dollars, such as 25 or 2.50 (empty: no cap).')
        return
      }
    }
    await busy(form, async () => {
      try {
        await api('PATCH', '/v1/admin/settings', body)
        await refresh(form)
        status(form, 'Caps saved.', 'ok')
      } catch (err) {
        showProblem(form, err)
      }
    })
  })
  void refresh(form).catch((err) =>
    status(form, `Could not load the spend: ${err.message}`, 'error'),
  )
}
