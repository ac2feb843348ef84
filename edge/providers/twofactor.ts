/**
 * 2Factor.in (providers.md §2): Indian numbers only. Codes go out as OTP SMS with our own code
 * and the configured template, or as a voice OTP; notices as transactional SMS (R1, sender id).
 * The API key sits in the URL path, so no URL is ever echoed. Every answer is the envelope
 * `{"Status":"Success"|"Error","Details":…}`, with HTTP 200 or 400 either way: the body decides.
 */
import type { OutboundMessage, ProviderClient, SendContext, SendResult } from './types.js'
import {
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

const ORIGIN = 'https://2factor.in'
const REQUIRED = ['apiKey'] as const
/** +91 and the 10-digit national number, which is what every endpoint takes (§2.2). */
const INDIA = /^\+91(\d{10})$/

export const twofactor: ProviderClient = {
  name: 'twofactor',
  channels: ['sms', 'voice'],
  origin: ORIGIN,
  credentials: { required: REQUIRED, optional: ['senderId', 'templateName'] },
  eligible: (to) => INDIA.test(to),
  send: sendTwoFactor,
}

async function sendTwoFactor(msg: OutboundMessage, ctx: SendContext): Promise<SendResult> {
  const national = INDIA.exec(msg.to)?.[1]
  if (!national) return rejected('twofactor: Indian numbers only')
  const missing = missingCredential(ctx.credentials, REQUIRED)
  if (missing) return rejected(`twofactor: credential ${missing} is not set`)
  const origin = originOf(ctx.baseUrl, ORIGIN)
  if (!origin) return rejected('twofactor: invalid baseUrl')
  const { apiKey = '', senderId, templateName } = ctx.credentials
  const v1 = `${origin}/API/V1/${encodeURIComponent(apiKey)}`

  let url: string
  let init: RequestInit = { method: 'GET', headers: { Accept: 'application/json' } }
  if (msg.channel === 'voice' || msg.kind === 'code') {
    if (!msg.code || !/^\d+$/.test(msg.code)) return rejected('twofactor: a code is required')
    const service = msg.channel === 'voice' ? 'VOICE' : 'SMS'
    url = `${v1}/${service}/${national}/${msg.code}`
    if (service === 'SMS' && templateName) url += `/${encodeURIComponent(templateName)}`
  } else {
    // A notice has no OTP: transactional SMS needs a DLT sender id. Without one this provider
    // cannot carry it, which is no fault of the destination: let the next provider try.
    if (!senderId) return failed('twofactor: notices need a senderId')
    url = `${origin}/API/R1/`
    const form = new URLSearchParams({
      module: 'TRANS_SMS',
      apikey: apiKey,
      to: national,
      from: senderId,
      msg: msg.text,
    })
    init = {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    }
  }

  const answer = await exchange(ctx, url, init)
  if (!answer.ok) return answer.result
  const body = isRecord(answer.json) ? answer.json : {}
  const status = str(body.Status)
  const details = str(body.Details) ?? ''
  if (status === 'Success' && details) return sent(details)

  if (status !== 'Error') {
    const text = `twofactor HTTP ${answer.status}`
    const ok2xx = answer.status >= 200 && answer.status < 300
    return ok2xx || retryableStatus(answer.status) ? failed(text) : rejected(text)
  }
  const text = describe('twofactor', clean(details, msg, ctx))
  return retryable(details, answer.status) ? failed(text) : rejected(text)
}

/**
 * Only texts are documented (§2.6). "Invalid API Key" and "Invalid Phone Number…" are permanent.
 * Balance, credit or quota errors are retryable: the account at 2Factor.in is empty, not the
 * destination wrong, so another provider can still deliver. Rate limits and 5xx/429 likewise.
 * Anything else (DLT or template mismatch, …) is a refusal of this request: permanent.
 */
function retryable(details: string, status: number): boolean {
  if (/api key|phone number|mobile number/i.test(details)) return false
  if (/balance|credit|quota|insufficient|limit|too many|throttl/i.test(details)) return true
  return retryableStatus(status)
}
