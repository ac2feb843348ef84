// Audit: GET /v1/admin/audit, newest first, filtered by action on the server.
import { actorCell } from './admins.js'
import { api } from './api.js'
import { busy, clearErrors, status, time } from './forms.js'

const $ = (id) => document.getElementById(id)
/** The tab's markup, drawn when it first opens. */
const VIEW = `
<h1>Audit</h1>
<form id="audit-form" class="toolbar" novalidate>
  <div class="field" data-field="action">
    <label for="audit-action">Action</label>
    <select id="audit-action" name="action">
      <option value="">All actions</option>
    </select>
  </div>
  <div class="field" data-field="limit">
    <label for="audit-limit">Show</label>
    <select id="audit-limit" name="limit">
      <option>50</option>
      <option selected>100</option>
      <option>500</option>
    </select>
  </div>
  <button type="submit">Refresh</button>
  <p class="form-status" role="status"></p>
</form>
<div class="table-wrap">
  <table id="audit">
    <caption>
      Security events, newest first
    </caption>
    <thead>
      <tr>
        <th scope="col">When</th>
        <th scope="col">Action</th>
        <th scope="col">Outcome</th>
        <th scope="col">Actor</th>
        <th scope="col">User</th>
        <th scope="col">Phone</th>
        <th scope="col">Address</th>
        <th scope="col">Detail</th>
      </tr>
    </thead>
    <tbody></tbody>
  </table>
</div>
`
/** The actions the edge records; any others seen in the log join the list. */
const KNOWN = [
  'account.register',
  'admin.admin.create',
  'admin.admin.delete',
  'admin.admin.update',
  'admin.breaker.release',
  'admin.breaker.safe',
  'admin.breaker.unsafe',
  'admin.integration',
  'admin.integration.test',
  'admin.settings',
  'admin.user.phone',
  'breaker.tripped',
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
  $('panel-audit').innerHTML = VIEW
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
