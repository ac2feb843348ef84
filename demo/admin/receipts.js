// The receipt URL of a provider that signs nothing (Clickatell, Smstools): the API derives a
// secret token for it, and the site owner pastes the whole URL into the provider's portal.

/** The block that shows `view.callbackUrl` with a copy button, or null for other providers. */
export function receiptUrl(provider, meta, view) {
  if (!meta.receipts || !view.callbackUrl) return null
  const id = `int-${provider}-receipts`
  const input = Object.assign(document.createElement('input'), {
    id,
    type: 'text',
    readOnly: true,
    value: view.callbackUrl,
    spellcheck: false,
  })
  input.setAttribute('aria-describedby', `${id}-help`)
  const copy = Object.assign(document.createElement('button'), {
    type: 'button',
    className: 'secondary',
    textContent: 'Copy',
  })
  copy.setAttribute('aria-label', `Copy the ${meta.title} receipt URL`)
  const said = Object.assign(document.createElement('p'), { className: 'form-status' })
  said.setAttribute('role', 'status')
  copy.addEventListener('click', async () => {
    const ok = await navigator.clipboard?.writeText(input.value).then(
      () => true,
      () => false,
    )
    if (!ok) input.select()
    said.textContent = ok ? 'Copied.' : 'Selected: copy it with Ctrl+C or ⌘C.'
    said.dataset.kind = ok ? 'ok' : ''
  })
  const label = Object.assign(document.createElement('label'), {
    htmlFor: id,
    textContent: 'Delivery receipt URL',
  })
  const help = Object.assign(document.createElement('p'), {
    id: `${id}-help`,
    className: 'help',
    textContent: `${meta.receipts} It holds a secret: receipts without it are refused. It changes when SMS_AUTH_SECRET does.`,
  })
  const row = Object.assign(document.createElement('div'), { className: 'copy-row' })
  row.append(input, copy)
  const box = Object.assign(document.createElement('section'), { className: 'receipts' })
  box.setAttribute('aria-label', `${meta.title} delivery receipts`)
  const field = Object.assign(document.createElement('div'), { className: 'field' })
  field.append(label, row, help)
  box.append(field, said)
  return box
}
