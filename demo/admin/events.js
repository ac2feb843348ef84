// Events: the endpoints that receive signed events (/v1/admin/event-endpoints), each with its
// deliveries and a Resend button. The panel is built here; index.html holds only its section.
import { api } from './api.js'
import { dataTable, el } from './dom.js'
import { busy, clearErrors, showProblem, status, time } from './forms.js'

const $ = (id) => document.getElementById(id)

function field(name, label, input) {
  input.id = `event-${name}`
  input.name = name
  const box = el('div', { className: 'field' }, el('label', { htmlFor: input.id }, label), input)
  box.dataset.field = name
  return box
}

function buildPanel(panel) {
  panel.tabIndex = 0
  const form = el(
    'form',
    { id: 'event-form', className: 'toolbar', noValidate: true },
    field('url', 'Endpoint URL', el('input', { type: 'url', required: true, size: 40 })),
    field('types', 'Event types (comma-separated, empty: all)', el('input', { type: 'text' })),
    el('button', { type: 'submit' }, 'Add endpoint'),
    el('p', { className: 'form-status', role: 'status' }),
  )
  const secret = el('p', { id: 'event-secret', hidden: true })
  const table = dataTable('event-endpoints', 'Endpoints', ['URL', 'Types', 'Enabled', ''])
  const deliveries = el('section', { id: 'event-deliveries', hidden: true })
  panel.append(
    el('h1', {}, 'Events'),
    form,
    secret,
    el('div', { className: 'table-wrap' }, table),
    deliveries,
  )
  return form
}

async function showDeliveries(endpoint) {
  const box = $('event-deliveries')
  const { deliveries } = await api('GET', `/v1/admin/event-endpoints/${endpoint.id}/deliveries`)
  const table = dataTable('event-delivery-table', `Deliveries to ${endpoint.url}, newest first`, [
    'Created',
    'Event',
    'State',
    'Attempts',
    'Last answer',
    '',
  ])
  const body = table.tBodies[0]
  for (const d of deliveries) {
    const last = d.log[0]
    const resend = el('button', { type: 'button' }, 'Resend')
    resend.addEventListener('click', async () => {
      resend.disabled = true
      await api('POST', `/v1/admin/event-deliveries/${d.id}/resend`)
      resend.textContent = 'Queued'
    })
    const row = body.insertRow()
    row.append(
      el('td', {}, time(d.createdAt)),
      el('td', {}, `${d.type} (${d.eventId})`),
      el('td', {}, d.state),
      el('td', {}, String(d.attempts)),
      el(
        'td',
        {},
        last ? `${last.status ?? 'no answer'}${last.error ? `: ${last.error}` : ''}` : '—',
      ),
      el('td', {}, resend),
    )
  }
  box.replaceChildren(el('h2', {}, 'Deliveries'), el('div', { className: 'table-wrap' }, table))
  box.hidden = false
}

async function refresh(form) {
  const { endpoints } = await api('GET', '/v1/admin/event-endpoints')
  const rows = endpoints.map((e) => {
    const tr = el('tr')
    const toggle = el('button', { type: 'button' }, e.enabled ? 'Disable' : 'Enable')
    toggle.addEventListener('click', async () => {
      await api('PATCH', `/v1/admin/event-endpoints/${e.id}`, { enabled: !e.enabled })
      await refresh(form)
    })
    const open = el('button', { type: 'button' }, 'Deliveries')
    open.addEventListener('click', () => void showDeliveries(e))
    tr.append(
      el('td', {}, e.url),
      el('td', {}, e.types.length ? e.types.join(', ') : 'all'),
      el('td', {}, e.enabled ? 'yes' : 'no'),
      el('td', {}, open, ' ', toggle),
    )
    return tr
  })
  $('event-endpoints').tBodies[0].replaceChildren(...rows)
  status(form, `${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'}.`, 'ok')
}

export function startEvents() {
  const form = buildPanel($('panel-events'))
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    clearErrors(form)
    const types = form.elements.types.value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    await busy(form, async () => {
      try {
        const made = await api('POST', '/v1/admin/event-endpoints', {
          url: form.elements.url.value,
          types,
        })
        // Shown this once: the server keeps it sealed and never shows it again.
        const secret = $('event-secret')
        secret.replaceChildren(
          'Signing secret (copy it now, it is not shown again): ',
          el('code', {}, made.secret),
        )
        secret.hidden = false
        form.reset()
        await refresh(form)
      } catch (err) {
        showProblem(form, err)
      }
    })
  })
  void refresh(form).catch((err) =>
    status(form, `Could not load the endpoints: ${err.message}`, 'error'),
  )
}
