// What every admin form shares: field errors next to their fields (and announced), a form-level
// status that says what was saved or why it was not, and busy buttons. Values are never reset on
// an error, so nothing typed is lost.

function holder(form, name) {
  return form.querySelector(`[data-field="${name}"]`)
}

/** Marks `name` invalid with a message tied to its control (aria-describedby). */
export function fieldError(form, name, message) {
  const box = holder(form, name) ?? form.querySelector('[data-field]')
  if (!box) return
  let note = box.querySelector('.field-error')
  if (!note) {
    note = document.createElement('p')
    note.className = 'field-error'
    note.id = `${form.id}-${name}-error`
    box.append(note)
  }
  note.textContent = note.textContent ? `${note.textContent} ${message}` : message
  for (const control of box.querySelectorAll('input, select, textarea')) {
    if (control.type === 'search') continue
    control.setAttribute('aria-invalid', 'true')
    const ids = new Set((control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean))
    ids.add(note.id)
    control.setAttribute('aria-describedby', [...ids].join(' '))
  }
}

export function clearErrors(form) {
  for (const note of form.querySelectorAll('.field-error')) note.remove()
  for (const control of form.querySelectorAll('[aria-invalid]'))
    control.removeAttribute('aria-invalid')
  status(form, '')
}

/** The form's status line: `kind` is 'ok', 'error' or '' (progress). */
export function status(form, text, kind = '') {
  const line = form.querySelector('.form-status')
  line.textContent = text
  line.dataset.kind = kind
  // Errors interrupt; success and progress wait their turn.
  line.setAttribute('role', kind === 'error' ? 'alert' : 'status')
}

/** Shows `[{name, message}]`, focuses the first field, and says so; false when there were any. */
export function report(form, problems) {
  if (!problems.length) return true
  for (const p of problems) fieldError(form, p.name, p.message)
  status(
    form,
    `Not saved: ${problems.length === 1 ? 'one field needs' : `${problems.length} fields need`} attention.`,
    'error',
  )
  const first = holder(form, problems[0].name)?.querySelector(
    'input:not([type=search]), select, textarea',
  )
  first?.focus()
  return false
}

/** An API error on this form: its field errors beside the fields, its detail in the status line. */
export function showProblem(form, err) {
  for (const e of err.errors ?? []) {
    // `credentials.apiKey` → the apiKey field if the form has one, else credentials, else the form.
    const segments = String(e.path ?? '')
      .split(/[.[\]/]/)
      .filter(Boolean)
    const name = segments.reverse().find((s) => holder(form, s)) ?? segments.at(-1) ?? ''
    fieldError(form, name, e.message)
  }
  status(
    form,
    `Not saved: ${err.message}${err.code && err.code !== 'unknown_error' ? ` (${err.code})` : ''}`,
    'error',
  )
}

/** Runs `work` with the form's submit buttons busy. */
export async function busy(form, work) {
  const buttons = form.querySelectorAll('button')
  for (const b of buttons) b.disabled = true
  form.setAttribute('aria-busy', 'true')
  try {
    return await work()
  } finally {
    for (const b of buttons) b.disabled = false
    form.removeAttribute('aria-busy')
  }
}

/** Native constraint checks (required, min, max, pattern…) of the form's named controls. */
export function nativeProblems(form) {
  const out = []
  for (const control of form.querySelectorAll('input[name], select[name], textarea[name]')) {
    if (!control.checkValidity())
      out.push({ name: control.name, message: control.validationMessage })
  }
  return out
}

export const time = (iso) => new Date(iso).toLocaleString()
