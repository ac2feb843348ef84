/**
 * A fake of Twilio's 2010 REST API (providers.md §4): `Messages.json` and `Calls.json` under
 * `/2010-04-01/Accounts/{sid}/`, HTTP Basic auth, form bodies, JSON errors `{code, message,
 * more_info, status}`. Calls keep the text of their `<Say>`. Signed callbacks are built with
 * node:crypto, independently of the client's Web Crypto code.
 */
import { createHmac } from 'node:crypto'
import { header, hexId, startFake } from './server.js'
import type { Fake, FailMode, FakeRequest, Reply } from './server.js'

export const TWILIO_CREDENTIALS = {
  accountSid: 'AC0123456789abcdef0123456789abcdef',
  authToken: 'twilio-auth-token-5f1c2e',
  from: '+15017122661',
}

export interface TwilioFake extends Fake {
  /** A status callback for a message or call this fake accepted, signed as Twilio does. */
  callback(sid: string, status: string, extra?: Record<string, string>): Request
}

const E164 = /^\+[1-9]\d{6,14}$/
const ACCOUNT_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)(\.json)?$/

export async function startTwilio(credentials = TWILIO_CREDENTIALS): Promise<TwilioFake> {
  const callbacks = new Map<string, { url: string; kind: 'Messages' | 'Calls'; to: string }>()
  const fake = await startFake((req, mode, self) => handle(req, mode, self, credentials, callbacks))
  return Object.assign(fake, {
    callback(sid: string, status: string, extra: Record<string, string> = {}): Request {
      const known = callbacks.get(sid)
      if (!known) throw new Error(`no StatusCallback recorded for ${sid}`)
      const params: Record<string, string> =
        known.kind === 'Messages'
          ? { MessageSid: sid, MessageStatus: status, SmsSid: sid, SmsStatus: status }
          : { CallSid: sid, CallStatus: status, Direction: 'outbound-api' }
      Object.assign(params, {
        AccountSid: credentials.accountSid,
        From: credentials.from,
        To: known.to,
        ApiVersion: '2010-04-01',
        ...extra,
      })
      const body = new URLSearchParams(params)
      return new Request(known.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-Twilio-Signature': signTwilio(credentials.authToken, known.url, params),
        },
        body: body.toString(),
      })
    },
  })
}

/** Twilio's algorithm with node:crypto: URL + sorted name/value pairs, HMAC-SHA1, base64. */
export function signTwilio(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url)
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64')
}

function error(status: number, code: number, message: string): Reply {
  const more_info = `https://www.twilio.com/docs/errors/${code}`
  return { status, body: { code, message, more_info, status } }
}

function handle(
  req: FakeRequest,
  mode: FailMode | null,
  fake: Fake,
  credentials: typeof TWILIO_CREDENTIALS,
  callbacks: Map<string, { url: string; kind: 'Messages' | 'Calls'; to: string }>,
): Reply {
  const match = ACCOUNT_PATH.exec(req.path)
  if (!match || req.method !== 'POST')
    return error(404, 20404, 'The requested resource was not found')
  const [, sid, kind, json] = match as unknown as [string, string, 'Messages' | 'Calls', string?]
  if (!json) {
    // Without `.json` the 2010 API answers in XML (§4.1).
    const xml = '<TwilioResponse><RestException><Code>20404</Code></RestException></TwilioResponse>'
    return { status: 404, body: xml, contentType: 'application/xml' }
  }

  const expected = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`
  if (
    header(req, 'authorization') !== expected ||
    sid !== credentials.accountSid ||
    mode === 'bad-key'
  ) {
    return error(401, 20003, 'Authenticate')
  }
  const type = header(req, 'content-type') ?? ''
  const form = type.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(req.body)
    : new URLSearchParams()
  const to = form.get('To')
  const from = form.get('From')

  switch (mode) {
    case 'invalid-number':
      return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`)
    case 'opted-out':
      return error(400, 21610, 'Attempt to send to unsubscribed recipient')
    case 'no-balance':
      // Twilio documents no balance error: an account out of funds is suspended (§4.1, L).
      return error(401, 10001, 'Account is not active')
    case 'server-error':
      return error(500, 20500, 'Internal Server Error')
    case 'rate-limit':
      return error(429, 20429, 'Too Many Requests')
    case 'error-in-200':
      // Twilio itself does not do this; the rule for every fake asks for it (providers.md).
      return {
        status: 200,
        body: { code: 21614, message: `'To' number ${to} is not a mobile number`, status: 400 },
      }
    default:
      break
  }

  if (!to) return error(400, 21604, "A 'To' phone number is required.")
  if (!E164.test(to)) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`)
  const service = form.get('MessagingServiceSid')
  if (!from && !(kind === 'Messages' && service))
    return error(400, 21603, "A 'From' phone number is required.")

  const statusCallback = form.get('StatusCallback')
  const fields = Object.fromEntries(form)
  if (kind === 'Messages') {
    const body = form.get('Body')
    if (!body) return error(400, 21602, 'Message body is required.')
    const id = `SM${hexId()}`
    fake.messages.push({ id, channel: 'sms', to, text: body, from: from ?? service ?? '', fields })
    if (statusCallback) callbacks.set(id, { url: statusCallback, kind, to })
    return {
      status: 201,
      body: resource(id, credentials.accountSid, to, from, 'Messages', { body }),
    }
  }

  const twiml = form.get('Twiml')
  if (!twiml && !form.get('Url') && !form.get('ApplicationSid')) {
    return error(400, 21205, 'Url parameter is required.')
  }
  const said = [...(twiml ?? '').matchAll(/<Say\b[^>]*>([\s\S]*?)<\/Say>/g)].map((m) =>
    unescapeXml(m[1] ?? ''),
  )
  const id = `CA${hexId()}`
  fake.messages.push({ id, channel: 'voice', to, text: said.join(' '), from: from ?? '', fields })
  if (statusCallback) callbacks.set(id, { url: statusCallback, kind, to })
  return { status: 201, body: resource(id, credentials.accountSid, to, from, 'Calls', {}) }
}

function resource(
  sid: string,
  accountSid: string,
  to: string,
  from: string | null,
  kind: 'Messages' | 'Calls',
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const now = new Date().toUTCString().replace('GMT', '+0000')
  return {
    sid,
    account_sid: accountSid,
    to,
    from,
    status: 'queued',
    direction: 'outbound-api',
    api_version: '2010-04-01',
    date_created: now,
    date_updated: now,
    ...(kind === 'Messages'
      ? { num_segments: '1', num_media: '0', error_code: null, error_message: null, price: null }
      : { start_time: null, duration: null, price: null }),
    uri: `/2010-04-01/Accounts/${accountSid}/${kind}/${sid}.json`,
    ...extra,
  }
}

function unescapeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}
