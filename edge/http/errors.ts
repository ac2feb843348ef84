/** One `ApiError(code)` thrown anywhere; `problemResponse` turns it into RFC 9457 problem+json. */
import { ERRORS, type ErrorCode, type Problem } from '../../shared/errors.js'

/** What a problem may carry besides its code, title and detail (shared/errors.ts, ProblemSchema). */
export type ProblemExtras = Pick<
  Problem,
  'attemptsLeft' | 'retryAfter' | 'errors' | 'methods' | 'channels'
>

export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extras: ProblemExtras = {},
  ) {
    super(detail ?? ERRORS[code].title)
  }
  get status(): number {
    return ERRORS[this.code].status
  }
}

/** A 429 that carries `retryAfter` (whole seconds, at least 1). */
export function rateLimited(
  retryAfterMs: number,
  detail?: string,
  code: ErrorCode = 'rate_limited',
) {
  return new ApiError(code, detail, { retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) })
}

export function problemBody(err: ApiError): Problem {
  const { status, title } = ERRORS[err.code]
  const body: Problem = {
    type: `https://sms-auth.dev/problems/${err.code.replace(/_/g, '-')}`,
    title,
    status,
    code: err.code,
  }
  if (err.detail) body.detail = err.detail
  if (err.extras.attemptsLeft !== undefined) body.attemptsLeft = err.extras.attemptsLeft
  if (err.extras.retryAfter !== undefined) body.retryAfter = err.extras.retryAfter
  if (err.extras.errors) body.errors = err.extras.errors
  if (err.extras.methods) body.methods = err.extras.methods
  if (err.extras.channels) body.channels = err.extras.channels
  return body
}

export function problemResponse(err: ApiError, headers: Record<string, string> = {}): Response {
  const body = problemBody(err)
  const h = new Headers({ 'content-type': 'application/problem+json', ...headers })
  if (body.retryAfter !== undefined) h.set('retry-after', String(body.retryAfter))
  return new Response(JSON.stringify(body), { status: body.status, headers: h })
}
