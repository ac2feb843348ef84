/**
 * sms-auth/edge: the whole API as a library (docs/guides/mount.md). `createSmsAuth` builds the
 * same app the runtime entries serve, from a @libsql/client Client and a few options, and gives a
 * Hono app to mount (`parent.route('/auth', smsAuth.app)`) and a fetch handler to serve.
 *
 * `publicUrl` is the API's address as browsers and providers see it, base path included
 * (`https://shop.example/auth`): the JWT issuer, the OpenAPI server, the base of webhook and
 * receipt URLs, the Origin of the site, the WebOTP host. `basePath` is where the requests arrive
 * at this app, by default the path of `publicUrl`. The base path is taken off before the API sees
 * a request, so every rule that reads a path (admin routes and introspection answer no foreign
 * preflight, 405 vs 404, load-shedding exemptions, log redaction) holds unchanged beneath it.
 * No `node:` import here or below: it runs on Node, Deno, Bun and Workers.
 */
import type { Client } from '@libsql/client'
import { Hono, type Context } from 'hono'
import { createApp, type App } from './app.js'
import { ConfigError, loadConfig, type Config, type Mode } from './config.js'
import type { AppOptions } from './deps.js'
import { ApiError, problemResponse } from './http/errors.js'

export type { App } from './app.js'
export type { Config, Mode } from './config.js'
export { ConfigError } from './config.js'

export interface SmsAuthOptions {
  db: Client
  /** The master secret: hex or base64(url), at least 32 bytes (SMS_AUTH_SECRET). */
  secret: string
  /** At least 16 characters (SMS_AUTH_ADMIN_TOKEN). */
  adminToken: string
  /** Absolute, base path included, e.g. `https://shop.example/auth` (SMS_AUTH_PUBLIC_URL). */
  publicUrl: string
  /** Where requests arrive; default the path of `publicUrl` (`/auth`). `''` or `/`: the root. */
  basePath?: string
  /** Default `production`; `development` adds the outbox route and the console provider. */
  mode?: Mode
  /**
   * Any other setting by its environment name (SMS_AUTH_TRUST_PROXY, SMS_AUTH_LOG_LEVEL,
   * SMS_AUTH_RETENTION_DAYS, …), read and checked by edge/config.ts like the server's own.
   */
  env?: Record<string, string | undefined>
  clock?: AppOptions['clock']
  fetch?: AppOptions['fetch']
  log?: AppOptions['log']
  /**
   * The caller's socket address, which every per-address limit counts under. By default the
   * runtime's own: @hono/node-server's `incoming` socket (Node, Express through
   * getRequestListener) or Deno.serve's `remoteAddr`; elsewhere (Bun, Workers) pass it.
   */
  socketAddress?: AppOptions['socketAddress']
}

type RuntimeEnv = {
  incoming?: { socket?: { remoteAddress?: string } }
  remoteAddr?: { hostname?: string }
}

/** The socket peer where the runtime puts it on the request's env, else `unknown`. */
export function runtimeAddress(c: Context): string {
  const env = c.env as RuntimeEnv | undefined
  return env?.incoming?.socket?.remoteAddress ?? env?.remoteAddr?.hostname ?? 'unknown'
}

export interface SmsAuth {
  /** Mount it at `basePath`: `parent.route(basePath, smsAuth.app)`. */
  app: Hono
  /** Serve it directly: requests outside `basePath` get a 404 problem. */
  fetch: (req: Request, env?: unknown, executionCtx?: unknown) => Promise<Response>
  basePath: string
  config: Config
  /** The edge itself (root paths): maintenance, idle, the context. */
  edge: App
}

/** `'/auth'` from `'/auth/'`, `'auth'`; `''` for the root. */
export function normalizeBasePath(path: string): string {
  const p = ('/' + path.trim()).replace(/\/{2,}/g, '/').replace(/\/+$/, '')
  if (
    !/^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*$/.test(p) ||
    p.split('/').some((s) => s === '..' || s === '.')
  )
    throw new ConfigError(`basePath must be a path such as /auth (got "${path}")`)
  return p
}

export async function createSmsAuth(opts: SmsAuthOptions): Promise<SmsAuth> {
  const config = loadConfig({
    ...opts.env,
    SMS_AUTH_MODE: opts.mode ?? opts.env?.SMS_AUTH_MODE ?? 'production',
    SMS_AUTH_SECRET: opts.secret,
    SMS_AUTH_ADMIN_TOKEN: opts.adminToken,
    SMS_AUTH_PUBLIC_URL: opts.publicUrl,
    DATABASE_URL: opts.env?.DATABASE_URL ?? ':memory:',
  })
  const basePath = normalizeBasePath(opts.basePath ?? new URL(config.publicUrl).pathname)
  const edge = await createApp({
    db: opts.db,
    config,
    clock: opts.clock,
    fetch: opts.fetch,
    log: opts.log,
    socketAddress: opts.socketAddress ?? runtimeAddress,
  })

  /** The request as the edge sees it (its path without the base), or null outside the base. */
  const inner = (req: Request): Request | null => {
    const url = new URL(req.url)
    if (basePath) {
      if (url.pathname !== basePath && !url.pathname.startsWith(basePath + '/')) return null
      url.pathname = url.pathname.slice(basePath.length) || '/'
    }
    return new Request(url, {
      method: req.method,
      headers: req.headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? null : req.body,
      signal: req.signal,
      redirect: req.redirect,
      // @ts-expect-error: `duplex` (a streamed body) is in undici and Deno, not yet in lib.dom.
      duplex: 'half',
    })
  }
  const notFound = (path: string) => problemResponse(new ApiError('not_found', `No route ${path}.`))

  const serve = (req: Request, env?: unknown, executionCtx?: unknown): Promise<Response> => {
    const r = inner(req)
    if (!r) return Promise.resolve(notFound(new URL(req.url).pathname))
    return Promise.resolve(
      edge.app.fetch(r, env as object, executionCtx as Parameters<App['app']['fetch']>[2]),
    )
  }
  const app = new Hono()
  const forward = (c: Context) => {
    let executionCtx: unknown
    try {
      executionCtx = c.executionCtx
    } catch {
      executionCtx = undefined
    }
    return serve(c.req.raw, c.env, executionCtx)
  }
  app.all('/', forward)
  app.all('/*', forward)
  return { app, fetch: serve, basePath, config, edge }
}
