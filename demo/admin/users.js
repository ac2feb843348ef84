// Users: GET /v1/admin/users (search, keyset pages), a user's page (GET /v1/admin/users/{id}) and
// its actions: disable or enable, unlock, end the sessions, delete. The destructive ones ask first.
import { canOwn } from './admins.js'
import { api } from './api.js'
import { busy, clearErrors, showProblem, status, time } from './forms.js'

const $ = (id) => document.getElementById(id)
/** The cursors of the pages before the current one, for "Previous". */
let back = []
let cursor = null
let next = null
let current = null

/** The tab's search, table, pager and user page (static markup: user data goes in as text only). */
const VIEW = `
<h1>Users</h1>
<form id="users-form" class="toolbar" role="search" novalidate>
  <div class="field" data-field="query">
    <label for="users-query">Name, email or last digits of the phone</label>
    <input id="users-query" name="query" type="search" maxlength="100" />
  </div>
  <button type="submit">Search</button>
  <p class="form-status" role="status"></p>
</form>
<div class="table-wrap">
  <table id="users">
    <caption>
      Users, newest first
    </caption>
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Email</th>
        <th scope="col">Phone</th>
        <th scope="col">State</th>
        <th scope="col">Created</th>
      </tr>
    </thead>
    <tbody></tbody>
  </table>
</div>
<p class="toolbar">
  <button type="button" id="users-prev" disabled>Previous</button>
  <button type="button" id="users-next" disabled>Next</button>
</p>
<section id="user-page" class="card" aria-labelledby="user-title" hidden>
  <h2 id="user-title" tabindex="-1"></h2>
  <dl id="user-facts"></dl>
  <form id="user-actions" class="toolbar" novalidate>
    <button type="button" id="user-disable">Disable</button>
    <button type="button" id="user-unlock">Unlock</button>
    <button type="button" id="user-revoke">End sessions</button>
    <button type="button" id="user-delete" class="danger">Delete</button>
    <p class="form-status" role="status"></p>
  </form>
</section>
`

function cell(text) {
  const td = document.createElement('td')
  td.textContent = text ?? '—'
  return td
}

function row(u) {
  const tr = document.createElement('tr')
  const name = document.createElement('td')
  const open = document.createElement('button')
  open.type = 'button'
  open.className = 'link'
  open.textContent = u.name
  open.addEventListener('click', () => show(u.id))
  name.append(open)
  tr.append(
    name,
    cell(u.email),
    cell(u.phone),
    cell(u.disabled ? 'Disabled' : 'Active'),
    cell(time(u.createdAt)),
  )
  return tr
}

async function load() {
  const form = $('users-form')
  clearErrors(form)
  const q = new URLSearchParams({ limit: '20' })
  const query = form.elements.query.value.trim()
  if (query) q.set('query', query)
  if (cursor) q.set('cursor', cursor)
  await busy(form, async () => {
    try {
      const page = await api('GET', `/v1/admin/users?${q}`)
      $('users').tBodies[0].replaceChildren(...page.users.map(row))
      next = page.nextCursor
      $('users-next').disabled = next === null
      $('users-prev').disabled = back.length === 0
      status(form, `${page.total} ${page.total === 1 ? 'user' : 'users'}`)
    } catch (err) {
      showProblem(form, err)
    }
  })
}

function fact(dl, term, value) {
  const dt = document.createElement('dt')
  dt.textContent = term
  const dd = document.createElement('dd')
  dd.textContent = value ?? '—'
  dl.append(dt, dd)
}

async function show(id) {
  const u = (await api('GET', `/v1/admin/users/${encodeURIComponent(id)}`)).user
  current = u
  $('user-page').hidden = false
  $('user-title').textContent = u.name
  const dl = $('user-facts')
  dl.replaceChildren()
  fact(dl, 'Email', u.email)
  fact(dl, 'Phone', u.phone)
  fact(dl, 'State', u.disabled ? `Disabled since ${time(u.disabledAt)}` : 'Active')
  fact(dl, 'Factors', u.factors.join(', ') || 'none')
  fact(dl, 'Sessions', String(u.sessionsCount))
  fact(dl, 'Last sign-in', u.lastSignInAt ? time(u.lastSignInAt) : null)
  fact(dl, 'Locked until', u.lockedUntil ? time(u.lockedUntil) : 'not locked')
  $('user-disable').textContent = u.disabled ? 'Enable' : 'Disable'
  $('user-title').focus()
}

const ACTIONS = {
  'user-disable': (u) => ({
    ask: u.disabled ? null : `Disable ${u.name}? Their sessions end now.`,
    run: () => api('PATCH', `/v1/admin/users/${u.id}`, { disabled: !u.disabled }),
    done: u.disabled ? 'Enabled.' : 'Disabled: their sessions have ended.',
  }),
  'user-unlock': (u) => ({
    ask: null,
    run: () => api('POST', `/v1/admin/users/${u.id}/unlock`),
    done: 'Unlocked.',
  }),
  'user-revoke': (u) => ({
    ask: `End every session of ${u.name}?`,
    run: () => api('POST', `/v1/admin/users/${u.id}/sessions/revoke`),
    done: 'Their sessions have ended.',
  }),
  'user-delete': (u) => ({
    ask: `Delete ${u.name} and their data? This cannot be undone.`,
    run: () => api('DELETE', `/v1/admin/users/${u.id}`),
    done: 'Deleted.',
    gone: true,
  }),
}

async function act(e) {
  const form = $('user-actions')
  const action = ACTIONS[e.currentTarget.id](current)
  if (action.ask && !confirm(action.ask)) return
  await busy(form, async () => {
    try {
      await action.run()
      status(form, action.done)
      if (action.gone) $('user-page').hidden = true
      else await show(current.id)
      await load()
    } catch (err) {
      showProblem(form, err)
    }
  })
}

export function startUsers() {
  const panel = $('panel-users')
  panel.innerHTML = VIEW
  panel.setAttribute('aria-labelledby', 'tab-users')
  panel.tabIndex = 0
  $('users-form').addEventListener('submit', (e) => {
    e.preventDefault()
    back = []
    cursor = null
    void load()
  })
  $('users-next').addEventListener('click', () => {
    back.push(cursor)
    cursor = next
    void load()
  })
  $('users-prev').addEventListener('click', () => {
    cursor = back.pop() ?? null
    void load()
  })
  for (const id of Object.keys(ACTIONS)) $(id).addEventListener('click', act)
  $('user-delete').hidden = !canOwn() // support may not delete (docs/api.md, roles)
  void load()
}
