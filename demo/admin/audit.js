// Audit: GET /v1/admin/audit, newest first, filtered by action on the server.
import { actorCell } from './admins.js'
import { api } from './api.js'
import { busy, clearErrors, status, time } from './forms.js'

const $ = (id) => document.getElementById(id)
/** The actions the edge records; any others seen in the log join the list. */
const KNOWN = [
  'account.register',
  'admin.admin.create',
  'admin.admin.delete',
  'admin.admin.update',
  'admin.integration',
  'admin.integration.test',
  'admin.settings',
  'admin.user.phone',
  'factor.backup_codes.new',
  'factor.phone.remove',
  'factor.totp.enable',
  'signin.password',
  'verification.check',
  'verification.resend',
  'verification.send',
  'verification.start',
]

function cell(text) {
  const td = document.createElement('td')
  td.textContent = text ?? '—'
  return td
}

function row(e) {
  const tr = document.createElement('tr')
  const detail = e.detail
    ? Object.entries(e.detail)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')
    : null
  const outcome = cell(e.outcome)
  outcome.dataset.outcome = e.outcome
  tr.append(
    cell(time(e.at)),
    cell(e.action),
    outcome,
    actorCell(e.actor),
    cell(e.userId),
    cell(e.phone),
    cell(e.address),
    cell(detail),
  )
  return tr
}

function addActions(actions) {
  const select = $('audit-action')
  const have = new Set([...select.options].map((o) => o.value))
  for (const a of [...actions].sort()) if (!have.has(a)) select.append(new Option(a, a))
}

async function refresh() {
  const form = $('audit-form')
  clearErrors(form)
  const action = form.elements.action.value
  const limit = form.elements.limit.value
  await busy(form, async () => {
    status(form, 'Loading…')
    try {
      const query = new URLSearchParams({ limit, ...(action ? { action } : {}) })
      const { events } = await api('GET', `/v1/admin/audit?${query}`)
      addActions(new Set(events.map((e) => e.action)))
      $('audit').tBodies[0].replaceChildren(...events.map(row))
      status(
        form,
        `${events.length} event${events.length === 1 ? '' : 's'}${action ? ` of ${action}` : ''}, loaded at ${time(new Date().toISOString())}.`,
        'ok',
      )
    } catch (err) {
      status(form, `Could not load the audit log: ${err.message}`, 'error')
    }
  })
}

export function startAudit() {
  addActions(KNOWN)
  const form = $('audit-form')
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void refresh()
  })
  form.elements.action.addEventListener('change', () => void refresh())
  form.elements.limit.addEventListener('change', () => void refresh())
  void refresh()
}
