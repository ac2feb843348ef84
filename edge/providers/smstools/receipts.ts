/**
 * Smstools' `delivery_report` webhook (docs/providers.md): unsigned, so its URL carries our token
 * (messages/webhook-token.ts). It names no destination we could read.
 */
import { isRecord, str } from '../http.js'
import type { DeliveryStatus, ReceiptParser } from '../types.js'

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
 * A `delivery_report` webhook. Its payload is not documented (docs/providers.md: gap), so this
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
