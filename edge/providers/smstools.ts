/**
 * Smstools (providers.md §3): `POST /v1/message/send` and `/v1/voice/send`, JSON, credentials in
 * `X-Client-Id` / `X-Client-Secret`. Two hosts are in use, hence `baseUrl` (api.smstools.com).
 */
import type { DeliveryStatus, OutboundMessage, ProviderClient, ReceiptParser } from './types.js'
import type { SendContext, SendResult } from './types.js'
import {
  E164,
  clean,
  describe,
  digitsOf,
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

const ORIGIN = 'https://api.smsgatewayapi.com'
const REQUIRED = ['clientId', 'clientSecret', 'sender'] as const
const VOICE_LANGUAGES = new Set(['en', 'nl', 'fr', 'de'])

/**
 * Error codes (§3.4) worth another provider: 105 "server problems, retry later", and 108 "not
 * enough credits", which is our account at Smstools, not the destination: another provider can
 * deliver it. All others are permanent: 104/116/200/1002 credentials or access, 103/106 invalid
 * number, 131 opted out, 102/109–112/114/118/121 a request this provider will always refuse.
 */
const RETRYABLE_CODES = new Set(['105', '108'])

export const smstools: ProviderClient = {
  name: 'smstools',
  channels: ['sms', 'voice'],
  origin: ORIGIN,
  credentials: { required: REQUIRED, optional: [] },
  eligible: (to) => E164.test(to),
  send: sendSmstools,
}

async function sendSmstools(msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
  const missing = missingCredential(ctx.credentials, REQUIRED)
  if (missing) return rejected(`smstools: credential ${missing} is not set`)
  const origin = originOf(ctx.baseUrl, ORIGIN)
  if (!origin) return rejected('smstools: invalid baseUrl')
  const { clientId = '', clientSecret = '', sender = '' } = ctx.credentials

  // The documented examples send the number as digits with the country code.
  const body: Record<string, unknown> = { to: digitsOf(msg.to), sender }
  if (msg.channel === 'voice') {
    const script = voiceScript(msg)
    if (!script) return rejected('smstools: nothing to say')
    const lang = script.fromMessage ? msg.locale.slice(0, 2).toLowerCase() : 'en'
    body.message = script.text
    body.language = VOICE_LANGUAGES.has(lang) ? lang : 'en'
  } else {
    body.message = msg.text
  }
  const path = msg.channel === 'voice' ? '/v1/voice/send' : '/v1/message/send'

  const answer = await exchange(ctx, `${origin}${path}`, {
    method: 'POST',
    headers: {
      'X-Client-Id': clientId,
      'X-Client-Secret': clientSecret,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: JSON.stringify(body),
  })
  if (!answer.ok) return answer.result

  const json = isRecord(answer.json) ? answer.json : {}
  const ids = Array.isArray(json.messageids) ? json.messageids : []
  const id = str(json.messageid) ?? str(ids[0])
  const code = str(json.error)
  const ok2xx = answer.status >= 200 && answer.status < 300
  if (ok2xx && id && !code) return sent(id)

  if (!code) {
    const text = `smstools HTTP ${answer.status}`
    return ok2xx || retryableStatus(answer.status) ? failed(text) : rejected(text)
  }
  // `error` is a numeric code as a string, or a sentence ("error parsing json").
  const numeric = /^\d+$/.test(code)
  const text = numeric
    ? describe(`smstools ${code}`, clean(json.errorMsg, msg, ctx))
    : describe('smstools', clean(code, msg, ctx))
  return RETRYABLE_CODES.has(code) || retryableStatus(answer.status) ? failed(text) : rejected(text)
}

/** `delivery_report` statuses (smstools.be/en/webhooks); detail codes from 10 up. */
const STATUS: Record<string, DeliveryStatus> = {
  '0': 'sent', // submitted
  '1': 'delivered',
  '2': 'failed', // not delivered
  '3': 'sent', // buffered at the operator
  '4': 'failed', // rejected
  '5': 'failed', // rejected, with detail
  '9': 'sent', // unknown: no more than "it left"
  submitted: 'sent',
  delivered: 'delivered',
  'not delivered': 'failed',
  buffered: 'sent',
  rejected: 'failed',
  unknown: 'sent',
}

/**
 * A `delivery_report` webhook. Its payload is not documented (providers.md §3.5: gap), so this
 * reads the likely names from a JSON body, a form body or the query (GET webhooks), also inside a
 * `data` wrapper: `messageid`, `status` (0–9 or its name) and an optional `detail`. Smstools does
 * not sign webhooks; protect the route with a secret URL if needed.
 */
export const parseSmstoolsReceipt: ReceiptParser = async (request) => {
  const fields = await readFields(request)
  const r = isRecord(fields.data) ? fields.data : fields
  const messageId = str(r.messageid) ?? str(r.messageId) ?? str(r.message_id)
  const raw = str(r.status) ?? str(r.status_code) ?? str(r.statusCode)
  if (!messageId || raw === undefined) return { ok: false, reason: 'malformed' }
  const providerStatus = raw.toLowerCase().replace(/_/g, ' ').slice(0, 64)
  const status = STATUS[providerStatus]
  if (!status) return { ok: false, reason: 'malformed' }
  const receipt = { messageId, status, providerStatus }
  if (status !== 'failed') return { ok: true, receipt }
  const detail = str(r.detail) ?? str(r.status_detail) ?? str(r.detail_code)
  const error = `smstools status ${providerStatus}${detail ? ` detail ${detail.slice(0, 32)}` : ''}`
  return { ok: true, receipt: { ...receipt, error } }
}

async function readFields(request: Request): Promise<Record<string, unknown>> {
  const query = Object.fromEntries(new URL(request.url).searchParams)
  if (request.method === 'GET' || request.method === 'HEAD') return query
  const text = await request.text()
  const type = request.headers.get('content-type') ?? ''
  if (type.includes('json') || /^\s*[{[]/.test(text)) {
    try {
      const json = JSON.parse(text) as unknown
      return isRecord(json) ? json : {}
    } catch {
      return {}
    }
  }
  return { ...query, ...Object.fromEntries(new URLSearchParams(text)) }
}
