/**
 * A fake of Smstools (providers.md §3.7): `POST /v1/message/send` and `/v1/voice/send`, JSON,
 * `X-Client-Id` / `X-Client-Secret`, errors as 4xx `{"error":"<code>","errorMsg":…}`.
 */
import { header, hexId, isObject, parseJsonBody, startFake } from './server.js'
import type { Fake, FailMode, FakeRequest, Reply } from './server.js'

export const SMSTOOLS_CREDENTIALS = {
  clientId: '436621713682841522298',
  clientSecret: 'smstools-s3cr3t-value',
  sender: 'MyBrand',
}

const NUMBER = /^\+?[1-9]\d{7,14}$/

function error(status: number, code: string, errorMsg: string): Reply {
  return { status, body: { error: code, errorMsg } }
}

export async function startSmstools(credentials = SMSTOOLS_CREDENTIALS): Promise<Fake> {
  return startFake((req, mode, fake) => handle(req, mode, fake, credentials))
}

function handle(
  req: FakeRequest,
  mode: FailMode | null,
  fake: Fake,
  credentials: typeof SMSTOOLS_CREDENTIALS,
): Reply {
  const channel =
    req.path === '/v1/message/send' ? 'sms' : req.path === '/v1/voice/send' ? 'voice' : null
  if (!channel || req.method !== 'POST') return { status: 404, body: { error: 'not found' } }
  const id = header(req, 'x-client-id')
  const secret = header(req, 'x-client-secret')
  if (id !== credentials.clientId || secret !== credentials.clientSecret || mode === 'bad-key') {
    return error(400, '104', 'Invalid credentials')
  }
  const body = parseJsonBody(req)
  if (!(header(req, 'content-type') ?? '').startsWith('application/json') || body === undefined) {
    return { status: 400, body: { error: 'error parsing json' } }
  }
  if (!isObject(body) || Object.keys(body).length === 0) return error(400, '114', 'Empty request')

  switch (mode) {
    case 'invalid-number':
      return error(400, '103', 'Phone number missing or invalid')
    case 'opted-out':
      return error(400, '131', 'Number is on the opt-out list')
    case 'no-balance':
      return error(400, '108', 'Not enough credits')
    case 'server-error':
      return error(500, '105', 'Server problems, please try again later')
    case 'rate-limit':
      return { status: 429, body: 'Too Many Requests', contentType: 'text/plain' }
    case 'error-in-200':
      return error(200, '106', 'Destination missing or invalid')
    default:
      break
  }

  const message = body.message
  if (typeof message !== 'string' || message === '') return error(400, '102', 'No message')
  const sender = body.sender
  if (typeof sender !== 'string' || sender === '') return error(400, '109', 'Sender is empty')
  if (/^\d+$/.test(sender)) return error(400, '110', 'A numeric sender must start with +')
  if (!/^(?:[A-Za-z0-9 ]{1,11}|\+\d{1,14})$/.test(sender))
    return error(400, '111', 'Invalid sender')
  const to = body.to
  const list = typeof to === 'string' ? [to] : Array.isArray(to) ? to : []
  if (list.length === 0 || !list.every((n) => typeof n === 'string' && NUMBER.test(n))) {
    return error(400, '106', 'Destination missing or invalid')
  }

  const ids = (list as string[]).map((number) => {
    const messageid = hexId(15).slice(0, 30)
    // `test: true` checks everything and sends nothing (§3.2).
    if (body.test !== true) {
      fake.messages.push({
        id: messageid,
        channel,
        to: number,
        text: message,
        from: sender,
        fields: body,
      })
    }
    return messageid
  })
  return { status: 200, body: Array.isArray(to) ? { messageids: ids } : { messageid: ids[0] } }
}
