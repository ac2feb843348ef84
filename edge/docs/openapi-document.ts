/**
 * The OpenAPI document at GET /v1/openapi.json: what the routes declare (edge/**\/*-routes.ts),
 * the security schemes they name, the shared types of shared/schemas.ts as named component
 * schemas (so generated clients get `User`, `Session`, not `InlineResponse200`), and the responses
 * every operation can give by its traits (./responses.ts).
 */
import type { OpenAPIHono } from '@hono/zod-openapi'
import { z } from 'zod'
import * as shared from '../../shared/schemas.js'
import { NOT_SHED, OPENAPI_PATH } from '../http/shedding.js'
import { completeDocument, type Document } from './responses.js'

/** The schemes a route's `security` names (edge/http/openapi.ts: bearer, adminToken, ...). */
export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "A user's access token: `session.accessToken` of a sign-in, a registration or " +
      '`POST /v1/sessions/refresh`. Verify it offline against `/.well-known/jwks.json`.',
  },
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      "The site owner's admin token (SMS_AUTH_ADMIN_TOKEN), for `/v1/admin/*` and " +
      '`POST /v1/sessions/introspect`; on `/v1/admin/*` also the access token of a named ' +
      "admin's session signed in with the phone and a second factor (docs/api.md, Admin " +
      'accounts and roles). For servers and the admin page only, never a public page.',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: "A metrics scraper's own token (SMS_AUTH_METRICS_TOKEN), for `GET /metrics` only.",
  },
} as const

/**
 * Names every schema shared/schemas.ts exports (`ProblemSchema` as `Problem`) where it is
 * declared, without restating it: the generator (@asteasolutions/zod-to-openapi, under
 * @hono/zod-openapi) reads a schema's zod metadata and makes a `$ref` of its `_internal.refId`.
 * tests/edge/openapi/document.test.ts fails if these names stop reaching the document.
 */
function nameSharedSchemas(): void {
  for (const [name, schema] of Object.entries(shared)) {
    if (!(schema instanceof z.ZodType) || !/^[A-Z]/.test(name) || z.globalRegistry.has(schema))
      continue
    const meta = { _internal: { refId: name.replace(/Schema$/, '') } }
    z.globalRegistry.add(schema, meta as z.GlobalMeta)
  }
}
nameSharedSchemas()

export function serveOpenApi(app: OpenAPIHono, opts: { serverUrl: string }): void {
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES))
    app.openAPIRegistry.registerComponent('securitySchemes', name, scheme)
  let doc: Document | undefined
  app.get(OPENAPI_PATH, (c) => {
    doc ??= completeDocument(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'sms-auth',
          version: '1.0.0',
          description:
            'SMS two-step and phone-number login. Errors are `application/problem+json` with a ' +
            '`code`. An unknown path is a 404 `not_found`; a known path with a method it does ' +
            'not have is a 405 `method_not_allowed` with an `Allow` header. An interactive ' +
            'reference of this document is at `/docs`.',
          license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
        },
        servers: [{ url: opts.serverUrl }],
      }) as unknown as Document,
      { notShed: NOT_SHED },
    )
    return c.json(doc)
  })
}
