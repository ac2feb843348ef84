/**
 * Twilio's client: Messages for SMS, Calls with inline TwiML `<Say>` for voice (no webhook to
 * host), each with the `StatusCallback` its receipts come back to (docs/providers.md).
 */
import { base64, clean, describe, exchange, failure, isRecord } from '../http.js'
import { httpClient, type HttpCall, sent, str } from '../http.js'
import { credentialKeys } from '../fields.js'
import type { ProviderClient } from '../types.js'
import { voiceScript } from '../voice.js'
import { credentials } from './credentials.js'
import { classify } from './errors.js'

const ORIGIN = 'https://api.twilio.com'
const KEYS = credentialKeys(credentials)
const MESSAGING_SERVICE = /^MG[0-9a-f]{32}$/i

export const twilio: ProviderClient = httpClient({
  name: 'twilio',
  channels: ['sms', 'voice'],
  origin: ORIGIN,
  credentials: KEYS,
  call: sendTwilio,
})

async function sendTwilio(...[msg, ctx, origin]: Parameters<HttpCall>): ReturnType<HttpCall> {
  const { accountSid = '', authToken = '', from = '' } = ctx.credentials

  const form = new URLSearchParams({ To: msg.to })
  if (msg.channel === 'voice') {
    const script = voiceScript(msg)
    if (!script) return failure('unsupported', 'twilio: nothing to say')
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
  return failure(classify({ status: answer.status, code: code?.toString(), text: detail }), error)
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
