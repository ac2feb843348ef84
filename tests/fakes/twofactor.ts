/**
 * A fake of 2Factor.in (providers.md §2.8): the API key in the path, GET or POST, every answer
 * the envelope `{"Status","Details"}`. SMS OTP (own code or AUTOGEN, optional template), voice
 * OTP (10 digits strictly), session and phone verification, balance, and R1 transactional SMS.
 * Texts the docs do not give (balance, rate limit) are the fake's own, matched by the documented
 * keywords ("balance", "limit").
 */
import { randomInt, randomUUID } from 'node:crypto'
import { header, startFake } from './server.js'
import type { Fake, FailMode, FakeRequest, Reply } from './server.js'

export const TWOFACTOR_CREDENTIALS = {
  apiKey: '0f1e2d3c-4b5a-11ee-9c8b-0200cd936042',
  senderId: 'MYBRND',
  templateName: 'LoginOTP',
}

const LENGTH = 'Invalid Phone Number - Length Mismatch(Expected: 10)'

function envelope(status: number, ok: boolean, details: string): Reply {
  return { status, body: { Status: ok ? 'Success' : 'Error', Details: details } }
}

export async function startTwoFactor(credentials = TWOFACTOR_CREDENTIALS): Promise<Fake> {
  const sessions = new Map<string, { phone: string; otp: string }>()
  return startFake((req, mode, fake) => handle(req, mode, fake, credentials.apiKey, sessions))
}

function handle(
  req: FakeRequest,
  mode: FailMode | null,
  fake: Fake,
  apiKey: string,
  sessions: Map<string, { phone: string; otp: string }>,
): Reply {
  if (req.method !== 'GET' && req.method !== 'POST')
    return { status: 405, body: 'Method Not Allowed' }
  let key: string | undefined
  let route: string[]
  let form = new URLSearchParams()
  const v1 = /^\/API\/V1\/([^/]+)\/(.+)$/.exec(req.path)
  if (v1) {
    key = decodeURIComponent(v1[1] ?? '')
    route = (v1[2] ?? '').split('/').map(decodeURIComponent)
  } else if (req.path === '/API/R1/' || req.path === '/API/R1') {
    const type = header(req, 'content-type') ?? ''
    form =
      req.method === 'POST' && type.startsWith('application/x-www-form-urlencoded')
        ? new URLSearchParams(req.body)
        : req.query
    key = form.get('apikey') ?? undefined
    route = ['R1']
  } else {
    return { status: 404, body: 'Not Found', contentType: 'text/html' }
  }

  // Account errors come with HTTP 200 here, number errors with 400: both happen (§2.1).
  if (key !== apiKey || mode === 'bad-key') return envelope(200, false, 'Invalid API Key')
  switch (mode) {
    case 'invalid-number':
      return envelope(400, false, LENGTH)
    case 'opted-out':
      return envelope(400, false, 'Number is in DND')
    case 'no-balance':
      return envelope(400, false, 'Insufficient balance')
    case 'server-error':
      return {
        status: 502,
        body: '<html><body>502 Bad Gateway</body></html>',
        contentType: 'text/html',
      }
    case 'rate-limit':
      return envelope(429, false, 'Rate limit exceeded')
    case 'error-in-200':
      return envelope(200, false, LENGTH)
    default:
      break
  }

  const [service, a, b, c] = route
  if (service === 'BAL' && a === 'SMS') return envelope(200, true, '166')
  if (service === 'SMS' && (a === 'VERIFY' || a === 'VERIFY3') && b && c) {
    const entry =
      a === 'VERIFY'
        ? sessions.get(b)
        : [...sessions.values()].findLast((s) => s.phone === national(b))
    if (!entry) return envelope(400, false, 'Invalid Session')
    return entry.otp === c
      ? envelope(200, true, 'OTP Matched')
      : envelope(400, false, 'OTP Mismatch')
  }
  if ((service === 'SMS' || service === 'VOICE') && a && b) {
    // VOICE takes exactly 10 digits; SMS also 91 + 10 digits, with or without `+` (§2.2).
    const phone = service === 'VOICE' ? (/^\d{10}$/.test(a) ? a : undefined) : national(a)
    if (!phone) return envelope(400, false, LENGTH)
    const autogen = /^AUTOGEN[23]?$/.test(b)
    if (!autogen && !/^\d{4,10}$/.test(b)) return envelope(400, false, 'Invalid OTP')
    const otp = autogen ? String(randomInt(100000, 1000000)) : b
    const session = randomUUID()
    sessions.set(session, { phone, otp })
    const template = service === 'SMS' ? c : undefined
    const text =
      service === 'VOICE' ? `Your OTP is ${otp.split('').join(' ')}` : `${otp} is your OTP`
    const fields = { service, phone: a, otp: b, ...(template ? { template } : {}) }
    fake.messages.push({
      id: session,
      channel: service === 'VOICE' ? 'voice' : 'sms',
      to: phone,
      text,
      fields,
    })
    return envelope(200, true, session)
  }
  if (service === 'R1') {
    if (form.get('module') !== 'TRANS_SMS') return envelope(400, false, 'Invalid Module')
    const to = form.get('to') ?? ''
    if (!/^\d{10}$/.test(to)) return envelope(400, false, LENGTH)
    const from = form.get('from')
    if (!from) return envelope(400, false, 'Invalid Sender Id')
    const msg = form.get('msg') ?? form.get('templatename')
    if (!msg) return envelope(400, false, 'Message or template required')
    const id = randomUUID()
    fake.messages.push({
      id,
      channel: 'sms',
      to,
      text: msg,
      from,
      fields: Object.fromEntries(form),
    })
    return envelope(200, true, id)
  }
  return envelope(400, false, 'Invalid Service')
}

function national(phone: string): string | undefined {
  return /^(?:\+?91)?(\d{10})$/.exec(phone)?.[1]
}
