/**
 * Clickatell's platform REST status callback (docs/providers.md): JSON, configured in the portal,
 * unsigned, so its URL carries our token (messages/webhook-token.ts).
 */
import { constantTimeEqual } from '../../crypto/keys.js'
import { asE164, isRecord, str } from '../http.js'
import type { DeliveryStatus, ReceiptDestination, ReceiptParser } from '../types.js'

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

/** The callback's `to` (international digits), to match a receipt to a send never answered. */
export const clickatellDestination: ReceiptDestination = async (request) => {
  try {
    const body = JSON.parse(await request.text()) as unknown
    return isRecord(body) ? asE164(str(body.to)) : undefined
  } catch {
    return undefined
  }
}
