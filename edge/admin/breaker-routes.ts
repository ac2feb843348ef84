/**
 * /v1/admin/breaker: the pumping breaker's tripped prefixes and countries (edge/limits/breaker.ts).
 * Support staff may read the list; releasing a block or marking a scope safe is the owner's, and
 * audited. `{prefix}` is a prefix (`+4479460`, `%2B4479460` or `4479460`) or a country (`GB`).
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Row } from '@libsql/client'
import { BreakerEntry, BreakerList } from '../../shared/breaker-schemas.js'
import { auditStatement } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { adminActor, adminAuth } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { adminToken, errors, json, router, use } from '../http/openapi.js'
import type { BreakerKind } from '../limits/breaker.js'
import { parseLoose } from '../phone.js'

const ScopeParam = z.object({
  prefix: z
    .string()
    .max(32)
    .openapi({
      param: { name: 'prefix', in: 'path' },
      description: 'A destination prefix (`%2B4479460` or `4479460`) or a country (`GB`)',
    }),
})

const COLUMNS = 'kind, label, country, until, since, trips, sent, verified, safe'

/** A path's scope: a prefix of 2 to 14 digits, or an ISO country code. */
function scopeOf(raw: string): { kind: BreakerKind; label: string; country: string } {
  const s = raw.trim()
  if (/^\+?[0-9]{2,14}$/.test(s)) {
    const label = `+${s.replace(/^\+/, '')}`
    return { kind: 'prefix', label, country: parseLoose(`${label}0000`)?.country ?? 'ZZ' }
  }
  if (/^[A-Za-z]{2}$/.test(s))
    return { kind: 'country', label: s.toUpperCase(), country: s.toUpperCase() }
  throw new ApiError('invalid_request', 'Give a prefix (digits) or a country (two letters).', {
    errors: [{ path: 'prefix', message: 'A prefix (+ and 2–14 digits) or an ISO country code' }],
  })
}

function entry(r: Row, now: number): BreakerEntry {
  const until = Number(r.until)
  const sent = Number(r.sent)
  const verified = Number(r.verified)
  return {
    kind: String(r.kind) as BreakerKind,
    scope: String(r.label),
    country: String(r.country),
    blocked: !Number(r.safe) && until > now,
    safe: Boolean(Number(r.safe)),
    since: r.since === null ? null : new Date(Number(r.since)).toISOString(),
    until: until ? new Date(until).toISOString() : null,
    trips: Number(r.trips),
    sent,
    verified,
    conversion: sent ? Math.round((verified / sent) * 1000) / 1000 : 0,
  }
}

const notListed = () => new ApiError('not_found', 'That prefix or country never tripped.')

export function breakerRoutes(ctx: Ctx) {
  const app = router()
  const owner = adminAuth(ctx, 'owner')
  /** One change to a scope and its audit row, in one write; the changed row, or null. */
  const change = async (
    actor: string,
    action: string,
    s: ReturnType<typeof scopeOf>,
    sql: string,
    args: Record<string, string | number>,
  ) => {
    const [changed] = await ctx.db.batch(
      [
        { sql: `${sql} RETURNING ${COLUMNS}`, args: { ...args, kind: s.kind, label: s.label } },
        auditStatement(
          ctx,
          { actor, action, outcome: 'ok', detail: { kind: s.kind, [s.kind]: s.label } },
          true,
        ),
      ],
      'write',
    )
    return changed!.rows[0] ?? null
  }
  const responses = { 200: json(z.object({ entry: BreakerEntry }), 'The prefix or country') }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/breaker',
      operationId: 'listBreaker',
      summary: 'The prefixes and countries the pumping breaker tripped or that are marked safe',
      security: adminToken,
      middleware: use(adminAuth(ctx, 'support')),
      responses: {
        200: json(BreakerList, 'Blocked first, then by last trip'),
        ...errors(401, 403),
      },
    }),
    async (c) => {
      const now = ctx.clock()
      const r = await ctx.db.execute({
        sql: `SELECT ${COLUMNS} FROM breaker_blocks
              ORDER BY (safe = 0 AND until > ?) DESC, coalesce(since, 0) DESC LIMIT 500`,
        args: [now],
      })
      return c.json({ entries: r.rows.map((row) => entry(row, now)) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/breaker/{prefix}/release',
      operationId: 'releaseBreaker',
      summary: 'End a block now (its counts restart; a new trip still doubles the cool-down)',
      security: adminToken,
      middleware: use(jsonBody, owner),
      request: { params: ScopeParam },
      responses: { ...responses, ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const s = scopeOf(c.req.valid('param').prefix)
      const now = ctx.clock()
      const row = await change(
        adminActor(c),
        'admin.breaker.release',
        s,
        `UPDATE breaker_blocks SET until = min(until, :now), counted_from = :now
         WHERE kind = :kind AND label = :label`,
        { now },
      )
      if (!row) throw notListed()
      return c.json({ entry: entry(row, now) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/breaker/{prefix}/safe',
      operationId: 'markBreakerSafe',
      summary: 'Mark a prefix or country safe: it never trips, and a block on it ends now',
      security: adminToken,
      middleware: use(jsonBody, owner),
      request: { params: ScopeParam },
      responses: { ...responses, ...errors(400, 401, 403) },
    }),
    async (c) => {
      const s = scopeOf(c.req.valid('param').prefix)
      const now = ctx.clock()
      const row = await change(
        adminActor(c),
        'admin.breaker.safe',
        s,
        `INSERT INTO breaker_blocks (kind, label, country, safe) VALUES (:kind, :label, :country, 1)
         ON CONFLICT (kind, label) DO UPDATE SET safe = 1, until = min(until, :now)`,
        { now, country: s.country },
      )
      return c.json({ entry: entry(row!, now) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/breaker/{prefix}/safe',
      operationId: 'unmarkBreakerSafe',
      summary: 'Undo "safe": the prefix or country is judged again, on sends from now on',
      security: adminToken,
      middleware: use(jsonBody, owner),
      request: { params: ScopeParam },
      responses: { ...responses, ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const s = scopeOf(c.req.valid('param').prefix)
      const now = ctx.clock()
      const row = await change(
        adminActor(c),
        'admin.breaker.unsafe',
        s,
        `UPDATE breaker_blocks SET safe = 0, counted_from = :now WHERE kind = :kind AND label = :label`,
        { now },
      )
      if (!row) throw notListed()
      return c.json({ entry: entry(row, now) }, 200)
    },
  )
  return app
}
