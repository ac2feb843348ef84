/**
 * Load shedding at the door (edge/app.ts): the routes it never sheds. They never touch the
 * database, or, for /healthz, must report it rather than be shed. The OpenAPI document gives
 * every other operation its 503 (edge/docs/responses.ts).
 */
import type { MiddlewareHandler } from 'hono'
import type { Door } from '../db/door.js'
import { databaseUnavailable } from '../db/errors.js'

export const OPENAPI_PATH = '/v1/openapi.json'

export const NOT_SHED: ReadonlySet<string> = new Set([
  '/healthz',
  '/.well-known/jwks.json',
  OPENAPI_PATH,
])

const busy = () => databaseUnavailable(1, 'The service is busy. Try again shortly.')

/**
 * Past what the database can take, a new request gets a 503 at once (GuardedClient.enter), so
 * those already running can finish; of those let in, a few run at once and the others wait their
 * turn in the door's line (edge/db/door.ts), where one that waits too long gets its 503 before it
 * has done anything.
 */
export function shedAtTheDoor(
  db: { enter(): boolean; leave(): void },
  door: Door,
): MiddlewareHandler {
  return async (c, next) => {
    if (NOT_SHED.has(c.req.path)) return next()
    if (!db.enter()) throw busy()
    try {
      const turn = door.turn()
      if (turn !== true && !(await turn)) throw busy()
      try {
        await next()
      } finally {
        door.done()
      }
    } finally {
      db.leave()
    }
  }
}
