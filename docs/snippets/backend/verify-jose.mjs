// Verify an sms-auth access token with jose directly (Node, Bun, Workers).
// Usage: SMS_AUTH_JWKS_URL=… SMS_AUTH_ISSUER=… node verify-jose.mjs <token>
import { createRemoteJWKSet, jwtVerify } from 'jose'

// Cached: fetched once, again on an unknown kid.
const jwks = createRemoteJWKSet(new URL(process.env.SMS_AUTH_JWKS_URL))

try {
  const { payload } = await jwtVerify(process.argv[2], jwks, {
    algorithms: ['ES256'],
    issuer: process.env.SMS_AUTH_ISSUER,
    audience: 'sms-auth',
    clockTolerance: 5,
  })
  console.log(payload.sub)
} catch (err) {
  console.error('refused:', err.code ?? err.message)
  process.exit(1)
}
