/**
 * `POST /v1/webhooks/twilio` and `POST /v1/webhooks/{clickatell|smstools}/{token}`: delivery
 * receipts in each provider's own format (Twilio and Smstools post forms, Clickatell JSON), so
 * app.ts lets these paths past its JSON-only check. Every receipt is authenticated before it is
 * read: Twilio's by its signature, the others' by the token in the URL (webhook-token.ts); an
 * unauthenticated one is a 401 and changes nothing.
 * A receipt moves a message's status forward only: (unknown →) queued → sent → delivered | failed.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { openCredentials, readIntegration } from '../integrations/integrations.js'
import type { Ctx } from '../context.js'
import { ApiError } from '../http/errors.js'
import { errors, json, router } from '../http/openapi.js'
import { phoneHash } from '../phone.js'
import { isClientName, receiptsOf } from '../providers/index.js'
import type { ProviderName } from '../providers/registry.js'
import type { DeliveryReceipt, DeliveryStatus } from '../providers/types.js'
import { usesUrlToken, webhookTokenMatch } from './webhook-token.js'

/**
 * How far along a status is; `failed` and `delivered` are both final. A send recorded `unknown`
 * (its answer never came, see deliver.ts) ranks 0: any receipt moves it.
 */
const RANK: Record<DeliveryStatus, number> = { queued: 1, sent: 2, delivered: 3, failed: 3 }
/** How old a send recorded `unknown` may be for a receipt to claim it by its destination. */
const UNKNOWN_CLAIM_MS = 24 * 60 * 60_000

const Received = json(z.object({ received: z.literal(true) }), 'Receipt taken')

export function webhookRoutes(ctx: Ctx) {
  const app = router()
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks/{provider}',
      operationId: 'receiveWebhook',
      summary: 'Twilio status callbacks, signed with X-Twilio-Signature',
      description:
        'Callbacks must carry a valid X-Twilio-Signature for the public URL (401 otherwise). ' +
        'Clickatell and Smstools receipts go to their URL with its token (401 here). A receipt ' +
        'for an unknown message is answered 200 like any other.',
      request: { params: z.object({ provider: z.string().max(64) }) },
      responses: { 200: Received, ...errors(400, 401, 404) },
    }),
    (c) => receive(ctx, c, c.req.valid('param').provider, undefined),
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks/{provider}/{token}',
      operationId: 'receiveTokenWebhook',
      summary: 'Clickatell and Smstools receipts, at the URL the admin integration view shows',
      description:
        'These providers sign nothing: the URL holds a secret per provider (`callbackUrl` of ' +
        '`GET /v1/admin/integrations`). A wrong token is a 401 and changes nothing.',
      request: { params: z.object({ provider: z.string().max(64), token: z.string() }) },
      responses: { 200: Received, ...errors(400, 401, 404) },
    }),
    (c) => {
      const { provider, token } = c.req.valid('param')
      return receive(ctx, c, provider, token)
    },
  )
  return app
}

async function receive(ctx: Ctx, c: Context, name: string, token: string | undefined) {
  const provider = isClientName(name) ? name : undefined
  const receipts = provider ? receiptsOf(provider) : undefined
  if (!provider || !receipts)
    throw new ApiError('not_found', 'This provider sends no receipts here.')
  const refuse = (reason: string, detail: string) => {
    // Never the token or the body: the reason is enough to tell a misconfigured portal.
    ctx.log('webhook.refused', { provider, reason })
    return new ApiError('unauthorized', detail)
  }
  if (usesUrlToken(provider)) {
    const match = webhookTokenMatch(ctx.keys, provider, token)
    if (!match) {
      throw refuse(
        token === undefined ? 'no_token' : 'token',
        'This is not the receipt URL of this integration: copy it from the admin page.',
      )
    }
    // The portal still has the URL of a rotation's other secret: it stops working without it.
    if (match === 'other') ctx.log('webhook.previous_url', { provider })
  } else if (token !== undefined) {
    throw new ApiError('not_found', `Receipts of ${provider} go to /v1/webhooks/${provider}.`)
  }
  const credentials = await openCredentials(ctx, await readIntegration(ctx.db, provider))
  // A provider that signs (Twilio, with the auth token): without the key nothing can be trusted.
  if (receipts.auth.kind === 'signature' && !credentials[receipts.auth.key]) {
    throw refuse('no_credentials', 'The signature cannot be checked.')
  }
  // The provider signed the URL it was given, built on the public URL (we may sit behind a proxy).
  const url = new URL(c.req.url)
  const publicUrl = `${ctx.config.publicUrl}${url.pathname}${url.search}`
  const { parse, destination } = receipts
  const copy = destination ? c.req.raw.clone() : undefined
  let result: Awaited<ReturnType<typeof parse>>
  try {
    result = await parse(c.req.raw, { credentials, url: publicUrl })
  } catch {
    result = { ok: false, reason: 'malformed' }
  }
  if (!result.ok) {
    if (result.reason === 'signature') throw refuse('signature', 'The signature does not match.')
    ctx.log('webhook.refused', { provider, reason: result.reason })
    throw new ApiError('invalid_request', 'This is not a receipt this provider sends.')
  }
  const to = copy && destination ? await destination(copy).catch(() => undefined) : undefined
  const matched = await applyReceipt(ctx, provider, result.receipt, to)
  ctx.log('webhook.receipt', { provider, status: result.receipt.status, matched })
  return c.json({ received: true as const }, 200)
}

/**
 * One write, guarded in SQL, so receipts arriving out of order never move a status back. A receipt
 * for a message id we know moves that record. Otherwise, when it names its destination `to`, it
 * claims the newest send to that number recorded `unknown` within a day on which this provider
 * timed out (the request reached it, its answer never reached us): the record takes the receipt's
 * status and message id, so later receipts match it by id.
 */
export async function applyReceipt(
  ctx: Ctx,
  provider: ProviderName,
  receipt: DeliveryReceipt,
  to?: string,
): Promise<boolean> {
  const now = ctx.clock()
  const args = {
    status: receipt.status,
    error: receipt.error ?? null,
    now,
    provider,
    id: receipt.messageId,
  }
  const byId = {
    sql: `UPDATE messages SET status = :status, error = COALESCE(:error, error), updated_at = :now
          WHERE provider = :provider AND provider_message_id = :id
            AND (CASE status WHEN 'unknown' THEN 0 WHEN 'queued' THEN 1 WHEN 'sent' THEN 2
                 WHEN 'delivered' THEN 3 WHEN 'failed' THEN 3 ELSE 0 END) < :rank`,
    args: { ...args, rank: RANK[receipt.status] },
  }
  const byDestination = {
    sql: `UPDATE messages SET status = :status, provider = :provider, provider_message_id = :id,
            error = COALESCE(:error, error), updated_at = :now
          WHERE id = (SELECT m.id FROM messages m
                      WHERE m.status = 'unknown' AND m.to_hash = :to AND m.created_at > :since
                        AND m.provider_message_id IS NULL
                        AND EXISTS (SELECT 1 FROM json_each(m.attempts)
                                    WHERE json_extract(value, '$.provider') = :provider
                                      AND json_extract(value, '$.status') = 'timeout')
                      ORDER BY m.created_at DESC LIMIT 1)
            AND NOT EXISTS (SELECT 1 FROM messages
                            WHERE provider = :provider AND provider_message_id = :id)`,
    args: { ...args, to: to ? phoneHash(ctx.keys, to) : '', since: now - UNKNOWN_CLAIM_MS },
  }
  const results = await ctx.db.batch(to ? [byId, byDestination] : [byId], 'write')
  return results.some((r) => r.rowsAffected > 0)
}
