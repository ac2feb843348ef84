/**
 * The Cloudflare Workers entry (docs/wrangler.toml; built to dist/workers.js, one self-contained
 * module): the same app on workerd. libSQL over HTTP (`@libsql/client/web`: sqld or Turso; a
 * Worker has no file system), the configuration and its secrets from the Worker's `env` (vars and
 * `wrangler secret put`), the client address from `CF-Connecting-IP`. Work deferred past an answer
 * (the code's send after a start, notices) is handed to `ctx.waitUntil`, so the isolate is kept
 * until it ends; the Cron Trigger runs retention and event delivery, as the timers do on Node.
 */
import { createClient } from '@libsql/client/web'
import { createApp, type App } from './app.js'
import { keptWhenServer } from './db/kept-streams.js'
import { abortingFetch, driverAbortMs } from './db/limits.js'
import { databaseUnavailable, isDatabaseUnavailable } from './db/errors.js'
import { ConfigError, loadConfig } from './config.js'
import { ApiError, problemResponse } from './http/errors.js'
import { enabled, levelOf } from './logging.js'
import { site, type ReadFile } from './site.js'

/** The parts of the Workers runtime this entry uses (no @cloudflare/workers-types needed). */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}
interface Fetcher {
  fetch(input: string, init?: RequestInit): Promise<Response>
}
/** The Worker's bindings: strings (vars, secrets) and, optionally, the static assets. */
export interface WorkerEnv {
  /** Workers Static Assets (scripts/workers-site.mjs: widget/, admin/, docs/, vendor/), via site(). */
  ASSETS?: Fetcher
  [name: string]: unknown
}

type Handler = (req: Request) => Promise<Response>

interface Instance {
  api: App
  handler: Handler
}

/** One app per isolate, built by its first request (a Worker may do I/O only inside a request). */
let instance: Promise<Instance> | undefined

function stringsOf(env: WorkerEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) if (typeof value === 'string') out[key] = value
  return out
}

/** Files of the static assets under `dir` (without an ASSETS binding the Worker serves the API only). */
function assetReader(assets: Fetcher, dir: string): ReadFile {
  return async (path) => {
    const res = await assets.fetch(`https://assets.invalid/${dir}/${path}`)
    if (!res.ok) {
      await res.body?.cancel()
      return null
    }
    return new Uint8Array(await res.arrayBuffer())
  }
}

/**
 * fetch as the app expects it on workerd: called as a plain function (workerd's throws "Illegal
 * invocation" when called as a method of another object, as the providers' ctx.fetch(…) is), and
 * a lost connection rejected as fetch's TypeError, as Node and Deno do: workerd rejects it with a
 * plain Error ("Network connection lost."), which edge/db/errors.ts would not know for an outage.
 */
const workerdFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init)
  } catch (err) {
    if (err instanceof Error && err.name === 'Error')
      throw new TypeError(err.message, { cause: err })
    throw err
  }
}

async function build(env: WorkerEnv): Promise<Instance> {
  const vars = stringsOf(env)
  // No file system for a development secret: SMS_AUTH_SECRET and SMS_AUTH_ADMIN_TOKEN are
  // required in every mode (wrangler secret put, or .dev.vars with `wrangler dev`).
  const config = loadConfig(vars)
  if (!/^(https?|libsql|wss?):\/\//.test(config.databaseUrl)) {
    throw new ConfigError(
      'DATABASE_URL must be a libSQL server (http(s)://… or libsql://…) on Workers',
    )
  }
  // Reads from a replica need to know which requests decide nothing (edge/node/database.ts).
  if (config.databaseSyncUrl)
    throw new ConfigError('SMS_AUTH_DB_SYNC_URL (a read replica) is for npm start or start:bun')
  const fetch = abortingFetch(driverAbortMs(config.dbLimits), workerdFetch)
  const client = createClient({
    url: config.databaseUrl,
    authToken: config.databaseAuthToken,
    fetch,
  })
  // Statements on kept streams (db/kept-streams.ts), shared by the requests of this isolate.
  const db = keptWhenServer(client, config.databaseUrl, config.databaseAuthToken, fetch)
  const log = (event: string, fields?: Record<string, unknown>) => {
    const level = levelOf(event)
    if (enabled(level, config.logLevel))
      console.log(JSON.stringify({ level, time: new Date().toISOString(), event, ...fields }))
  }
  const api = await createApp({
    db,
    config,
    // Cloudflare sets it on every request that reaches a Worker; the socket peer is its own edge.
    socketAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    log,
    fetch: workerdFetch,
  })
  const assets = env.ASSETS
  const handler = assets
    ? site(api, {
        widget: assetReader(assets, 'widget'),
        demo: null,
        admin: assetReader(assets, 'admin'),
        docs: assetReader(assets, 'docs'),
        vendor: assetReader(assets, 'vendor'),
      })
    : async (req: Request) => api.fetch(req)
  return { api, handler }
}

/**
 * Awaits work that may wait on another request's: the app the first request is still building,
 * a database slot another request holds (edge/db/guard.ts queues calls past maxConcurrency).
 * workerd cancels a request that waits on nothing of its own as hung ("would never generate a
 * response"), so a timer of this request's own ticks until the work settles.
 */
async function awaitHere<T>(work: Promise<T>): Promise<T> {
  let settled = false
  const ticking = (async () => {
    while (!settled) await new Promise((resolve) => setTimeout(resolve, KEEP_ALIVE_MS))
  })()
  try {
    return await work
  } finally {
    settled = true
    await ticking
  }
}
const KEEP_ALIVE_MS = 10

/**
 * The instance, built once; a failed build is forgotten so that the next request tries again, and
 * this one gets a problem: 503 with Retry-After while the database is down, 500 for a bad
 * configuration (its one-line message in the Worker's log, not in the answer).
 */
async function ready(env: WorkerEnv): Promise<Instance | Response> {
  instance ??= build(env)
  try {
    return await awaitHere(instance)
  } catch (err) {
    instance = undefined
    if (err instanceof ConfigError) {
      console.error(`sms-auth: ${err.message}`)
      return problemResponse(new ApiError('internal_error', 'The service is not configured.'))
    }
    if (isDatabaseUnavailable(err)) return problemResponse(databaseUnavailable(2))
    throw err
  }
}

/**
 * workerd encodes a body itself when its Response names a Content-Encoding; the app's bodies under
 * one are already encoded (hono's compress(), the precompressed widget files), so they go out as
 * they are (`encodeBody: 'manual'`, a Workers extension of ResponseInit).
 */
function asEncoded(res: Response): Response {
  if (!res.headers.has('content-encoding') || !res.body) return res
  return new Response(res.body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
    encodeBody: 'manual',
  } as ResponseInit)
}

export default {
  async fetch(req: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const got = await ready(env)
    if (got instanceof Response) return got
    // Not handed on as Hono's env: it holds the secrets, and nothing in the app needs it.
    const res = asEncoded(await awaitHere(got.handler(req)))
    // Sends that finish after the answer: the isolate stays until every deferred task settles.
    ctx.waitUntil(awaitHere(got.api.idle()))
    return res
  },

  /** The Cron Trigger (docs/wrangler.toml): one maintenance run and one event delivery. */
  async scheduled(_event: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const got = await ready(env)
    if (got instanceof Response) return
    ctx.waitUntil(awaitHere(Promise.allSettled([got.api.maintain(), got.api.deliverEvents()])))
  },
}
