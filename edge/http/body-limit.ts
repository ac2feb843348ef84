/**
 * The request body limit (413 `payload_too_large`): hono's bodyLimit, with its own first question
 * (is there a body?) asked in a way that costs nothing. A GET or HEAD has none; a body with a
 * Content-Length and no Transfer-Encoding is judged by that header alone, exactly as bodyLimit
 * judges it; any other (chunked, or a Request made in-process, which carries no Content-Length)
 * goes through bodyLimit, which counts it as it is read.
 *
 * Why not bodyLimit for every request: it reads `c.req.raw.body` first, which makes
 * @hono/node-server build a whole web Request around the socket (a ReadableStream, an
 * AbortController) instead of its lightweight one, whose `json()` reads the body straight off
 * Node's stream. That was about a tenth of a start's CPU (bench/profile.ts: bodyLimit 7 %,
 * newRequestFromIncoming 6 %, and the stream's pulls).
 */
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { ApiError } from './errors.js'

export function limitBody(maxSize: number): MiddlewareHandler {
  const tooLarge = (): never => {
    throw new ApiError('payload_too_large', `The request body is over ${maxSize / 1024} KiB.`)
  }
  const counted = bodyLimit({ maxSize, onError: tooLarge })
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined)
      return counted(c, next)
    if (parseInt(length, 10) > maxSize) tooLarge()
    await next()
  }
}
