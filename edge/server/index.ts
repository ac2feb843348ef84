/**
 * sms-auth/server: verify an sms-auth access token in a site's own backend (docs/guides/backend.md).
 * No `node:` import: it runs on Node, Deno, Bun and Workers.
 */
export {
  AccessTokenError,
  bearerToken,
  unauthorizedResponse,
  verifyAccessToken,
  type AccessTokenClaims,
  type KeySource,
  type VerifyFailure,
  type VerifyOptions,
} from './verify.js'
export { smsAuthHono, type SmsAuthVariables } from './hono.js'
// Express's middleware is its own entry (sms-auth/server/express): its types need express's.
export { introspect, type IntrospectOptions, type Introspection } from './introspect.js'
