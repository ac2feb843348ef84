/**
 * The fetch the Node entry gives the libSQL HTTP client, on node:http(s) with kept-alive
 * connections instead of the global fetch (undici). Over sqld a start makes six round trips, and
 * each cost the instance about 1.1 ms of CPU through fetch (its Request, Headers, web streams and
 * abort signals) against 0.6–0.7 ms here, measured on the same statements in one process.
 *
 * It does what `abortingFetch` (edge/db/limits.ts) does for the other runtimes: the request is
 * abandoned after `ms` (a server that accepts and never answers must not pin a connection) and the
 * answer is asked for uncompressed. Failures look like fetch's, so edge/db/errors.ts tells them
 * apart the same way: a TypeError "fetch failed" whose cause carries the socket's code, or a
 * TimeoutError. The answer is read whole (libSQL answers are small) and offered as the parts of a
 * Response the client reads: ok, status, headers.get, json, text, arrayBuffer, and a body that
 * iterates (its cursors read the body that way).
 *
 * Written here rather than taken from a library: undici's own `request()` would do, but it is
 * not a dependency and Node does not expose the copy it bundles.
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

const agents = {
  http: new HttpAgent({ keepAlive: true }),
  https: new HttpsAgent({ keepAlive: true }),
}

export interface FetchedResponse {
  ok: boolean
  status: number
  headers: { get(name: string): string | null }
  json(): Promise<unknown>
  text(): Promise<string>
  arrayBuffer(): Promise<ArrayBuffer>
  body: AsyncIterable<Uint8Array> & { cancel(): Promise<void> }
}

function answer(res: IncomingMessage, bytes: Buffer): FetchedResponse {
  const status = res.statusCode ?? 0
  const headers: IncomingHttpHeaders = res.headers
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: {
      get(name) {
        const value = headers[name.toLowerCase()]
        if (value === undefined) return null
        return Array.isArray(value) ? value.join(', ') : value
      },
    },
    json: () => Promise.resolve(JSON.parse(bytes.toString('utf8')) as unknown),
    text: () => Promise.resolve(bytes.toString('utf8')),
    arrayBuffer: () =>
      Promise.resolve(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      ),
    body: {
      async *[Symbol.asyncIterator]() {
        yield new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      },
      cancel: () => Promise.resolve(),
    },
  }
}

const failed = (cause: unknown) => new TypeError('fetch failed', { cause })
const timedOut = () => new DOMException('The database did not answer in time.', 'TimeoutError')

/** A fetch on node:http(s) that gives up after `ms` (see above). */
export function nodeFetch(
  ms: number,
): (input: Request | string | URL, init?: RequestInit) => Promise<FetchedResponse> {
  return async (input, init) => {
    const req = input instanceof Request ? input : new Request(input, init)
    const url = new URL(req.url)
    const body =
      req.method === 'GET' || req.method === 'HEAD'
        ? undefined
        : Buffer.from(await req.arrayBuffer())
    const headers: Record<string, string> = {}
    req.headers.forEach((value, key) => {
      headers[key] = value
    })
    headers['accept-encoding'] = 'identity'
    if (body) headers['content-length'] = String(body.byteLength)
    const secure = url.protocol === 'https:'
    return new Promise<FetchedResponse>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined
      let settled = false
      const settle = (fn: () => void) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        fn()
      }
      const outgoing = (secure ? httpsRequest : httpRequest)(
        url,
        { method: req.method, headers, agent: secure ? agents.https : agents.http },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () =>
            settle(() =>
              resolve(answer(res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))),
            ),
          )
          res.on('error', (err) => settle(() => reject(failed(err))))
          // Closed before its end: the answer was cut off.
          res.on('close', () => settle(() => reject(failed(new Error('answer cut off')))))
        },
      )
      timer = setTimeout(() => {
        settle(() => reject(timedOut()))
        outgoing.destroy()
      }, ms)
      outgoing.on('error', (err) => settle(() => reject(failed(err))))
      outgoing.end(body)
    })
  }
}
