/**
 * The responses every operation can give besides its own, derived from what the operation is
 * rather than listed by hand in each route: a body means 413 and 415 (app.ts body limit,
 * http/json-body.ts), parameters or a body mean 400, a path parameter 404, a required token 401,
 * an unsafe method 403 (http/origin.ts), the database 503 (load shedding, http/shedding.ts), and
 * any operation 500. Every 429 and 503 carries `Retry-After`; every error is problem+json.
 * tests/edge/openapi/ checks the result against the running server (Prism) and Redocly.
 */
import { ERRORS } from '../../shared/errors.js'
import { UNSAFE } from '../http/origin.js'

interface Response {
  description: string
  content?: Record<string, unknown>
  headers?: Record<string, unknown>
}
export interface Operation {
  operationId?: string
  tags?: string[]
  security?: Record<string, string[]>[]
  parameters?: { in: string }[]
  requestBody?: unknown
  responses: Record<string, Response>
}
export interface Document {
  paths: Record<string, Record<string, Operation>>
  components?: Record<string, Record<string, unknown>>
  tags?: { name: string; description: string }[]
}

const WHY: Record<number, string> = {
  400: 'The request is not valid',
  401: 'No valid token or credentials',
  403: 'Not allowed (a foreign browser Origin is `origin_not_allowed`)',
  404: 'No such resource',
  409: 'In conflict with the current state',
  410: 'Gone',
  413: 'The body is too large',
  415: 'The body is not JSON',
  429: 'Too many requests: wait `Retry-After` seconds',
  500: 'Something went wrong on our side',
  503: 'The database or the SMS providers are unavailable: wait `Retry-After` seconds',
}

/** "The request is not valid: `invalid_request`, `invalid_phone`, …", from shared/errors.ts. */
function describe(status: number): string {
  const codes = Object.entries(ERRORS)
    .filter(([, e]) => e.status === status)
    .map(([code]) => `\`${code}\``)
  return `${WHY[status] ?? 'Error'}${codes.length ? ` (${codes.join(', ')})` : ''}.`
}

/** Groups for the reference's sidebar, by path. */
const TAGS: [RegExp, string, string][] = [
  [/^\/v1\/verifications/, 'Verifications', 'Send and check codes by SMS or voice.'],
  [/^\/v1\/(users|sessions)/, 'Accounts', 'Register, sign in, refresh, sign out.'],
  [/^\/v1\/mfa\//, 'Two-step', 'Finish a sign-in with a second factor.'],
  [/^\/v1\/me/, 'Profile', "The signed-in user's account and factors."],
  [/^\/v1\/admin\//, 'Admin', "The site owner's settings, users, integrations and audit."],
  [/^\/v1\/webhooks\//, 'Webhooks', "Providers' delivery receipts."],
  [/./, 'Service', 'Configuration, health, keys and metrics.'],
]

const RETRY_AFTER = { $ref: '#/components/headers/RetryAfter' }

export function completeDocument(doc: Document, opts: { notShed: ReadonlySet<string> }): Document {
  doc.components ??= {}
  doc.components.headers = {
    ...doc.components.headers,
    RetryAfter: {
      description: 'Seconds to wait before trying again (also `retryAfter` in the body).',
      required: true,
      schema: { type: 'integer', minimum: 1 },
    },
  }
  const problem = {
    'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
  }
  const used = new Set<string>()
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      op.security ??= []
      const tag = TAGS.find(([re]) => re.test(path))!
      op.tags ??= [tag[1]]
      used.add(tag[1])
      const statuses = new Set(Object.keys(op.responses).map(Number))
      const params = op.parameters ?? []
      if (op.requestBody || params.length) statuses.add(400)
      if (op.requestBody) statuses.add(413).add(415)
      if (params.some((p) => p.in === 'path')) statuses.add(404)
      // Required: every alternative names a scheme (an optional bearer's 401 is the route's own).
      if (op.security.length && op.security.every((r) => Object.keys(r).length)) statuses.add(401)
      if (UNSAFE.has(method.toUpperCase())) statuses.add(403)
      // An admin route refuses a role or a session that may not (docs/api.md, Admin accounts).
      if (path.startsWith('/v1/admin/')) statuses.add(403)
      if (!opts.notShed.has(path.replace(/\{(\w+)\}/g, ':$1'))) statuses.add(503)
      statuses.add(500)
      for (const status of [...statuses].sort()) {
        if (status < 400) continue
        const response: Response = { description: describe(status), content: problem }
        if (status === 429 || status === 503) response.headers = { 'Retry-After': RETRY_AFTER }
        op.responses[status] = response
      }
    }
  doc.tags = TAGS.filter(([, name]) => used.has(name)).map(([, name, description]) => ({
    name,
    description,
  }))
  return doc
}
