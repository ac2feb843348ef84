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

export const bearer = [{ bearerAuth: [] }]

/**
 * A route's middleware in order (`middleware: use(jsonBody, admin)`): a mutable tuple, which is
 * what @hono/zod-openapi needs to give the handler the `c.var` of each one (`as const` would make
 * it readonly, and an array literal loses the order).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const use = <const M extends MiddlewareHandler<any, any, any>[]>(...m: M): M => m
