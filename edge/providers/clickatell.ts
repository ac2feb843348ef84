/**
 * Clickatell platform "SMS REST" integration (providers.md §1): `POST /messages`, the raw API key
 * in `Authorization`, JSON in and out. Errors may come inside a 200, so the body decides. No voice.
 */
import { constantTimeEqual } from '../crypto/keys.js'
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

const ORIGIN = 'https://platform.clickatell.com'
const REQUIRED = ['apiKey'] as const

/**
 * Codes worth another provider (§1.5): 18/19 internal error, 43 rate limit, and 20 insufficient
 * balance. The balance is our account at Clickatell, not the destination: another provider can
 * deliver the same message, and a top-up fixes it without touching the configuration.
 * Every other code is about the request or the integration (1 bad key, 2/3 inactive, 7 IP not
 * approved, 21–24 bad payload, 25 invalid recipient, 26 opted out, 44/45 bad `from`, 100–111)
 * and gives the same answer on every try.
 */
const RETRYABLE_CODES = new Set([18, 19, 20, 43])

export const clickatell: ProviderClient = {
  name: 'clickatell',
  channels: ['sms'],
  origin: ORIGIN,
  credentials: { required: REQUIRED, optional: ['twoWayNumber'] },
  eligible: (to, channel) => channel === 'sms' && E164.test(to),
  send: sendClickatell,
}

async function sendClickatell(msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
  if (msg.channel !== 'sms') return rejected('clickatell: no voice channel')
  const missing = missingCredential(ctx.credentials, REQUIRED)
  if (missing) return rejected(`clickatell: credential ${missing} is not set`)
  const origin = originOf(ctx.baseUrl, ORIGIN)
  if (!origin) return rejected('clickatell: invalid baseUrl')

  // Digits only, the documented format; `from` only from a two-way integration (§1.1), where
  // anything else is refused with error 45.
  const body: Record<string, unknown> = { content: msg.text, to: [digitsOf(msg.to)] }
  const twoWay = ctx.credentials.twoWayNumber
  if (twoWay) body.from = digitsOf(twoWay)

  const answer = await exchange(ctx, `${origin}/messages`, {
    method: 'POST',
    headers: {
      Authorization: ctx.credentials.apiKey ?? '',
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: JSON.stringify(body),
  })
  if (!answer.ok) return answer.result

  const json = isRecord(answer.json) ? answer.json : {}
  const first = Array.isArray(json.messages) && isRecord(json.messages[0]) ? json.messages[0] : {}
  const error = errorOf(json) ?? errorOf(first)
  const id = str(first.apiMessageId)
  const ok2xx = answer.status >= 200 && answer.status < 300
  if (ok2xx && !error && id && first.accepted !== false) return sent(id)

  if (!error) {
    const text = `clickatell HTTP ${answer.status}`
    // A 2xx without an id is not an answer we understand: nothing says the message went out.
    return ok2xx || retryableStatus(answer.status) ? failed(text) : rejected(text)
  }
  const text = describe(
    error.code === undefined ? 'clickatell' : `clickatell ${error.code}`,
    clean(error.text, msg, ctx),
  )
  const retryable =
    (error.code !== undefined && RETRYABLE_CODES.has(error.code)) ||
    (error.code === undefined && /balance|credit|rate limit|too many|throttl/i.test(error.text)) ||
    retryableStatus(answer.status)
  return retryable ? failed(text) : rejected(text)
}

/** The REST fields `errorCode`/`error`/`errorDescription`, or One API's `error: {code, description}`. */
function errorOf(r: Record<string, unknown>): { code?: number; text: string } | undefined {
  if (isRecord(r.error)) {
    const code = Number(r.error.code)
    return { code: Number.isFinite(code) ? code : undefined, text: str(r.error.description) ?? '' }
  }
  const raw = str(r.errorCode)
  const text = str(r.errorDescription) ?? str(r.error)
  if (raw === undefined && text === undefined) return undefined
  const code = Number(raw)
  return { code: raw !== undefined && Number.isFinite(code) ? code : undefined, text: text ?? '' }
}

/** Platform status callback `statusCode` (§1.6). Unknown codes rank lowest. */
const STATUS: Record<number, DeliveryStatus> = {
  1: 'failed', // unknown or bad message id
  2: 'queued',
  3: 'sent', // delivered to gateway
  4: 'delivered', // received by recipient
  5: 'failed',
  6: 'failed',
  7: 'failed',
  8: 'sent', // received by gateway
  9: 'failed',
  10: 'failed',
  11: 'queued',
  12: 'failed', // out of credit
  14: 'failed',
}

/**
 * The platform REST status callback (JSON, configured in the portal, unsigned). When the body
 * carries `apiKey` (as the official PHP library expects), it must be this integration's key.
 */
export const parseClickatellReceipt: ReceiptParser = async (request, ctx) => {
  let body: unknown
  try {
    body = JSON.parse(await request.text()) as unknown
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  if (!isRecord(body)) return { ok: false, reason: 'malformed' }
  const key = ctx.credentials.apiKey
  if (typeof body.apiKey === 'string' && key && !constantTimeEqual(body.apiKey, key)) {
    return { ok: false, reason: 'signature' }
  }
  const messageId = str(body.messageId) ?? str(body.apiMessageId)
  const code = Number(body.statusCode)
  if (!messageId || !Number.isInteger(code)) return { ok: false, reason: 'malformed' }
  const status = STATUS[code] ?? 'queued'
  const providerStatus = (str(body.status) ?? String(code)).slice(0, 64)
  const receipt = { messageId, status, providerStatus }
  if (status !== 'failed') return { ok: true, receipt }
  return { ok: true, receipt: { ...receipt, error: `clickatell status ${code} ${providerStatus}` } }
}
