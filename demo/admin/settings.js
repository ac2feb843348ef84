// Regional and Policies: two forms over GET/PATCH /v1/admin/settings. Each form sends only its own
// fields and, once saved, shows the saved values; unsaved edits in the other form stay as typed.
import { api } from './api.js'
import { DIAL_CODES } from './countries.js'
import { busy, clearErrors, nativeProblems, report, showProblem, status, time } from './forms.js'

const $ = (id) => document.getElementById(id)
const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' })

/** 🇮🇳 from "IN": the two regional indicator symbols of the ISO code. */
export const flag = (cc) => String.fromCodePoint(...[...cc].map((c) => 0x1f1a5 + c.charCodeAt(0)))

export const COUNTRIES = Object.keys(DIAL_CODES)
  .map((code) => ({ code, name: names.of(code) ?? code, dial: `+${DIAL_CODES[code]}` }))
  .sort((a, b) => a.name.localeCompare(b.name, 'en'))

let host = location.hostname
let loaded = null

function load() {
  loaded ??= Promise.all([
    api('GET', '/v1/admin/settings'),
    // The WebOTP line names the public URL's host (SMS_AUTH_PUBLIC_URL), which the OpenAPI document
    // carries as its server; the document also gives the settings' bounds (SETTINGS_RANGES in
    // shared/schemas.ts), so the number fields check them as the API does.
    fetch('/v1/openapi.json')
      .then((r) => r.json())
      .then((doc) => {
        host = new URL(doc.servers[0].url).hostname
        applyRanges(doc)
      })
      .catch(() => undefined),
  ]).then(([settings]) => settings)
  return loaded
}

/** `min`/`max` of each number field from the schema of PATCH /v1/admin/settings. */
function applyRanges(doc) {
  const patch = doc.paths?.['/v1/admin/settings']?.patch
  let schema = patch?.requestBody?.content?.['application/json']?.schema
  // A named component (`#/components/schemas/SettingsPatch`) is a reference to follow.
  const ref = schema?.$ref?.match(/^#\/components\/schemas\/(.+)$/)?.[1]
  if (ref) schema = doc.components?.schemas?.[ref]
  const props = schema?.properties ?? {}
  for (const [name, field] of Object.entries(props)) {
    const input = document.querySelector(`input[type="number"][name="${name}"]`)
    if (!input) continue
    if (field.minimum !== undefined) input.min = String(field.minimum)
    if (field.maximum !== undefined) input.max = String(field.maximum)
  }
}

export async function startSettings() {
  buildRegional()
  wirePolicies()
  for (const form of [$('regional'), $('policies')]) status(form, 'Loading…')
  try {
    const settings = await load()
    fillRegional(settings)
    fillPolicies(settings)
    for (const form of [$('regional'), $('policies')]) status(form, '')
  } catch (err) {
    for (const form of [$('regional'), $('policies')])
      status(form, `Could not load the settings: ${err.message}`, 'error')
  }
}

async function save(form, patch, fill, describe) {
  await busy(form, async () => {
    status(form, 'Saving…')
    try {
      const settings = await api('PATCH', '/v1/admin/settings', patch)
      fill(settings)
      status(form, `Saved at ${time(new Date().toISOString())}: ${describe(settings)}.`, 'ok')
      if (form.id === 'regional' || 'phoneLogin' in patch)
        $('preview').contentWindow?.location.reload()
    } catch (err) {
      showProblem(form, err)
    }
  })
}

// Regional ---------------------------------------------------------------------------------------

let regionalBuilt = false

function buildRegional() {
  if (regionalBuilt) return
  regionalBuilt = true
  const form = $('regional')
  $('defaultCountry').replaceChildren(
    ...COUNTRIES.map((c) => new Option(`${flag(c.code)} ${c.name} (${c.dial})`, c.code)),
  )
  $('allowed-list').replaceChildren(
    ...COUNTRIES.map((c) => {
      const label = document.createElement('label')
      label.className = 'check'
      label.dataset.search = `${c.name} ${c.code} ${c.dial}`.toLowerCase()
      const box = Object.assign(document.createElement('input'), {
        type: 'checkbox',
        value: c.code,
      })
      const art = Object.assign(document.createElement('span'), { textContent: flag(c.code) })
      art.setAttribute('aria-hidden', 'true')
      label.append(
        box,
        ' ',
        art,
        ` ${c.name} `,
        Object.assign(document.createElement('span'), { className: 'dial', textContent: c.dial }),
      )
      return label
    }),
  )
  $('country-filter').addEventListener('input', (e) => {
    const q = e.target.value.trim().toLowerCase()
    for (const label of $('allowed-list').children)
      label.hidden = q !== '' && !label.dataset.search.includes(q)
  })
  form.addEventListener('change', () => syncAllowed())
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    clearErrors(form)
    const patch = readRegional()
    const problems = nativeProblems(form)
    if (patch.allowedCountries && !patch.allowedCountries.length) {
      problems.push({
        name: 'allowedCountries',
        message: 'Check at least one country, or allow every country.',
      })
    } else if (patch.allowedCountries && !patch.allowedCountries.includes(patch.defaultCountry)) {
      problems.push({
        name: 'defaultCountry',
        message: 'The default country must be one of the allowed countries.',
      })
    }
    if (!report(form, problems)) return
    void save(
      form,
      patch,
      fillRegional,
      (s) =>
        `default country ${names.of(s.defaultCountry)} (${s.defaultCountry}), ` +
        (s.allowedCountries
          ? `${s.allowedCountries.length} allowed countries (${s.allowedCountries.join(', ')})`
          : 'every country allowed'),
    )
  })
}

function checked() {
  return [...$('allowed-list').querySelectorAll('input:checked')].map((b) => b.value)
}

function readRegional() {
  const form = $('regional')
  const some = form.elements.allowMode.value === 'some'
  return {
    defaultCountry: form.elements.defaultCountry.value,
    allowedCountries: some ? checked() : null,
  }
}

function syncAllowed() {
  const some = $('regional').elements.allowMode.value === 'some'
  $('allowed-box').hidden = !some
  const list = checked()
  $('allowed-summary').textContent = list.length
    ? `${list.length} checked: ${list.join(', ')}`
    : 'None checked yet.'
}

function fillRegional(s) {
  void explainProductionDefault(s)
  const form = $('regional')
  form.elements.defaultCountry.value = s.defaultCountry
  form.elements.allowMode.value = s.allowedCountries ? 'some' : 'all'
  const allowed = new Set(s.allowedCountries ?? [])
  for (const box of $('allowed-list').querySelectorAll('input'))
    box.checked = allowed.has(box.value)
  syncAllowed()
}

/** In production "every country" means the default country only: the public config says so. */
async function explainProductionDefault(s) {
  const note = $('allowed-production')
  const config = await fetch('/v1/config').then(
    (r) => (r.ok ? r.json() : null),
    () => null,
  )
  note.hidden = !(config && s.allowedCountries === null && config.allowedCountries !== null)
}

// Policies ---------------------------------------------------------------------------------------

// Code lifetime, attempts and the resend cooldown are limits: limits.js edits them.
const NUMBERS = ['codeLength']
const SWITCHES = ['phoneLogin', 'phoneRegistration', 'passwordLogin']
let policiesWired = false

function wirePolicies() {
  if (policiesWired) return
  policiesWired = true
  const form = $('policies')
  form.addEventListener('input', () => preview())
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    clearErrors(form)
    const { patch, problems } = readPolicies()
    if (!report(form, [...nativeProblems(form), ...problems])) return
    void save(
      form,
      patch,
      fillPolicies,
      (s) =>
        `${s.codeLength}-digit codes; ` +
        `${SWITCHES.filter((k) => s[k]).join(', ') || 'no sign-in method'} on; ` +
        `${s.allowedOrigins.length} allowed origin${s.allowedOrigins.length === 1 ? '' : 's'}`,
    )
  })
}

function readPolicies() {
  const f = $('policies').elements
  const patch = {}
  const problems = []
  for (const k of NUMBERS) patch[k] = Number(f[k].value)
  for (const k of SWITCHES) patch[k] = f[k].checked
  // Each entry is checked by the API (shared/origins.ts), which names the one it refuses.
  const origins = f.allowedOrigins.value.split(/[\s,]+/).filter(Boolean)
  patch.allowedOrigins = [...new Set(origins)]
  patch.siteName = f.siteName.value.trim()
  patch.messageTemplate = f.messageTemplate.value
  if (patch.messageTemplate && !patch.messageTemplate.includes('{code}')) {
    problems.push({ name: 'messageTemplate', message: 'The text must contain {code}.' })
  }
  if (!patch.phoneLogin && !patch.passwordLogin) {
    problems.push({
      name: 'passwordLogin',
      message: 'Keep at least one way to sign in: phone or password.',
    })
  }
  return { patch, problems }
}

function fillPolicies(s) {
  const f = $('policies').elements
  for (const k of NUMBERS) f[k].value = s[k]
  for (const k of SWITCHES) f[k].checked = s[k]
  f.allowedOrigins.value = s.allowedOrigins.join('\n')
  f.siteName.value = s.siteName
  f.messageTemplate.value = s.messageTemplate
  preview()
}

/** GSM 03.38 basic characters (a text outside it goes as UCS-2: 70 characters a part). */
const GSM =
  /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/

/** The SMS as edge/messages/text.ts writes it: the template, then `@host #code`. */
function preview() {
  const f = $('policies').elements
  const length = Math.min(10, Math.max(4, Number(f.codeLength.value) || 6))
  const code = '1234567890'.slice(0, length)
  const first = f.messageTemplate.value
    .replaceAll('{code}', code)
    .replaceAll('{site}', f.siteName.value.trim() || 'your site')
    .replace(/[\r\n]+/g, ' ')
    .trim()
  const text = `${first}\n@${host} #${code}`
  $('sms-preview').textContent = text
  const gsm = GSM.test(text)
  const per = gsm ? 160 : 70
  const parts = text.length <= per ? 1 : Math.ceil(text.length / (gsm ? 153 : 67))
  $('sms-count').textContent =
    `${text.length} characters, ${gsm ? 'GSM-7' : 'Unicode (UCS-2)'}: ${parts} SMS part${parts === 1 ? '' : 's'}.` +
    (f.messageTemplate.value.includes('{code}') ? '' : ' The text has no {code} yet.')
}
