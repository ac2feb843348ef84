// Integrations: one card per provider over GET/PUT /v1/admin/integrations and its test route.
// Credentials are write-only: a saved key shows masked, and an empty key field keeps it.
// Each card is rendered from the view the API returns: its title, documented origin, credential
// fields (from the provider's schema in edge/providers/<name>/credentials.ts) and, for providers
// configured with a bare receipt URL, where in their portal it goes. No list of our own here.
import { api } from './api.js'
import { busy, clearErrors, nativeProblems, report, showProblem, status, time } from './forms.js'
import { receiptUrl } from './receipts.js'

const $ = (id) => document.getElementById(id)

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...children.filter((c) => c !== null && c !== undefined))
  return node
}

function field(id, name, labelText, input, help) {
  input.id = id
  input.name = name
  const helpNode = help ? el('p', { className: 'help', id: `${id}-help`, textContent: help }) : null
  if (helpNode) input.setAttribute('aria-describedby', helpNode.id)
  const box = el(
    'div',
    { className: 'field' },
    el('label', { htmlFor: id, textContent: labelText }),
    input,
    helpNode,
  )
  box.dataset.field = name
  return box
}

function check(id, name, labelText, help) {
  const input = el('input', { type: 'checkbox', id, name })
  const box = el(
    'div',
    { className: 'field' },
    el('label', { className: 'check' }, input, ` ${labelText}`),
    help ? el('p', { className: 'help', textContent: help }) : null,
  )
  box.dataset.field = name
  return box
}

function summary(view) {
  const parts = [view.enabled ? `On, priority ${view.priority}` : 'Off']
  if (view.voice) parts.push('voice calls on')
  if (view.failoverAfterTimeout) parts.push('fails over after a timeout')
  if (view.missing.length && view.provider !== 'console')
    parts.push(`missing: ${view.missing.join(', ')}`)
  if (view.updatedAt) parts.push(`saved ${time(view.updatedAt)}`)
  return parts.join(' · ')
}

/** What a card shows of its provider, from the API's view. */
function metaOf(view) {
  return {
    title: view.title ?? view.provider,
    origin: view.origin ?? null,
    fields: view.fields ?? [],
    receipts: view.receiptsHelp ?? null,
  }
}

function card(view) {
  const p = view.provider
  const meta = metaOf(view)
  const id = (k) => `int-${p}-${k}`
  const form = el('form', { id: `int-${p}`, className: 'card', noValidate: true })
  form.setAttribute('aria-labelledby', id('title'))
  const state = el('p', { className: 'help', id: id('state') })
  const creds = meta.fields.map((f) => {
    const input = el('input', {
      type: f.type === 'password' ? 'password' : 'text',
      autocomplete: 'off',
      spellcheck: false,
    })
    if (f.pattern) input.pattern = f.pattern
    return field(id(f.key), f.key, `${f.label}${f.required ? '' : ' (optional)'}`, input, f.help)
  })
  const voiceHelp = view.channels.includes('voice')
    ? 'Use this provider for “Call me instead”.'
    : 'This provider has no voice channel.'
  const voice = check(id('voice'), 'voice', 'Voice calls', voiceHelp)
  voice.querySelector('input').disabled = !view.channels.includes('voice')
  const failover = check(
    id('failoverAfterTimeout'),
    'failoverAfterTimeout',
    'Fail over after a timeout',
    'A timed-out request may still be delivered, so failing over may send the user two messages.',
  )
  const priority = el('input', { type: 'number', min: 0, max: 10000, step: 1, required: true })
  const baseUrl = el('input', { type: 'url', placeholder: meta.origin ?? '', spellcheck: false })
  form.append(
    el('h2', { id: id('title'), textContent: meta.title }),
    state,
    el(
      'div',
      { className: 'grid' },
      check(id('enabled'), 'enabled', 'Enabled'),
      field(id('priority'), 'priority', 'Priority (lower is tried first)', priority),
      voice,
      failover,
    ),
    ...(creds.length
      ? [el('fieldset', {}, el('legend', { textContent: 'Credentials' }), ...creds)]
      : []),
    ...(meta.origin
      ? [
          field(
            id('baseUrl'),
            'baseUrl',
            'Base URL (optional)',
            baseUrl,
            `Replaces ${meta.origin} (regional endpoints, local fakes). Empty: the documented origin.`,
          ),
        ]
      : []),
    el('button', { type: 'submit', textContent: `Save ${meta.title}` }),
    el('p', { className: 'form-status' }),
  )
  const test = el('form', { id: `int-${p}-test`, className: 'test', noValidate: true })
  test.setAttribute('aria-label', `Send a test message with ${meta.title}`)
  const phone = el('input', {
    type: 'tel',
    autocomplete: 'off',
    required: true,
    placeholder: '+1 555 123 4567',
  })
  const channel = el(
    'select',
    {},
    new Option('SMS', 'sms'),
    ...(view.channels.includes('voice') ? [new Option('Voice call', 'voice')] : []),
  )
  test.append(
    el(
      'div',
      { className: 'grid' },
      field(id('phone'), 'phone', 'Test phone number', phone),
      field(id('channel'), 'channel', 'Channel', channel),
    ),
    el('button', { type: 'submit', className: 'secondary', textContent: 'Send test message' }),
    el('p', { className: 'form-status' }),
  )
  const wrap = el('article', { className: 'provider' }, form, receiptUrl(p, meta, view), test)
  fill(form, view)
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void save(form, p, meta)
  })
  test.addEventListener('submit', (e) => {
    e.preventDefault()
    void sendTest(test, p)
  })
  return wrap
}

function fill(form, view) {
  const f = form.elements
  const p = view.provider
  f.enabled.checked = view.enabled
  f.priority.value = view.priority
  f.voice.checked = view.voice
  f.failoverAfterTimeout.checked = view.failoverAfterTimeout
  if (f.baseUrl) f.baseUrl.value = view.baseUrl ?? ''
  for (const meta of view.fields ?? []) {
    const input = f[meta.key]
    input.value = ''
    const saved = view.credentials?.[meta.key]
    input.placeholder = saved ? `saved: ${saved}` : meta.required ? 'not set' : ''
  }
  form.querySelector(`#int-${p}-state`).textContent = summary(view)
}

function readPut(form, meta) {
  const f = form.elements
  const problems = nativeProblems(form)
  const put = {
    enabled: f.enabled.checked,
    priority: Number(f.priority.value),
    voice: f.voice.checked,
    failoverAfterTimeout: f.failoverAfterTimeout.checked,
  }
  if (f.baseUrl) {
    const value = f.baseUrl.value.trim()
    let ok = value === ''
    try {
      const url = new URL(value)
      ok ||= /^https?:$/.test(url.protocol) && url.pathname === '/' && !url.search && !url.hash
    } catch {}
    if (!ok)
      problems.push({
        name: 'baseUrl',
        message: 'An origin such as https://api.example.com, with no path.',
      })
    put.baseUrl = value === '' ? null : value.replace(/\/$/, '')
  }
  const typed = Object.fromEntries(
    meta.fields.map((m) => [m.key, f[m.key].value.trim()]).filter(([, v]) => v),
  )
  if (Object.keys(typed).length) {
    // The credentials are replaced as a whole: saved ones are not shown, so every required one is needed.
    for (const m of meta.fields) {
      if (m.required && !typed[m.key])
        problems.push({
          name: m.key,
          message: 'To change the credentials, enter every required one.',
        })
    }
    put.credentials = typed
  }
  return { put, problems }
}

async function save(form, provider, meta) {
  clearErrors(form)
  const { put, problems } = readPut(form, meta)
  if (!report(form, problems)) return
  await busy(form, async () => {
    status(form, 'Saving…')
    try {
      const view = await api('PUT', `/v1/admin/integrations/${provider}`, put)
      fill(form, view)
      status(
        form,
        `Saved at ${time(new Date().toISOString())}: ${summary(view)}${put.credentials ? '; credentials replaced' : ''}.`,
        'ok',
      )
    } catch (err) {
      showProblem(form, err)
    }
  })
}

async function sendTest(form, provider) {
  clearErrors(form)
  if (!report(form, nativeProblems(form))) return
  const f = form.elements
  await busy(form, async () => {
    status(form, 'Sending…')
    try {
      const r = await api('POST', `/v1/admin/integrations/${provider}/test`, {
        phone: f.phone.value.trim(),
        channel: f.channel.value,
      })
      const ms = r.attempts.reduce((sum, a) => sum + a.ms, 0)
      if (r.outcome === 'sent') {
        status(
          form,
          `Sent by ${r.provider}${r.messageId ? ` (message id ${r.messageId})` : ''} in ${Math.round(ms)} ms.`,
          'ok',
        )
      } else if (r.outcome === 'unknown') {
        status(form, `No answer in time (${r.error}): the message may still arrive.`, 'error')
      } else {
        status(form, `Not sent (${r.outcome}): ${r.error ?? 'the provider refused it'}.`, 'error')
      }
    } catch (err) {
      showProblem(form, err)
      status(form, `Not sent: ${err.message}`, 'error')
    }
  })
}

export async function startIntegrations() {
  const line = $('integrations-status')
  line.textContent = 'Loading…'
  try {
    const { integrations } = await api('GET', '/v1/admin/integrations')
    // The API's order (the server's registry), with the development console last.
    integrations.sort((a, b) => (a.provider === 'console') - (b.provider === 'console'))
    $('integrations').replaceChildren(...integrations.map(card))
    line.textContent = ''
  } catch (err) {
    line.textContent = `Could not load the integrations: ${err.message}`
    line.dataset.kind = 'error'
  }
  // Development: the console provider's messages, so a test message can be seen.
  import('/assets/outbox.js').catch(() => undefined)
}
