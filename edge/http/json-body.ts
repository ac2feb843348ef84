/**
 * The JSON content-type check, declared in the `middleware` of each route that takes a body
 * (POST, PUT, PATCH, DELETE; provider receipts come in the provider's own format and do not). A
 * request that carries a body of another type gets 415 before authentication or validation; one
 * without a body passes (the route's validation then says what is missing). A test checks that
 * every such route declares it (tests/edge/routes/route-middleware.test.ts).
 */
import type { Env } from 'hono'
import { createMiddleware } from 'hono/factory'
import { ApiError } from './errors.js'

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i

export const jsonBody = createMiddleware<Env>(async (c, next) => {
  const length = c.req.header('content-length')
  const hasBody =
    (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined
  if (hasBody && !JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new ApiError('unsupported_media_type', 'Send the body as application/json.')
  }
  await next()
})
