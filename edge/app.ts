/**
 * createApp(options): the whole edge API as a Hono app. The runtime entries (node.ts, deno.ts)
 * create the database client and the config; tests pass :memory: or sqld clients, a clock and
 * provider fakes.
 */
import { compress } from 'hono/compress'
import { HTTPException } from 'hono/http-exception'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { meRoutes } from './accounts/me-routes.js'
import { profileRoutes } from './accounts/profile-routes.js'
import { sessionRoutes } from './accounts/session-routes.js'
import { userRoutes } from './accounts/users-routes.js'
import { auditRoutes } from './admin/audit-routes.js'
import { eventRoutes } from './admin/event-routes.js'
import { integrationRoutes } from './admin/integration-routes.js'
import { settingsRoutes } from './admin/settings-routes.js'
import { limitsRoutes } from './admin/limits-routes.js'
import { adminUserRoutes } from './admin/users-routes.js'
import { backupCodeRoutes } from './factors/backup-code-routes.js'
import { mfaRoutes } from './factors/mfa-routes.js'
import { phoneRoutes } from './factors/phone-routes.js'
import { totpRoutes } from './factors/totp-routes.js'
import { webhookRoutes } from './messages/webhooks.js'
import { configRoutes } from './public/config-routes.js'
import { healthRoutes } from './public/health-routes.js'
import { jwksRoutes } from './public/jwks-routes.js'
import { outboxRoutes } from './public/outbox-routes.js'
import { introspectRoutes } from './sessions/introspect-routes.js'
import { reauthRoutes } from './sessions/reauth-routes.js'
import { rememberClient } from './sessions/remember-client.js'
import { mySessionRoutes } from './sessions/my-sessions-routes.js'
import { manageUserRoutes } from './admin/manage-users-routes.js'
import { adminsRoutes } from './admins/admins-routes.js'
import { testNumberRoutes } from './test-numbers/routes.js'
import { spendRoutes } from './spend/routes.js'
import { breakerRoutes } from './admin/breaker-routes.js'
import { RefusalTally } from './stats/refusals.js'
import { statsRoutes } from './stats/routes.js'
import { challengeRoutes } from './challenge/routes.js'
import { getSettings } from './settings/settings.js'
import type { Ctx } from './context.js'
import { deriveKeys } from './crypto/keys.js'
import { databaseUnavailable, errorKind, isDatabaseUnavailable } from './db/errors.js'
import { guardDatabase } from './db/guard.js'
import { defaultDbLimits } from './db/limits.js'
import { Door } from './db/door.js'
import { migrate } from './db/migrate.js'
import { DELIVER_EVERY_MS, deliveryJob, type DeliveryReport } from './events/delivery.js'
import type { ResealReport } from './maintenance/reseal.js'
import { Rotation } from './maintenance/rotation.js'
import { DEFAULT_MAINTENANCE, maintenanceJob, type MaintenanceReport } from './maintenance/job.js'
import { Metrics } from './metrics/metrics.js'
import { metricsRoutes } from './metrics/routes.js'
import type { AppOptions } from './deps.js'
import { clientAddressOf } from './http/client.js'
import { ApiError, problemResponse } from './http/errors.js'
import { router } from './http/openapi.js'
import { requestLog } from './http/request-log.js'
import { limitBody } from './http/body-limit.js'
import { originGuard } from './http/origin.js'
import { shedAtTheDoor } from './http/shedding.js'
import { serveOpenApi } from './docs/openapi-document.js'
import { loadSigningKey } from './sessions/signing-key.js'
import { verificationRoutes } from './verifications/routes.js'

/** docs/api.md: request bodies over 16 KiB get 413. */
export const BODY_LIMIT = 16 * 1024

export interface App {
  app: OpenAPIHono
  ctx: Ctx
  fetch: (req: Request) => Response | Promise<Response>
  /** Resolves once the work deferred so far (sends after the answer, a maintenance run) has settled. */
  idle(): Promise<void>
  /** Settles when the re-seal pass of a rotation under way, if any, has ended (null: none). */
  resealed(): Promise<ResealReport | null>
  /**
   * One run of the maintenance job (edge/maintenance/job.ts): data retention in bounded batches,
   * claimed by one instance per period. The runtime entries call it every `maintainEveryMs`;
   * tests and a Workers cron call it directly.
   */
  maintain(): Promise<MaintenanceReport>
  maintainEveryMs: number
  /**
   * One run of the event delivery (edge/events/delivery.ts): the outbox fanned out to the
   * endpoints, due deliveries claimed and sent. The runtime entries call it every
   * `deliverEveryMs` alongside the maintenance job; tests and a Workers cron call it directly.
   */
  deliverEvents(): Promise<DeliveryReport>
  deliverEveryMs: number
}

export async function createApp(opts: AppOptions): Promise<App> {
  const clock = opts.clock ?? Date.now
  // Every event is counted for /metrics (refusals for the Activity figures too), then handed to
  // the runtime's own log.
  const metrics = new Metrics()
  let refusals: RefusalTally | null = null
  const write = opts.log ?? (() => {})
  const log: typeof write = (event, fields) => {
    metrics.observe(event, fields)
    refusals?.observe(event, fields)
    write(event, fields)
  }
  const pending = new Set<Promise<unknown>>()
  // Start-up work (migrations, the signing key) runs on the raw client: it ends before any burst.
  await migrate(opts.db)
  const keys = await deriveKeys(
    opts.config.secret,
    { previous: opts.config.previousSecret, next: opts.config.nextSecret },
    opts.crypto,
  )
  // A rotation of the master secret: what the instance needs at once is re-sealed before it
  // serves, the rest off the request path (maintenance/rotation.ts).
  const rotation = keys.previous ? new Rotation(keys, clock, log) : null
  await rotation?.atStart(opts.db)
  const dbLimits = {
    ...defaultDbLimits(opts.db.protocol),
    ...opts.config.dbLimits,
    ...opts.dbLimits,
  }
  const db = guardDatabase(opts.db, dbLimits, log)
  const ctx: Ctx = {
    db,
    config: opts.config,
    keys,
    clock,
    fetch: opts.fetch ?? fetch,
    log,
    socketAddress: opts.socketAddress ?? (() => 'unknown'),
    signingKey: await loadSigningKey(opts.db, keys, clock(), opts.crypto),
    defer(work) {
      const tracked = work.catch((err: unknown) =>
        log('deferred.failed', { name: err instanceof Error ? err.name : 'unknown' }),
      )
      pending.add(tracked)
      void tracked.finally(() => pending.delete(tracked))
    },
  }
  refusals = new RefusalTally(ctx)
  const address = clientAddressOf(ctx.config.trustProxy, ctx.socketAddress)
  const ownOrigin = new URL(ctx.config.publicUrl).origin

  const app = router()
  app.use(requestLog(log))
  if (rotation) {
    rotation.poke(db)
    app.use((_c, next) => {
      rotation.poke(db)
      return next()
    })
  }
  // Answers over 1 KiB (the OpenAPI document, audit pages) compressed when the client accepts it.
  app.use(compress())
  app.use(
    originGuard({
      ownOrigin,
      allowedOrigins: async () => (await getSettings(ctx.db)).allowedOrigins,
      allowHeaders: ctx.config.corsHeaders,
    }),
  )
  // After the origin guard, so that a browser can read a 503.
  app.use(shedAtTheDoor(db, new Door(dbLimits.maxRunning, dbLimits.doorTimeoutMs)))
  app.use(limitBody(BODY_LIMIT))
  // The JSON content-type check is declared per route (http/json-body.ts), authentication too
  // (http/auth.ts): both run after the middleware above, before the route's validation.

  app.use(rememberClient(ctx, address))
  // One endpoint group per file; mounted in the order of the OpenAPI document.
  const groups = [
    configRoutes(ctx),
    healthRoutes(ctx),
    jwksRoutes(ctx),
    ...(ctx.config.mode === 'development' ? [outboxRoutes(ctx)] : []),
    verificationRoutes(ctx, address),
    userRoutes(ctx, address),
    sessionRoutes(ctx, address),
    introspectRoutes(ctx),
    meRoutes(ctx),
    profileRoutes(ctx, address),
    mySessionRoutes(ctx),
    settingsRoutes(ctx),
    limitsRoutes(ctx),
    auditRoutes(ctx),
    integrationRoutes(ctx),
    webhookRoutes(ctx),
    backupCodeRoutes(ctx),
    totpRoutes(ctx),
    mfaRoutes(ctx),
    phoneRoutes(ctx),
    manageUserRoutes(ctx),
    adminUserRoutes(ctx, address),
    eventRoutes(ctx),
    adminsRoutes(ctx),
    testNumberRoutes(ctx),
    spendRoutes(ctx),
    breakerRoutes(ctx),
    statsRoutes(ctx),
    challengeRoutes(ctx),
    reauthRoutes(ctx),
    metricsRoutes(ctx, metrics),
  ]
  for (const group of groups) app.route('/', group)

  serveOpenApi(app, { serverUrl: ctx.config.publicUrl })

  app.notFound((c) => {
    const allowed = app.routes
      .filter((r) => r.method !== 'ALL' && routeMatches(r.path, c.req.path))
      .map((r) => r.method)
    if (allowed.length)
      return problemResponse(new ApiError('method_not_allowed'), {
        allow: [...new Set(allowed)].join(', '),
      })
    return problemResponse(new ApiError('not_found', `No route ${c.req.path}.`))
  })
  app.onError((err, c) => {
    if (err instanceof ApiError) return problemResponse(err)
    if (err instanceof HTTPException) {
      // Hono's own refusals: malformed JSON and the like are the client's fault.
      if (err.status === 413) return problemResponse(new ApiError('payload_too_large'))
      if (err.status < 500)
        return problemResponse(new ApiError('invalid_request', 'The body is not valid JSON.'))
    }
    // A database failure that did not come through the guard (docs/security.md: never a 500, never a hang).
    if (isDatabaseUnavailable(err)) {
      ctx.log('db_unavailable', { path: c.req.path, ...errorKind(err) })
      return problemResponse(databaseUnavailable(2))
    }
    ctx.log('error', {
      // A receipt URL's last segment is its secret (messages/webhook-token.ts).
      path: c.req.path.replace(/^(\/v1\/webhooks\/[^/]+\/)[^/]+/, '$1…'),
      name: err instanceof Error ? err.name : 'unknown',
      message: err instanceof Error ? err.message.slice(0, 200) : '',
    })
    return problemResponse(new ApiError('internal_error'))
  })
  const idle = async () => {
    while (pending.size) await Promise.allSettled([...pending])
  }
  const resealed = () => rotation?.settled() ?? Promise.resolve(null)
  const limits = { ...DEFAULT_MAINTENANCE, ...opts.maintenance }
  const job = maintenanceJob(ctx, opts.config.retention, limits)
  const maintain = () => {
    const run = job()
    // Tracked, so a shutdown waits for a run under way before closing the database.
    const settled = run.catch(() => {})
    pending.add(settled)
    void settled.finally(() => pending.delete(settled))
    return run
  }
  const delivery = deliveryJob(ctx)
  const deliverEvents = () => {
    const run = delivery()
    const settled = run.catch(() => {})
    pending.add(settled)
    void settled.finally(() => pending.delete(settled))
    return run
  }
  return {
    app,
    ctx,
    fetch: (req: Request) => app.fetch(req),
    idle,
    resealed,
    maintain,
    maintainEveryMs: limits.intervalMs,
    deliverEvents,
    deliverEveryMs: DELIVER_EVERY_MS,
  }
}

const patterns = new Map<string, RegExp>()
function routeMatches(pattern: string, path: string): boolean {
  let re = patterns.get(pattern)
  if (!re) {
    re = new RegExp(
      '^' + pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+') + '$',
    )
    patterns.set(pattern, re)
  }
  return re.test(path)
}
