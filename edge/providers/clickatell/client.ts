/**
 * Clickatell platform "SMS REST" client (docs/providers.md): `POST /messages`, the raw API key in
 * `Authorization`, JSON in and out. Errors may come inside a 200, so the body decides. No voice.
 */
import { E164, clean, describe, digitsOf, exchange, failure, isRecord } from '../http.js'
import { httpClient, type HttpCall, sent, str } from '../http.js'
import { credentialKeys } from '../fields.js'
import type { ProviderClient } from '../types.js'
import { credentials } from './credentials.js'
import { classify } from './errors.js'

const ORIGIN = 'https://platform.clickatell.com'
const KEYS = credentialKeys(credentials)

export const clickatell: ProviderClient = httpClient({
  name: 'clickatell',
  channels: ['sms'],
  origin: ORIGIN,
  credentials: KEYS,
  eligible: (to, channel) => channel === 'sms' && E164.test(to),
  call: sendClickatell,
})

async function sendClickatell(...[msg, ctx, origin]: Parameters<HttpCall>): ReturnType<HttpCall> {
  if (msg.channel !== 'sms') return failure('unsupported', 'clickatell: no voice channel')

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

  // A 2xx without an id is not an answer we understand: nothing says the message went out.
  if (!error)
    return failure(classify({ status: answer.status }), `clickatell HTTP ${answer.status}`)
  const text = describe(
    error.code === undefined ? 'clickatell' : `clickatell ${error.code}`,
    clean(error.text, msg, ctx),
  )
  const reason = classify({ status: answer.status, code: error.code?.toString(), text: error.text })
  return failure(reason, text)
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
