// Development only: a panel with the messages the console provider "sent" (GET /v1/dev/outbox),
// so a person can follow every flow without a phone. Import it and it appears; where the outbox
// does not exist (production mode, another provider) it stays away. It goes into the page's
// `[data-outbox]` element if there is one, else at the end of <main>.
const POLL_MS = 1500
const SHOWN = 6

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...children)
  return node
}

function render(list, messages) {
  list.replaceChildren(
    ...messages.slice(0, SHOWN).map((m) => {
      const time = new Date(m.at).toLocaleTimeString()
      const head = el('div', {}, `${time} · ${m.channel} → ${m.to}`)
      const code = m.code ? el('div', { className: 'code' }, m.code) : ''
      return el('li', {}, head, code, el('p', { className: 'body' }, m.body))
    }),
  )
}

export async function startOutbox() {
  const first = await fetch('/v1/dev/outbox?limit=1').catch(() => null)
  if (!first?.ok) return
  const list = el('ol')
  const live = el('p', { className: 'muted' })
  live.setAttribute('aria-live', 'polite')
  const summary = el('summary', {}, 'Development outbox')
  const details = el(
    'details',
    { open: sessionStorage.getItem('sms-auth-outbox') !== 'closed' },
    summary,
    el(
      'p',
      { className: 'muted' },
      'What the console provider “sent” (no real SMS in development).',
    ),
    live,
    list,
  )
  details.addEventListener('toggle', () =>
    sessionStorage.setItem('sms-auth-outbox', details.open ? 'open' : 'closed'),
  )
  const panel = el('aside', { className: 'outbox' }, details)
  panel.setAttribute('aria-label', 'Development outbox')
  ;(
    document.querySelector('[data-outbox]') ??
    document.querySelector('main') ??
    document.body
  ).append(panel)

  let newest = null
  const poll = async () => {
    if (document.visibilityState !== 'visible') return
    const res = await fetch(`/v1/dev/outbox?limit=${SHOWN}`).catch(() => null)
    if (!res?.ok) return
    const { messages } = await res.json()
    const top = messages[0] ? `${messages[0].at}|${messages[0].to}|${messages[0].body}` : null
    if (top === newest) return
    if (newest !== null && messages[0]) {
      const m = messages[0]
      live.textContent = m.code ? `New code ${m.code} for ${m.to}.` : `New message for ${m.to}.`
    }
    newest = top
    render(list, messages)
  }
  await poll()
  setInterval(poll, POLL_MS)
}

void startOutbox()
