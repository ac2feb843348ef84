/**
 * Load shedding at the door (edge/app.ts): the routes it never sheds. They never touch the
 * database, or, for /healthz, must report it rather than be shed. The OpenAPI document gives
 * every other operation its 503 (edge/docs/responses.ts).
 */
export const OPENAPI_PATH = '/v1/openapi.json'

export const NOT_SHED: ReadonlySet<string> = new Set([
  '/healthz',
  '/.well-known/jwks.json',
  OPENAPI_PATH,
])
