/**
 * Twilio's message and call status callbacks (docs/providers.md): form POSTs, signed with the auth
 * token, sent to the `StatusCallback` URL the client passes with every message.
 */
import { asE164 } from '../http.js'
import type { DeliveryStatus, ReceiptDestination, ReceiptParser } from '../types.js'
import { verifyTwilioSignature } from './signature.js'

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

/** The callback's `To` (E.164), to match a receipt to a send whose answer never came. */
export const twilioDestination: ReceiptDestination = async (request) =>
  asE164(new URLSearchParams(await request.text()).get('To') ?? '')
