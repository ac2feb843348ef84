/**
 * Twilio: Messages for SMS, Calls with inline TwiML `<Say>` for voice (no webhook to host), and
 * the signed status callbacks (providers.md §4).
 */
import { constantTimeEqual } from '../crypto/keys.js'
import type { OutboundMessage, ProviderClient, ReceiptParser, SendContext } from './types.js'
import type { DeliveryStatus, SendResult } from './types.js'
import {
  E164,
  base64,
  clean,
  describe,
  exchange,
  failed,
  isRecord,
  missingCredential,
  originOf,
  rejected,
  retryableStatus,
  sent,
  str,
} from './http.js'
import { voiceScript } from './voice.js'

const ORIGIN = 'https://api.twilio.com'
const REQUIRED = ['accountSid', 'authToken', 'from'] as const
/** Twilio's own codes for "try again later" (too many requests, internal error, unavailable). */
const RETRYABLE_CODES = new Set([20429, 20500, 20503])
const MESSAGING_SERVICE = /^MG[0-9a-f]{32}$/i

export const twilio: ProviderClient = {
  name: 'twilio',
  channels: ['sms', 'voice'],
  origin: ORIGIN,
  credentials: { required: REQUIRED, optional: [] },
  eligible: (to) => E164.test(to),
  send: sendTwilio,
}

async function sendTwilio(msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
  const missing = missingCredential(ctx.credentials, REQUIRED)
  if (missing) return rejected(`twilio: credential ${missing} is not set`)
  const origin = originOf(ctx.baseUrl, ORIGIN)
  if (!origin) return rejected('twilio: invalid baseUrl')
  const { accountSid, authToken, from } = ctx.credentials as Record<
    (typeof REQUIRED)[number],
    string
  >

  const form = new URLSearchParams({ To: msg.to })
  if (msg.channel === 'voice') {
    const script = voiceScript(msg)
    if (!script) return rejected('twilio: nothing to say')
    form.set('From', from)
    form.set('Twiml', twiml(script.text, script.fromMessage ? sayLanguage(msg.locale) : 'en-US'))
  } else {
    form.set(MESSAGING_SERVICE.test(from) ? 'MessagingServiceSid' : 'From', from)
    form.set('Body', msg.text)
  }
  if (ctx.statusCallbackUrl) form.set('StatusCallback', ctx.statusCallbackUrl)

  const resource = msg.channel === 'voice' ? 'Calls' : 'Messages'
  const url = `${origin}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/${resource}.json`
  const auth = base64(new TextEncoder().encode(`${accountSid}:${authToken}`))
  const answer = await exchange(ctx, url, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${auth}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: form.toString(),
  })
  if (!answer.ok) return answer.result

  const body = isRecord(answer.json) ? answer.json : {}
  const sid = str(body.sid)
  const code = typeof body.code === 'number' ? body.code : undefined
  if (answer.status >= 200 && answer.status < 300 && sid && code === undefined) return sent(sid)

  const detail = clean(body.message, msg, ctx)
  const error = describe(
    code === undefined ? `twilio HTTP ${answer.status}` : `twilio ${code}`,
    detail,
  )
  if (retryableStatus(answer.status) || (code !== undefined && RETRYABLE_CODES.has(code))) {
    return failed(error)
  }
  // A 2xx without a sid or an error code is not an answer we understand (a proxy page, say).
  if (answer.status >= 200 && answer.status < 300 && code === undefined) return failed(error)
  // Every other Twilio error is about this request: bad credentials (20003), invalid, unreachable
  // or unsubscribed number (21211, 21612, 21614, 21610), unverified trial number (21608), a bad
  // From (21212, 21606). Sending it again, here or elsewhere, gives the same answer. Twilio has
  // no balance error: an account out of funds is suspended (10001/20003), so it lands here too.
  return rejected(error)
}

export function twiml(text: string, language: string | undefined): string {
  const lang = language ? ` language="${escapeXml(language)}"` : ''
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Say${lang}>${escapeXml(text)}</Say></Response>`
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Twilio's `<Say language>`: `en` → `en-US`; a full tag passes through; unknown → default. */
function sayLanguage(locale: string): string | undefined {
  if (/^[a-z]{2}-[A-Z]{2}$/.test(locale)) return locale
  const regions: Record<string, string> = {
    en: 'en-US',
    fr: 'fr-FR',
    de: 'de-DE',
    es: 'es-ES',
    it: 'it-IT',
    nl: 'nl-NL',
    pt: 'pt-BR',
    ja: 'ja-JP',
    hi: 'hi-IN',
  }
  return regions[locale.slice(0, 2).toLowerCase()]
}

/**
 * `X-Twilio-Signature`: HMAC-SHA1 keyed with the auth token over the full URL followed by each
 * POST parameter, sorted by name, as name + value (repeated names: each value, sorted), base64.
 */
export async function twilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
): Promise<string> {
  const byName = new Map<string, string[]>()
  for (const [name, value] of params) byName.set(name, [...(byName.get(name) ?? []), value])
  let data = url
  for (const name of [...byName.keys()].sort()) {
    for (const value of (byName.get(name) ?? []).sort()) data += name + value
  }
  const enc = new TextEncoder()
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(authToken),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  )
  return base64(new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(data))))
}

/**
 * Checks the header in constant time. Like Twilio's own libraries, the URL is tried as given and
 * with the default port added or removed, since proxies disagree on whether it is part of it.
 */
export async function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
  signature: string | null | undefined,
): Promise<boolean> {
  if (!authToken || !signature) return false
  const list = [...params]
  let ok = false
  for (const candidate of urlVariants(url)) {
    const expected = await twilioSignature(authToken, candidate, list)
    if (constantTimeEqual(expected, signature)) ok = true
  }
  return ok
}

function urlVariants(url: string): string[] {
  try {
    const u = new URL(url)
    // `URL` drops a default port, so a non-empty `port` is a custom one: nothing to vary.
    if (u.port) return [url]
    const auth = u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''
    const port = u.protocol === 'https:' ? '443' : '80'
    const rest = `${u.pathname}${u.search}`
    const bare = `${u.protocol}//${auth}${u.hostname}${rest}`
    const withPort = `${u.protocol}//${auth}${u.hostname}:${port}${rest}`
    return [...new Set([url, bare, withPort])]
  } catch {
    return [url]
  }
}

const MESSAGE_STATUS: Record<string, DeliveryStatus> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
}

const CALL_STATUS: Record<string, DeliveryStatus> = {
  queued: 'queued',
  initiated: 'queued',
  ringing: 'queued',
  'in-progress': 'sent',
  completed: 'delivered',
  busy: 'failed',
  failed: 'failed',
  'no-answer': 'failed',
  canceled: 'failed',
}

/**
 * A message or call status callback (form POST, signed). Unknown statuses map to `queued`, the
 * lowest rank, so that a status Twilio adds later never moves a record backwards.
 */
export const parseTwilioReceipt: ReceiptParser = async (request, ctx) => {
  const params = new URLSearchParams(await request.text())
  const url = ctx.url ?? request.url
  const signature = request.headers.get('X-Twilio-Signature')
  const authToken = ctx.credentials.authToken ?? ''
  if (!(await verifyTwilioSignature(authToken, url, params, signature))) {
    return { ok: false, reason: 'signature' }
  }
  const messageSid = params.get('MessageSid') ?? params.get('SmsSid')
  const callSid = params.get('CallSid')
  const providerStatus = messageSid
    ? (params.get('MessageStatus') ?? params.get('SmsStatus'))
    : params.get('CallStatus')
  const messageId = messageSid ?? callSid
  if (!messageId || !providerStatus) return { ok: false, reason: 'malformed' }
  const table = messageSid ? MESSAGE_STATUS : CALL_STATUS
  const status = table[providerStatus] ?? 'queued'
  const errorCode = params.get('ErrorCode')
  const receipt = { messageId, status, providerStatus }
  if (status === 'failed') {
    return { ok: true, receipt: { ...receipt, error: `twilio ${errorCode || providerStatus}` } }
  }
  return { ok: true, receipt }
}
