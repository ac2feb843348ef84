/**
 * 2Factor.in client (docs/providers.md): Indian numbers only. Codes go out as OTP SMS with our own
 * code and the configured template, or as a voice OTP; notices as transactional SMS (R1, sender
 * id). The API key sits in the URL path, so no URL is ever echoed. Every answer is the envelope
 * `{"Status":"Success"|"Error","Details":…}`, with HTTP 200 or 400 either way: the body decides.
 */
import { clean, describe, exchange, failure, isRecord, httpClient, type HttpCall } from '../http.js'
import { sent, str } from '../http.js'
import { credentialKeys } from '../fields.js'
import type { ProviderClient } from '../types.js'
import { credentials } from './credentials.js'
import { classify } from './errors.js'

const ORIGIN = 'https://2factor.in'
const KEYS = credentialKeys(credentials)
/** +91 and the 10-digit national number, which is what every endpoint takes (§2.2). */
const INDIA = /^\+91(\d{10})$/

export const twofactor: ProviderClient = httpClient({
  name: 'twofactor',
  channels: ['sms', 'voice'],
  origin: ORIGIN,
  credentials: KEYS,
  eligible: (to) => INDIA.test(to),
  call: sendTwoFactor,
})

async function sendTwoFactor(...[msg, ctx, origin]: Parameters<HttpCall>): ReturnType<HttpCall> {
  const national = INDIA.exec(msg.to)?.[1]
  if (!national) return failure('unsupported', 'twofactor: Indian numbers only')
  const { apiKey = '', senderId, templateName } = ctx.credentials
  const v1 = `${origin}/API/V1/${encodeURIComponent(apiKey)}`

  let url: string
  let init: RequestInit = { method: 'GET', headers: { Accept: 'application/json' } }
  if (msg.channel === 'voice' || msg.kind === 'code') {
    if (!msg.code || !/^\d+$/.test(msg.code))
      return failure('unsupported', 'twofactor: a code is required')
    const service = msg.channel === 'voice' ? 'VOICE' : 'SMS'
    url = `${v1}/${service}/${national}/${msg.code}`
    if (service === 'SMS' && templateName) url += `/${encodeURIComponent(templateName)}`
  } else {
    // A notice has no OTP: transactional SMS needs a DLT sender id. Without one this provider
    // cannot carry it, which is no fault of the destination: let the next provider try.
    if (!senderId) return failure('cannot_carry', 'twofactor: notices need a senderId')
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
    return failure(classify({ status: answer.status }), `twofactor HTTP ${answer.status}`)
  }
  return failure(
    classify({ status: answer.status, text: details }),
    describe('twofactor', clean(details, msg, ctx)),
  )
}
