// Activity (GET /v1/admin/stats): per UTC day, verifications started, delivered and verified with
// their conversion, spend against the daily cap, refusals by limit and breaker trips, as charts;
// then the same figures per country, provider and channel as tables; a date range and a CSV
// download of the same rows. The charts' library loads only when this tab first opens.
import { chart, loadUplot } from './activity-charts.js'
import { api, download } from './api.js'
import { dataTable, el } from './dom.js'
import { busy, clearErrors, showProblem, status } from './forms.js'
import { dollars } from './spend.js'

const $ = (id) => document.getElementById(id)

// The tab and its panel, added before main.js wires the tabs (index.html is at its 300 lines).
const tab = el('button', { id: 'tab-activity', textContent: 'Activity' })
tab.setAttribute('role', 'tab')
tab.setAttribute('aria-controls', 'panel-activity')
document.querySelector('[role=tablist]').append(tab)
const panel = el('section', { id: 'panel-activity', hidden: true, tabIndex: 0 })
panel.setAttribute('role', 'tabpanel')
panel.setAttribute('aria-labelledby', 'tab-activity')
$('app').append(panel)

/** Static markup: figures go in as text only. */
const VIEW = `
<h1>Activity</h1>
<p class="muted">
  What the codes did, per UTC day: verifications started, delivered and verified (conversion),
  spend against the daily cap, refusals by limit and breaker trips. A verification counts on the
  day it started, under the country, channel and provider of its first code.
</p>
<form id="activity-form" class="toolbar" novalidate>
  <div class="field" data-field="from">
    <label for="activity-from">From (UTC)</label>
    <input id="activity-from" name="from" type="date" required />
  </div>
  <div class="field" data-field="to">
    <label for="activity-to">To (UTC)</label>
    <input id="activity-to" name="to" type="date" required />
  </div>
  <button type="submit">Show</button>
  <div class="field" data-field="groupBy">
    <label for="activity-group">CSV rows per</label>
    <select id="activity-group" name="groupBy">
      <option value="day">day</option>
      <option value="country">country</option>
      <option value="provider">provider</option>
      <option value="channel">channel</option>
    </select>
  </div>
  <button type="button" id="activity-csv" class="ghost">Download CSV</button>
  <p class="form-status" role="status"></p>
</form>
<p id="activity-summary" class="summary" aria-live="polite"></p>
<div id="activity-charts" class="charts"></div>
<div id="activity-tables" class="stack"></div>
`

const DAY_MS = 86_400_000
const day = (ms) => new Date(ms).toISOString().slice(0, 10)
const count = (n) => n.toLocaleString('en')
const percent = (c) => (c === null ? '—' : `${Math.round(c * 1000) / 10} %`)
const usd = (m) => (Number.isFinite(m) ? `$${dollars(Math.max(0, Math.round(m)))}` : '—')

const query = (form, groupBy) => {
  const q = new URLSearchParams({ from: form.elements.from.value, to: form.elements.to.value })
  q.set('groupBy', groupBy)
  return `/v1/admin/stats?${q}`
}

export function startActivity() {
  panel.innerHTML = VIEW
  const form = $('activity-form')
  const now = Date.now()
  form.elements.to.value = day(now)
  form.elements.from.value = day(now - 29 * DAY_MS)
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void show(form)
  })
  $('activity-csv').addEventListener('click', () =>
    busy(form, async () => {
      clearErrors(form)
      try {
        const g = form.elements.groupBy.value
        await download(query(form, g), 'text/csv', `sms-auth-stats-by-${g}.csv`)
        status(form, 'CSV downloaded.', 'ok')
      } catch (err) {
        showProblem(form, err)
      }
    }),
  )
  return show(form)
}

async function show(form) {
  await busy(form, async () => {
    clearErrors(form)
    status(form, 'Loading…')
    try {
      const groups = ['day', 'country', 'provider', 'channel']
      const [uPlot, ...reports] = await Promise.all([
        loadUplot(),
        ...groups.map((g) => api('GET', query(form, g))),
      ])
      const [byDay, ...byOther] = reports
      summary(byDay)
      charts(uPlot, byDay)
      tables(byOther)
      status(form, `${byDay.from} to ${byDay.to}, UTC.`, 'ok')
    } catch (err) {
      showProblem(form, err)
      status(form, `Not shown: ${err.message}`, 'error')
    }
  })
}

function summary(r) {
  const t = r.totals
  const refused = Object.values(t.refused).reduce((a, b) => a + b, 0)
  $('activity-summary').textContent =
    `${count(t.started)} started · ${count(t.delivered)} delivered · ${count(t.verified)} verified ` +
    `(${percent(t.conversion)}) · ${usd(t.spend)} spent · ${count(refused)} refused · ` +
    `${count(t.trips.prefix + t.trips.country)} breaker trips`
}

function charts(uPlot, r) {
  const box = $('activity-charts')
  box.replaceChildren()
  const days = r.rows.map((x) => x.key)
  const figure = (id, caption) => {
    const f = el('figure', { id, className: 'card chart' }, el('figcaption', {}, caption))
    box.append(f)
    return f
  }
  const of = (pick) => r.rows.map(pick)
  chart(uPlot, figure('chart-verifications', 'Verifications per day'), {
    days,
    lines: [
      { label: 'Started', values: of((x) => x.started) },
      { label: 'Delivered', values: of((x) => x.delivered) },
      { label: 'Verified', values: of((x) => x.verified) },
      {
        label: 'Conversion',
        scale: '%',
        dash: [6, 4],
        values: of((x) => (x.conversion === null ? null : x.conversion * 100)),
        format: (v) => `${Math.round(v * 10) / 10} %`,
      },
    ],
    scales: { '%': { range: [0, 100] } },
    right: { scale: '%', axis: { values: (_u, ticks) => ticks.map((v) => `${v} %`) } },
  })
  const cap = r.caps.daily
  chart(uPlot, figure('chart-spend', 'Spend per day (USD) against the daily cap'), {
    days,
    lines: [
      { label: 'Spend', bars: true, values: of((x) => x.spend / 1e6), format: (v) => usd(v * 1e6) },
      ...(cap === null
        ? []
        : [
            {
              label: 'Daily cap',
              dash: [6, 4],
              colour:
                getComputedStyle(document.documentElement).getPropertyValue('--bad').trim() ||
                '#b3261e',
              values: of(() => cap / 1e6),
              format: (v) => usd(v * 1e6),
            },
          ]),
    ],
    yFormat: (v) => `$${v}`,
  })
  const limits = [...new Set(r.rows.flatMap((x) => Object.keys(x.refused)))].sort()
  chart(uPlot, figure('chart-refusals', 'Refusals by limit'), {
    days,
    lines: limits.length
      ? limits.map((l) => ({ label: l, values: of((x) => x.refused[l] ?? 0) }))
      : [{ label: 'None', values: of(() => 0) }],
  })
  chart(uPlot, figure('chart-trips', 'Breaker trips'), {
    days,
    lines: [
      { label: 'Prefixes', bars: true, values: of((x) => x.trips.prefix) },
      { label: 'Countries', bars: true, values: of((x) => x.trips.country) },
    ],
  })
}

const HEADINGS = ['Started', 'Sent', 'Delivered', 'Failed', 'Verified', 'Conversion', 'Spend']
const TITLES = { country: 'Country', provider: 'Provider', channel: 'Channel' }

function tables(reports) {
  const box = $('activity-tables')
  box.replaceChildren()
  for (const r of reports) {
    const name = TITLES[r.groupBy]
    const table = dataTable(`activity-by-${r.groupBy}`, `Per ${r.groupBy}`, [name, ...HEADINGS])
    const body = table.tBodies[0]
    for (const row of r.rows) {
      const tr = body.insertRow()
      tr.dataset.key = row.key ?? ''
      const cells = [
        row.key ?? '— (none)',
        count(row.started),
        count(row.sent),
        count(row.delivered),
        count(row.failed + row.undelivered),
        count(row.verified),
        percent(row.conversion),
        usd(row.spend),
      ]
      cells.forEach((c, i) => tr.append(el(i ? 'td' : 'th', i ? {} : { scope: 'row' }, c)))
    }
    if (!r.rows.length) body.insertRow().append(el('td', { colSpan: 8 }, 'Nothing in this range.'))
    box.append(el('div', { className: 'table-wrap' }, table))
  }
}
