/**
 * GET /v1/admin/stats (docs/api.md "Activity"): the Activity tab's figures for a range of UTC days,
 * as JSON, or as CSV when the caller accepts `text/csv` first. Support staff may read them (no
 * number, code or secret is in them).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { accepts } from 'hono/accepts'
import {
  STATS_DEFAULT_DAYS,
  STATS_MAX_DAYS,
  StatsQuery,
  StatsReport,
} from '../../shared/stats-schemas.js'
import type { Ctx } from '../context.js'
import { adminAuth } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { adminToken, errors, router, use } from '../http/openapi.js'
import { getSettings } from '../settings/settings.js'
import { statsCsv } from './csv.js'
import { rangeOf, spanDays, statsReport } from './report.js'

const CSV = 'text/csv'

export function statsRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/stats',
      operationId: 'getStats',
      summary:
        'Verifications, deliveries, conversion, spend, refusals and breaker trips per day, country, provider or channel',
      description:
        `Figures of the UTC days \`from\` to \`to\` (both included, at most ${STATS_MAX_DAYS} days), ` +
        'from daily aggregates. With `Accept: text/csv` the same rows come as a CSV download ' +
        '(one column per limit that refused anything in the range).',
      security: adminToken,
      middleware: use(adminAuth(ctx, 'support')),
      request: { query: StatsQuery },
      responses: {
        200: {
          content: {
            'application/json': { schema: StatsReport },
            [CSV]: { schema: z.string().describe('RFC 4180 CSV, a header line first') },
          },
          description: 'The figures',
        },
        ...errors(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const { from, to } = rangeOf(q, ctx.clock(), STATS_DEFAULT_DAYS)
      const span = spanDays(from, to)
      if (span < 1 || span > STATS_MAX_DAYS)
        throw new ApiError('invalid_request', 'Some fields are missing or not valid.', {
          errors: [
            {
              path: span < 1 ? 'to' : 'from',
              message:
                span < 1
                  ? '`to` is before `from`.'
                  : `The range is ${span} days; at most ${STATS_MAX_DAYS}.`,
            },
          ],
        })
      const report = await statsReport(
        ctx.db,
        { from, to, groupBy: q.groupBy },
        await getSettings(ctx.db),
      )
      const type = accepts(c, {
        header: 'Accept',
        supports: ['application/json', CSV],
        default: 'application/json',
      })
      if (type !== CSV) return c.json(report, 200)
      const name = `sms-auth-stats-${from}-${to}-by-${q.groupBy}.csv`
      return c.body(statsCsv(report), 200, {
        'content-type': `${CSV}; charset=utf-8; header=present`,
        'content-disposition': `attachment; filename="${name}"`,
      })
    },
  )
  return app
}
