/** Hono middleware: `c.get('smsAuth')` holds the verified claims; a 401 problem+json otherwise. */
import type { MiddlewareHandler } from 'hono'
import type { AccessTokenClaims } from '../sessions/claims.js'
import {
  AccessTokenError,
  bearerToken,
  unauthorizedResponse,
  verifyAccessToken,
  type VerifyOptions,
} from './verify.js'

export type SmsAuthVariables = { smsAuth: AccessTokenClaims }

export function smsAuthHono(
  opts: VerifyOptions,
): MiddlewareHandler<{ Variables: SmsAuthVariables }> {
  return async (c, next) => {
    try {
      c.set('smsAuth', await verifyAccessToken(bearerToken(c.req.header('authorization')), opts))
    } catch (err) {
      if (err instanceof AccessTokenError) return unauthorizedResponse(err)
      throw err
    }
    await next()
  }
}
