/**
 * Express middleware: `req.smsAuth` holds the verified claims; a 401 problem+json otherwise.
 * Only express's types are imported, so a backend without express never loads it.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { AccessTokenClaims } from '../sessions/claims.js'
import {
  AccessTokenError,
  bearerToken,
  unauthorizedResponse,
  verifyAccessToken,
  type VerifyOptions,
} from './verify.js'

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by smsAuthExpress: the verified access token's claims. */
    smsAuth?: AccessTokenClaims
  }
}

export function smsAuthExpress(opts: VerifyOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    verifyAccessToken(bearerToken(req.get('authorization')), opts).then(
      (claims) => {
        req.smsAuth = claims
        next()
      },
      async (err: unknown) => {
        if (!(err instanceof AccessTokenError)) return next(err)
        const r = unauthorizedResponse(err)
        r.headers.forEach((v, k) => res.setHeader(k, v))
        res.status(r.status).send(await r.text())
      },
    )
  }
}
