// Test numbers (/v1/admin/test-numbers): numbers with a fixed code for CI pipelines and app-store
// reviewers, which are never sent anything. The section is built here, at the end of the Policies
// panel; index.html holds none of it.
import { api } from './api.js'
import { card, dataTable, el } from './dom.js'
import { busy, clearErrors, showProblem, status, time } from './forms.js'

const $ = (id) => document.getElementById(id)

function field(name, label, input) {
  input.id = `test-number-${name}`
  input.name = name
  const box = el('div', { className: 'field' }, el('label', { htmlFor: input.id }, label), input)
  box.dataset.field = name
  return box
}

function build(panel) {
  const form = el(
    'form',
    { id: 'test-number-form', className: 'toolbar', noValidate: true },
    field(
      'phone',
      'Test number',
      el('input', { type: 'tel', required: true, autocomplete: 'off' }),
    ),
    field(
      'code',
      'Fixed code (empty: generated)',
      el('input', { type: 'text', inputMode: 'numeric', autocomplete: 'off', size: 10 }),
    ),
    field('description', 'Description', el('input', { type: 'text', maxLength: 200 })),
    el('button', { type: 'submit' }, 'Add test number'),
    el('p', { className: 'form-status', role: 'status' }),
  )
  const table = dataTable('test-numbers', 'Test numbers', [
    'Number',
    'Code',
    'Description',
    'Added',
    '',
  ])
  panel.append(
    card(
      'test-numbers-section',
      'Test numbers',
      'Sign-ins for CI pipelines and app-store reviewers: a listed number is never sent a ' +
        'message, in production too, and always takes its fixed code. Wrong codes still lock it. ' +
        'Prefer numbers that reach nobody (US +1 201 555 0100 to 0199, UK +44 7700 900000 to ' +
        '900999): whoever knows the code of a real number signs in as its owner. The widget ' +
        'takes only valid numbers of the allowed countries (US 555 01xx ones are valid). At most 20.',
      form,
      el('div', { className: 'table-wrap' }, table),
    ),
  )
  return form
}

async function refresh(form) {
  const { testNumbers } = await api('GET', '/v1/admin/test-numbers')
  const rows = testNumbers.map((n) => {
    const remove = el('button', { type: 'button' }, 'Remove')
    remove.setAttribute('aria-label', `Remove ${n.phone}`)
    remove.addEventListener('click', async () => {
      if (!confirm(`Remove the test number ${n.phone}? Its code stops working at once.`)) return
      await busy(form, async () => {
        try {
          await api('DELETE', `/v1/admin/test-numbers/${encodeURIComponent(n.phone)}`)
          await refresh(form)
          status(form, `Removed ${n.phone}.`, 'ok')
        } catch (err) {
          showProblem(form, err)
        }
      })
    })
    const tr = el('tr')
    tr.append(
      el('td', {}, n.phone),
      el('td', {}, el('code', {}, n.code)),
      el('td', {}, n.description ?? ''),
      el('td', {}, time(n.createdAt)),
      el('td', {}, remove),
    )
    return tr
  })
  $('test-numbers').tBodies[0].replaceChildren(...rows)
  return testNumbers.length
}

let started = false
/** Builds the section the first time the Policies tab opens. */
export function startTestNumbers() {
  if (started) return
  started = true
  const form = build($('panel-policies'))
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    clearErrors(form)
    const { phone, code, description } = form.elements
    const body = { phone: phone.value.trim() }
    if (code.value.trim()) body.code = code.value.trim()
    if (description.value.trim()) body.description = description.value.trim()
    await busy(form, async () => {
      try {
        const { testNumber } = await api('POST', '/v1/admin/test-numbers', body)
        form.reset()
        await refresh(form)
        status(form, `Added ${testNumber.phone} with the code ${testNumber.code}.`, 'ok')
      } catch (err) {
        showProblem(form, err)
      }
    })
  })
  void refresh(form).catch((err) =>
    status(form, `Could not load the test numbers: ${err.message}`, 'error'),
  )
}
