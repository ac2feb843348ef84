/**
 * A fake of Clickatell's platform API (providers.md §1.8): `POST /messages` with the raw key in
 * `Authorization` and a JSON body, and `GET /messages/http/send` with `apiKey` in the query.
 * Errors come as `{messages, errorCode, error, errorDescription}`, some with HTTP 200.
 */
import { header, hexId, isObject, parseJsonBody, startFake } from './server.js'
import type { Fake, FailMode, FakeRequest, Reply } from './server.js'

export interface ClickatellOptions {
  apiKey: string
  /** The two-way number of the integration; unset: a one-way integration (no `from`). */
  twoWayNumber?: string
}

export const CLICKATELL_CREDENTIALS = { apiKey: 'clickatell-key-8d2f1a==' }

/** International digits, an optional leading `+` tolerated (§1.2). */
const NUMBER = /^\+?[1-9]\d{6,14}$/

function fail(status: number, errorCode: number, error: string): Reply {
  return { status, body: { messages: [], errorCode, error, errorDescription: error } }
}

export async function startClickatell(
  options: ClickatellOptions = CLICKATELL_CREDENTIALS,
): Promise<Fake> {
  return startFake((req, mode, fake) => handle(req, mode, fake, options))
}

function handle(
  req: FakeRequest,
  mode: FailMode | null,
  fake: Fake,
  options: ClickatellOptions,
): Reply {
  let key: string | undefined
  let input: Record<string, unknown>
  if (req.method === 'POST' && req.path === '/messages') {
    key = header(req, 'authorization')
    if (key !== options.apiKey || mode === 'bad-key') {
      return fail(401, 1, 'Invalid or missing Integration API Key')
    }
    const body = parseJsonBody(req)
    if (!(header(req, 'content-type') ?? '').startsWith('application/json') || !isObject(body)) {
      return fail(400, 21, 'Payload malformed')
    }
    input = body
  } else if (req.method === 'GET' && req.path === '/messages/http/send') {
    key = req.query.get('apiKey') ?? undefined
    if (key !== options.apiKey || mode === 'bad-key') {
      return fail(401, 1, 'Invalid or missing Integration API Key')
    }
    const to = req.query.get('to')
    input = { to: to ? to.split(',') : undefined, content: req.query.get('content') ?? undefined }
    if (req.query.get('from')) input.from = req.query.get('from')
  } else {
    return { status: 404, body: { messages: [], errorCode: 404, error: 'Not found' } }
  }

  switch (mode) {
    case 'invalid-number':
      return fail(400, 25, 'Invalid recipient address')
    case 'opted-out':
      return fail(400, 26, 'Recipient opted out')
    case 'no-balance':
      return fail(402, 20, 'Insufficient account balance')
    case 'server-error':
      return fail(503, 19, 'Internal error, please retry')
    case 'rate-limit':
      // As courier saw it: a bare 429.
      return { status: 429, body: 'Too Many Requests', contentType: 'text/plain' }
    case 'error-in-200':
      // courier's fixture: HTTP 200, no messages, the error in the body.
      return { status: 200, body: { messages: [], error: 'Invalid recipient address' } }
    default:
      break
  }

  const to = input.to
  if (!Array.isArray(to) || to.length === 0 || !to.every((n) => typeof n === 'string')) {
    return fail(400, 23, 'Invalid or missing parameter: to')
  }
  if (to.length > 200) return fail(400, 22, 'Too many messages in one request')
  const content = input.content
  if (typeof content !== 'string' || content === '') {
    return fail(400, 23, 'Invalid or missing parameter: content')
  }
  const from = typeof input.from === 'string' ? input.from : undefined

  const messages = (to as string[]).map((number) => {
    const refuse = (errorCode: number, error: string) => ({
      apiMessageId: null,
      accepted: false,
      to: number,
      errorCode,
      error,
      errorDescription: error,
    })
    if (
      from !== undefined &&
      (!options.twoWayNumber || digits(from) !== digits(options.twoWayNumber))
    ) {
      // nyaruka/courier's fixture: sent with HTTP 200.
      return refuse(45, 'Two-Way integration error - From number is not related to integration')
    }
    if (!NUMBER.test(number)) return refuse(25, 'Invalid recipient address')
    const apiMessageId = hexId()
    fake.messages.push({
      id: apiMessageId,
      channel: 'sms',
      to: number,
      text: content,
      from,
      fields: input,
    })
    return {
      apiMessageId,
      accepted: true,
      to: number,
      errorCode: null,
      error: null,
      errorDescription: null,
    }
  })
  const anyAccepted = messages.some((m) => m.accepted)
  return {
    status: anyAccepted ? 202 : 200,
    body: { messages, errorCode: null, error: null, errorDescription: null },
  }
}

function digits(text: string): string {
  return text.replace(/\D/g, '')
}
