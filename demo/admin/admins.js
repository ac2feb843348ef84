// Admins (owners only): the named admin accounts (GET /v1/admin/admins), adding one by email,
// changing a role and removing one, each change confirmed first. Also what the other modules ask
// of the role: the tabs it may use (support: Fraud, read only, Users, Audit and Activity) and
// the audit's actor names.
import { api } from './api.js'
import { busy, clearErrors, showProblem, status, time } from './forms.js'

const $ = (id) => document.getElementById(id)
/** The tabs support staff use; every other tab (and any added later) is for owners. */
const SUPPORT_TABS = ['fraud', 'users', 'audit', 'activity']
let role = null

/** The tabs of `tabs` that an admin of `r` may use; remembers the role for canOwn(). */
export function tabsFor(r, tabs) {
  role = r
  return r === 'owner' ? tabs : tabs.filter((t) => SUPPORT_TABS.includes(t))
}
export const canOwn = () => role === 'owner'

// The tab and its panel, added before main.js wires the tabs (index.html is at its 300 lines).
const tab = document.createElement('button')
Object.assign(tab, { id: 'tab-admins', textContent: 'Admins' })
tab.setAttribute('role', 'tab')
tab.setAttribute('aria-controls', 'panel-admins')
document.querySelector('[role=tablist]').append(tab)
const panel = document.createElement('section')
Object.assign(panel, { id: 'panel-admins', hidden: true, tabIndex: 0 })
panel.setAttribute('role', 'tabpanel')
panel.setAttribute('aria-labelledby', 'tab-admins')
$('app').append(panel)

/** Static markup: account data goes in as text only. */
const VIEW = `
<h1>Admins</h1>
<p class="muted">
  People who sign in to this page with their own account (phone and a second factor). Support
  staff manage users and read the audit; owners can do everything. The admin token is always an
  owner. Changes need a sign-in from the last 5 minutes.
</p>
<form id="admins-form" class="toolbar" novalidate>
  <div class="field" data-field="email">
    <label for="admins-email">Email of the account to add</label>
    <input id="admins-email" name="email" type="email" maxlength="254" required />
  </div>
  <div class="field" data-field="role">
    <label for="admins-role">Role</label>
    <select id="admins-role" name="role">
      <option value="support">Support</option>
      <option value="owner">Owner</option>
    </select>
  </div>
  <button type="submit">Add admin</button>
  <p class="form-status" role="status"></p>
</form>
<div class="table-wrap">
  <table id="admins">
    <caption>Admin accounts</caption>
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Email</th>
        <th scope="col">Phone</th>
        <th scope="col">Role</th>
        <th scope="col">Added</th>
        <th scope="col">Actions</th>
      </tr>
    </thead>
    <tbody></tbody>
  </table>
</div>
`

function cell(text) {
  const td = document.createElement('td')
  td.textContent = text ?? '—'
  return td
}

const STEP_UP = 'reauthentication_required'
function failed(err) {
  const form = $('admins-form')
  if (err.code === STEP_UP)
    status(form, 'Confirm it is you: sign out and sign in again, then repeat the change.', 'error')
  else showProblem(form, err)
}

function row(a) {
  const tr = document.createElement('tr')
  const pick = document.createElement('select')
  pick.setAttribute('aria-label', `Role of ${a.name}`)
  for (const r of ['support', 'owner']) pick.append(new Option(r, r, false, r === a.role))
  pick.addEventListener('change', async () => {
    if (!confirm(`Make ${a.name} ${pick.value === 'owner' ? 'an owner' : 'support'}?`)) {
      pick.value = a.role
      return
    }
    await change(
      () => api('PATCH', `/v1/admin/admins/${a.userId}`, { role: pick.value }),
      'Role changed.',
    )
  })
  const role = document.createElement('td')
  role.append(pick)
  const remove = document.createElement('button')
  Object.assign(remove, { type: 'button', className: 'danger', textContent: 'Remove' })
  remove.setAttribute('aria-label', `Remove ${a.name}`)
  remove.addEventListener('click', async () => {
    if (!confirm(`Remove ${a.name}'s admin access? Their account stays.`)) return
    await change(() => api('DELETE', `/v1/admin/admins/${a.userId}`), 'Removed.')
  })
  const actions = document.createElement('td')
  actions.append(remove)
  tr.append(cell(a.name), cell(a.email), cell(a.phone), role, cell(time(a.createdAt)), actions)
  return tr
}

async function change(run, done) {
  const form = $('admins-form')
  clearErrors(form)
  try {
    await run()
    status(form, done, 'ok')
  } catch (err) {
    failed(err)
  }
  await load()
}

async function load() {
  try {
    const { admins } = await api('GET', '/v1/admin/admins')
    $('admins').tBodies[0].replaceChildren(...admins.map(row))
  } catch (err) {
    failed(err)
  }
}

async function add(e) {
  e.preventDefault()
  const form = e.currentTarget
  clearErrors(form)
  const email = form.elements.email.value.trim()
  const r = form.elements.role.value
  if (!confirm(`Make ${email} ${r === 'owner' ? 'an owner' : 'support'}?`)) return
  await busy(form, async () => {
    try {
      const { admin } = await api('POST', '/v1/admin/admins', { email, role: r })
      form.reset()
      status(form, `${admin.name} is now ${admin.role === 'owner' ? 'an owner' : 'support'}.`, 'ok')
    } catch (err) {
      failed(err)
    }
  })
  await load()
}

export function startAdmins() {
  panel.innerHTML = VIEW
  $('admins-form').addEventListener('submit', add)
  void load()
}

const names = new Map()
/** The audit's actor as a person reads it: `admin:token`, or the named admin's name (looked up). */
export function actorCell(actor) {
  const td = cell(actor === 'admin:token' ? 'Admin token' : actor)
  const id = /^admin:(usr_[\w-]+)$/.exec(actor ?? '')?.[1]
  if (!id) return td
  if (!names.has(id))
    names.set(
      id,
      api('GET', `/v1/admin/users/${id}`).then(
        (r) => r.user.name,
        () => null,
      ),
    )
  void names.get(id).then((name) => {
    if (name) td.textContent = `${name} (admin)`
  })
  return td
}
