/** The OpenAPI app factory: request validation failures become `invalid_request` problems. */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { ApiError } from './errors.js'
import { ProblemSchema } from '../../shared/schemas.js'

export function router(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = result.error.issues.map((i) => ({
          path: i.path.map(String).join('.') || '(body)',
          message: i.message,
        }))
        throw new ApiError('invalid_request', 'Some fields are missing or not valid.', { errors })
      }
    },
  })
}

export const json = <T>(schema: T, description = '') => ({
  content: { 'application/json': { schema } },
  description,
})

export const body = <T>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
})

const problem = (description: string) => ({
  content: { 'application/problem+json': { schema: ProblemSchema } },
  description,
})

/** The error responses a route documents, by status. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, problem(`Error (${s})`)]))
}

/**
 * What a route declares as `security` (the schemes are edge/docs/openapi-document.ts). A route
 * that declares none is public: the document says `security: []`.
 */
type Security = Record<string, string[]>[]
export const bearer: Security = [{ bearerAuth: [] }]
/** The site owner's routes: the admin token (SMS_AUTH_ADMIN_TOKEN). */
export const adminToken: Security = [{ adminToken: [] }]
/** /metrics: a scraper's own token (SMS_AUTH_METRICS_TOKEN) or the admin token. */
export const metricsOrAdminToken: Security = [{ metricsToken: [] }, { adminToken: [] }]
/** Anonymous, or with the user's access token for the purposes that need one (see the route). */
export const optionalBearer: Security = [{}, { bearerAuth: [] }]

/**
 * A route's middleware in order (`middleware: use(jsonBody, admin)`): a mutable tuple, which is
 * what @hono/zod-openapi needs to give the handler the `c.var` of each one (`as const` would make
 * it readonly, and an array literal loses the order).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const use = <const M extends MiddlewareHandler<any, any, any>[]>(...m: M): M => m
