// Verify an sms-auth access token in Deno with jose ("jose": "npm:jose@6" in deno.json's imports,
// or jose in package.json). Usage:
// SMS_AUTH_JWKS_URL=… SMS_AUTH_ISSUER=… deno run --allow-net --allow-env verify-deno.ts <token>
import { createRemoteJWKSet, jwtVerify } from 'jose'

const jwks = createRemoteJWKSet(new URL(Deno.env.get('SMS_AUTH_JWKS_URL')!))

try {
  const { payload } = await jwtVerify(Deno.args[0], jwks, {
    algorithms: ['ES256'],
    issuer: Deno.env.get('SMS_AUTH_ISSUER'),
    audience: 'sms-auth',
    clockTolerance: 5,
  })
  console.log(payload.sub)
} catch (err) {
  console.error('refused:', (err as { code?: string }).code ?? err)
  Deno.exit(1)
}
