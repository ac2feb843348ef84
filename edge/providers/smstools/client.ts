/**
 * Smstools client (docs/providers.md): `POST /v1/message/send` and `/v1/voice/send`, JSON,
 * credentials in `X-Client-Id` / `X-Client-Secret`. Two hosts are in use, hence `baseUrl`
 * (api.smstools.com).
 */
import { clean, describe, digitsOf, exchange, failure, isRecord } from '../http.js'
import { httpClient, type HttpCall, sent, str } from '../http.js'
import { credentialKeys } from '../fields.js'
import type { ProviderClient } from '../types.js'
import { voiceScript } from '../voice.js'
import { credentials } from './credentials.js'
import { classify } from './errors.js'

const ORIGIN = 'https://api.smsgatewayapi.com'
const KEYS = credentialKeys(credentials)
const VOICE_LANGUAGES = new Set(['en', 'nl', 'fr', 'de'])

export const smstools: ProviderClient = httpClient({
  name: 'smstools',
  channels: ['sms', 'voice'],
  origin: ORIGIN,
  credentials: KEYS,
  call: sendSmstools,
})

async function sendSmstools(...[msg, ctx, origin]: Parameters<HttpCall>): ReturnType<HttpCall> {
  const { clientId = '', clientSecret = '', sender = '' } = ctx.credentials

  // The documented examples send the number as digits with the country code.
  const body: Record<string, unknown> = { to: digitsOf(msg.to), sender }
  if (msg.channel === 'voice') {
    const script = voiceScript(msg)
    if (!script) return failure('unsupported', 'smstools: nothing to say')
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

  if (!code) return failure(classify({ status: answer.status }), `smstools HTTP ${answer.status}`)
  // `error` is a numeric code as a string, or a sentence ("error parsing json").
  const numeric = /^\d+$/.test(code)
  const text = numeric
    ? describe(`smstools ${code}`, clean(json.errorMsg, msg, ctx))
    : describe('smstools', clean(code, msg, ctx))
  return failure(classify({ status: answer.status, code, text: str(json.errorMsg) }), text)
}
