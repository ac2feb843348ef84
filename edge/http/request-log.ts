/**
 * One log line per API request: method, route pattern (never the path, which may hold ids or a
 * receipt token), status, duration and a request id, which is also answered as `x-request-id` so
 * an operator can match a user's report to the line. A caller's own id is kept if it is sane.
 */
import type { MiddlewareHandler } from 'hono'
import { newId } from '../crypto/random.js'

const SANE_ID = /^[A-Za-z0-9._:-]{8,64}$/

export function requestLog(
  log: (event: string, fields?: Record<string, unknown>) => void,
): MiddlewareHandler {
  return async function requestLog(c, next) {
    const started = performance.now()
    const given = c.req.header('x-request-id')
    const id = given && SANE_ID.test(given) ? given : newId('req')
    await next()
    c.res.headers.set('x-request-id', id)
    log('request', {
      id,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    })
  }
}
