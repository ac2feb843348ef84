/**
 * The common part of the provider fakes: a real HTTP server on 127.0.0.1 with an ephemeral port,
 * a record of every request and of every message a user "received", and scripted failures.
 * `close()` destroys every socket (hung requests included), so a test file exits cleanly.
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** The documented ways to fail; each fake answers them the way its provider does. */
export type FailMode =
  | 'bad-key'
  | 'invalid-number'
  | 'opted-out'
  | 'no-balance'
  | 'server-error'
  | 'rate-limit'
  | 'hang'
  | 'error-in-200'

export const FAIL_MODES: readonly FailMode[] = [
  'bad-key',
  'invalid-number',
  'opted-out',
  'no-balance',
  'server-error',
  'rate-limit',
  'hang',
  'error-in-200',
]

export interface FakeRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: string
}

/** A message the fake accepted: what the phone would show, or what the call would say. */
export interface Received {
  id: string
  channel: 'sms' | 'voice'
  /** The destination as the provider got it (its own format). */
  to: string
  text: string
  from?: string
  /** Every field of the request, for assertions on the exact wire format. */
  fields: Record<string, unknown>
}

export interface Reply {
  status: number
  /** An object is sent as JSON; a string as is (with `contentType`). */
  body?: unknown
  contentType?: string
  /** Never answer (until the client gives up or the fake closes). */
  hang?: boolean
}

export interface Fake {
  baseUrl: string
  /** Messages accepted, in order. */
  messages: Received[]
  /** Every request received, accepted or not. */
  requests: FakeRequest[]
  /** Fail the next `times` requests in `mode`, then go back to the standing mode. */
  failNext(mode: FailMode, times?: number): void
  /** Fail every request in `mode` from now on (null: answer normally). */
  setMode(mode: FailMode | null): void
  /** Answer every request this many milliseconds after it arrived (0: at once). */
  setDelay(ms: number): void
  /** The last code a user received (the last run of 4–10 digits, spaced digits joined). */
  lastCode(): string | undefined
  close(): Promise<void>
}

export type Handler = (req: FakeRequest, mode: FailMode | null, fake: Fake) => Reply

export async function startFake(handler: Handler): Promise<Fake> {
  const sockets = new Set<Socket>()
  const hung = new Set<ServerResponse>()
  const queue: FailMode[] = []
  let standing: FailMode | null = null
  let delayMs = 0
  const timers = new Set<NodeJS.Timeout>()

  const fake: Fake = {
    baseUrl: '',
    messages: [],
    requests: [],
    failNext(mode, times = 1) {
      for (let i = 0; i < times; i++) queue.push(mode)
    },
    setMode(mode) {
      standing = mode
    },
    setDelay(ms) {
      delayMs = ms
    },
    lastCode() {
      const text = fake.messages.at(-1)?.text ?? ''
      const joined = text.replace(/(\d)[ ,]+(?=\d)/g, '$1')
      return joined.match(/\d{4,10}/g)?.at(-1)
    },
    close: () => close(),
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      fake.requests.push(request)
      const mode = queue.shift() ?? standing
      let reply: Reply
      try {
        reply = mode === 'hang' ? { status: 0, hang: true } : handler(request, mode, fake)
      } catch (err) {
        reply = { status: 500, body: `fake error: ${String(err)}`, contentType: 'text/plain' }
      }
      if (reply.hang) {
        hung.add(res)
        res.on('close', () => hung.delete(res))
        return
      }
      const isText = typeof reply.body === 'string'
      const payload =
        reply.body === undefined ? '' : isText ? reply.body : JSON.stringify(reply.body)
      const answer = () => {
        if (res.destroyed) return
        res.writeHead(reply.status, {
          'Content-Type':
            reply.contentType ?? (isText ? 'text/plain' : 'application/json; charset=utf-8'),
          'Content-Length': Buffer.byteLength(String(payload)),
        })
        res.end(payload)
      }
      if (delayMs <= 0) return answer()
      const timer = setTimeout(() => {
        timers.delete(timer)
        answer()
      }, delayMs)
      timers.add(timer)
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  fake.baseUrl = `http://127.0.0.1:${port}`

  async function close(): Promise<void> {
    for (const timer of timers) clearTimeout(timer)
    timers.clear()
    for (const res of hung) res.destroy()
    for (const socket of sockets) socket.destroy()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return fake
}

export function hexId(bytes = 16): string {
  return randomBytes(bytes).toString('hex')
}

/** Header value as one string (node gives arrays for repeated headers). */
export function header(req: FakeRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

export function parseJsonBody(req: FakeRequest): unknown {
  try {
    return JSON.parse(req.body) as unknown
  } catch {
    return undefined
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
