/**
 * CORS and the Origin check. Browsers may call the public API only from `allowedOrigins` (or the
 * API's own origin); a state-changing request with a foreign Origin is refused before any handler
 * runs. Admin routes never answer preflights and never send CORS headers.
 */
import type { MiddlewareHandler } from 'hono'
import { originMatches } from '../../shared/origins.js'
import { ApiError } from './errors.js'

export function originAllowed(origin: string, allowed: string[], ownOrigin: string): boolean {
  return origin === ownOrigin || allowed.some((entry) => originMatches(origin, entry))
}

/**
 * The host a code SMS's WebOTP line names for a start made from `origin` (a browser autofills the
 * code only on the top-level page's host, https://wicg.github.io/web-otp/): the page's own host
 * when the admin listed its origin in `allowedOrigins` by name. Null, meaning the public URL's
 * host: no Origin (a server's call), the API's own origin, an unparsable one, or one let in only
 * by a wildcard entry (`https://*.example.com`), which would let any page under that domain have
 * the code offered on its own host (docs/security.md).
 * A foreign origin never gets here: originGuard refuses its POST first.
 */
export function webOtpHost(
  origin: string | undefined,
  allowed: string[],
  ownOrigin: string,
): string | null {
  if (!origin || origin === ownOrigin || !allowed.includes(origin)) return null
  try {
    return new URL(origin).hostname || null
  } catch {
    return null
  }
}

/** The admin-token route outside /v1/admin (sessions/introspect-routes.ts): treated as admin here. */
export const INTROSPECT_PATH = '/v1/sessions/introspect'

/** The methods whose foreign Origin is refused (403 `origin_not_allowed`). */
export const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Request headers a preflight allows when SMS_AUTH_CORS_HEADERS is unset (tracing included). */
export const DEFAULT_CORS_HEADERS = [
  'Content-Type',
  'Authorization',
  'X-Request-Id',
  'sentry-trace',
  'baggage',
] as const
/** The widget's own headers: allowed whatever SMS_AUTH_CORS_HEADERS lists. */
export const REQUIRED_CORS_HEADERS = ['Content-Type', 'Authorization'] as const

export function originGuard(opts: {
  ownOrigin: string
  allowedOrigins: () => Promise<string[]>
  /** Request headers preflights allow (config.corsHeaders). */
  allowHeaders: readonly string[]
}): MiddlewareHandler {
  const allowHeaders = opts.allowHeaders.join(', ')
  return async function originGuard(c, next) {
    const origin = c.req.header('origin')
    const isAdmin = c.req.path.startsWith('/v1/admin') || c.req.path === INTROSPECT_PATH
    if (isAdmin) {
      if (c.req.method === 'OPTIONS')
        throw new ApiError('origin_not_allowed', 'Admin routes do not answer CORS preflights.')
      if (origin && origin !== opts.ownOrigin && UNSAFE.has(c.req.method)) {
        throw new ApiError('origin_not_allowed')
      }
      return next()
    }
    if (!origin) return next()
    // Same-origin pages are always allowed: the public URL's origin, or the origin the request
    // itself was made to (http://localhost:8787 as well as http://127.0.0.1:8787).
    const requestOrigin = new URL(c.req.url).origin
    const allowed =
      origin === requestOrigin || originAllowed(origin, await opts.allowedOrigins(), opts.ownOrigin)
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (!allowed) throw new ApiError('origin_not_allowed')
      return new Response(null, {
        status: 204,
        headers: {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
          'access-control-allow-headers': allowHeaders,
          'access-control-max-age': '600',
          vary: 'Origin',
        },
      })
    }
    if (!allowed && UNSAFE.has(c.req.method)) throw new ApiError('origin_not_allowed')
    await next()
    if (allowed) {
      c.res.headers.set('access-control-allow-origin', origin)
      c.res.headers.set('access-control-expose-headers', 'retry-after')
      c.res.headers.append('vary', 'Origin')
    }
  }
}
