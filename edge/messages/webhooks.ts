/**
 * `POST /v1/webhooks/{provider}`: delivery receipts in each provider's own format (Twilio and
 * Smstools post forms, Clickatell JSON), so app.ts lets these paths past its JSON-only check.
 * A receipt moves a message's status forward only: queued → sent → delivered | failed.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { openCredentials, readIntegration } from '../admin/integrations.js'
import type { Ctx } from '../context.js'
import { ApiError } from '../http/errors.js'
import { errors, json, router } from '../http/openapi.js'
import { clientFor, receiptParsers } from '../providers/index.js'
import type { DeliveryReceipt, DeliveryStatus, ProviderName } from '../providers/types.js'

/** How far along a status is; `failed` and `delivered` are both final. */
const RANK: Record<DeliveryStatus, number> = { queued: 1, sent: 2, delivered: 3, failed: 3 }

export function webhookRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks/{provider}',
      summary: 'Delivery receipts (Twilio, Clickatell, Smstools), in the provider’s own format',
      description:
        'Twilio callbacks must carry a valid X-Twilio-Signature for the public URL. A receipt for ' +
        'an unknown message is answered 200 like any other.',
      request: { params: z.object({ provider: z.string().max(64) }) },
      responses: {
        200: json(z.object({ received: z.literal(true) }), 'Receipt taken'),
        ...errors(400, 403, 404),
      },
    }),
    async (c) => {
      const name = c.req.valid('param').provider
      const client = clientFor(name)
      const parse = client ? receiptParsers[client.name] : undefined
      if (!client || !parse)
        throw new ApiError('not_found', 'This provider sends no receipts here.')
      const credentials = await openCredentials(ctx, await readIntegration(ctx.db, client.name))
      // Twilio signs with the auth token: without one nothing can be trusted.
      if (client.name === 'twilio' && !credentials.authToken) {
        throw new ApiError('forbidden', 'The signature cannot be checked.')
      }
      // The provider signed the URL it was given, built on the public URL (we may sit behind a proxy).
      const url = new URL(c.req.url)
      const publicUrl = `${ctx.config.publicUrl}${url.pathname}${url.search}`
      let result: Awaited<ReturnType<typeof parse>>
      try {
        result = await parse(c.req.raw, { credentials, url: publicUrl })
      } catch {
        result = { ok: false, reason: 'malformed' }
      }
      if (!result.ok) {
        ctx.log('webhook.refused', { provider: client.name, reason: result.reason })
        if (result.reason === 'signature') {
          throw new ApiError('forbidden', 'The signature does not match.')
        }
        throw new ApiError('invalid_request', 'This is not a receipt this provider sends.')
      }
      const matched = await applyReceipt(ctx, client.name, result.receipt)
      ctx.log('webhook.receipt', { provider: client.name, status: result.receipt.status, matched })
      return c.json({ received: true as const }, 200)
    },
  )
  return app
}

/** One statement, guarded in SQL, so receipts arriving out of order never move a status back. */
export async function applyReceipt(
  ctx: Ctx,
  provider: ProviderName,
  receipt: DeliveryReceipt,
): Promise<boolean> {
  const r = await ctx.db.execute({
    sql: `UPDATE messages SET status = ?, error = COALESCE(?, error), updated_at = ?
          WHERE provider = ? AND provider_message_id = ?
            AND (CASE status WHEN 'queued' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3
                 WHEN 'failed' THEN 3 ELSE 0 END) < ?`,
    args: [
      receipt.status,
      receipt.error ?? null,
      ctx.clock(),
      provider,
      receipt.messageId,
      RANK[receipt.status],
    ],
  })
  return r.rowsAffected > 0
}
