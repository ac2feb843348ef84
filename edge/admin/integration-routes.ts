/** /v1/admin/integrations: the SMS and voice providers, behind the admin token. */
import { createRoute, z } from '@hono/zod-openapi'
import { ChannelSchema } from '../../shared/enums.js'
import type { Ctx } from '../context.js'
import { randomDigits } from '../crypto/random.js'
import { adminActor, adminAuth } from '../http/auth.js'
import { ApiError } from '../http/errors.js'
import { jsonBody } from '../http/json-body.js'
import { adminToken, body, errors, json, router, use } from '../http/openapi.js'
import { sendMessage, type Plan } from '../messages/deliver.js'
import { codeText, publicHost, voiceText } from '../messages/text.js'
import { screenDestination } from '../phone.js'
import { NEVER_SENT, resolvePhone } from '../test-numbers/resolve.js'
import { clientFor } from '../providers/index.js'
import { audit } from '../audit/audit.js'
import { baseUrlProblem } from '../integrations/base-url.js'
import { IntegrationPut, IntegrationView, PROVIDERS } from '../integrations/integration-schemas.js'
import {
  knownProvider,
  openCredentials,
  putIntegration,
  readIntegration,
  readIntegrations,
} from '../integrations/integrations.js'
import { viewOf } from '../integrations/integration-view.js'
import { siteConfig } from '../settings/settings.js'

const ProviderParam = z.object({ provider: z.string().max(64) })

const TestRequest = z
  .object({
    phone: z.string().min(1).max(64),
    country: z.string().length(2).optional(),
    channel: ChannelSchema.default('sms'),
  })
  .strict()

const TestResult = z.object({
  provider: z.enum(PROVIDERS),
  /** `unknown`: no answer in time; the message may still arrive. */
  outcome: z.enum(['sent', 'rejected', 'unknown', 'unavailable']),
  messageId: z.string().optional(),
  /** The provider's answer, cleaned of credentials, codes and numbers. */
  error: z.string().optional(),
  attempts: z.array(
    z.object({
      provider: z.string(),
      status: z.enum(['sent', 'rejected', 'failed', 'timeout']),
      error: z.string().optional(),
      ms: z.number(),
    }),
  ),
})

export function integrationRoutes(ctx: Ctx) {
  const app = router()
  const admin = adminAuth(ctx)
  const reader = adminAuth(ctx, 'support')
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/integrations',
      operationId: 'listIntegrations',
      summary: 'Every provider and its configuration (credentials masked)',
      security: adminToken,
      middleware: use(reader),
      responses: {
        200: json(z.object({ integrations: z.array(IntegrationView) }), 'The integrations'),
        ...errors(401, 403),
      },
    }),
    async (c) => {
      const stored = await readIntegrations(ctx.db)
      const integrations = await Promise.all(PROVIDERS.map((p) => viewOf(ctx, p, stored.get(p))))
      return c.json({ integrations }, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/integrations/{provider}',
      operationId: 'getIntegration',
      summary: 'One provider and its configuration (credentials masked)',
      security: adminToken,
      middleware: use(reader),
      request: { params: ProviderParam },
      responses: { 200: json(IntegrationView, 'The integration'), ...errors(401, 403, 404) },
    }),
    async (c) => {
      const provider = knownProvider(c.req.valid('param').provider)
      return c.json(await viewOf(ctx, provider, await readIntegration(ctx.db, provider)), 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/admin/integrations/{provider}',
      operationId: 'putIntegration',
      summary: 'Configure a provider (credentials are write-only)',
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: { params: ProviderParam, ...body(IntegrationPut) },
      responses: {
        200: json(IntegrationView, 'The integration'),
        ...errors(400, 401, 403, 404, 409, 413),
      },
    }),
    async (c) => {
      const provider = knownProvider(c.req.valid('param').provider)
      const put = c.req.valid('json')
      const saved = await putIntegration(ctx, provider, put)
      await audit(ctx, {
        actor: adminActor(c),
        action: 'admin.integration',
        outcome: 'ok',
        detail: {
          provider,
          enabled: saved.enabled,
          priority: saved.priority,
          voice: saved.voice,
          failoverAfterTimeout: saved.failoverAfterTimeout,
          baseUrl: saved.baseUrl,
          credentials: put.credentials === undefined ? 'kept' : 'replaced',
        },
      })
      return c.json(await viewOf(ctx, provider, saved), 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/integrations/{provider}/test',
      operationId: 'testIntegration',
      summary: 'Send a test code through this provider only (enabled or not)',
      security: adminToken,
      middleware: use(jsonBody, admin),
      request: { params: ProviderParam, ...body(TestRequest) },
      responses: {
        200: json(TestResult, 'What the provider answered'),
        ...errors(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const provider = knownProvider(c.req.valid('param').provider)
      const { phone, country, channel } = c.req.valid('json')
      const { settings, listed: codes } = await siteConfig(ctx)
      const listed = await resolvePhone(codes, phone, country ?? settings.defaultCountry)
      const to = listed.n
      if (listed.testCode !== null) throw new ApiError('invalid_phone', NEVER_SENT)
      // A test message costs money too: never to a premium-rate or other costly number.
      screenDestination(to, channel)
      if (provider === 'console' && ctx.config.mode === 'production') {
        throw new ApiError(
          'policy_violation',
          'The console provider only exists in development mode.',
        )
      }
      const stored = await readIntegration(ctx.db, provider)
      // Stored before the production rule on baseUrl (integrations/base-url.ts): refused before any request.
      const refused = baseUrlProblem(ctx.config, stored?.baseUrl)
      if (refused) {
        throw new ApiError(
          'invalid_request',
          'The stored baseUrl is not allowed: change it first.',
          {
            errors: [refused],
          },
        )
      }
      const client = clientFor(provider)
      const plan: Plan = client
        ? {
            providers: [
              {
                name: provider,
                client,
                credentials: await openCredentials(ctx, stored),
                baseUrl: stored?.baseUrl ?? undefined,
                // The test may try the voice channel before the admin switches it on.
                voice: true,
              },
            ],
            console: false,
          }
        : { providers: [], console: true }
      // A real code message (not tied to any verification): what users will receive.
      const code = randomDigits(settings.codeLength)
      const text =
        channel === 'voice'
          ? voiceText(settings, code)
          : codeText(settings, publicHost(ctx.config.publicUrl), code)
      const result = await sendMessage(
        ctx,
        { to: to.e164, channel, text, code, kind: 'code', locale: 'en' },
        null,
        plan,
      )
      await audit(ctx, {
        actor: adminActor(c),
        action: 'admin.integration.test',
        outcome: result.outcome,
        phoneMasked: to.masked,
        detail: { provider, channel },
      })
      const last = result.attempts.at(-1)
      return c.json(
        {
          provider,
          outcome: result.outcome,
          ...(result.outcome === 'sent' ? { messageId: result.messageId } : {}),
          ...(result.outcome !== 'sent'
            ? { error: last?.error ?? `${provider} cannot take this destination on ${channel}` }
            : {}),
          attempts: result.attempts.map(({ provider: p, status, error, ms }) => ({
            provider: p,
            status,
            ...(error ? { error } : {}),
            ms,
          })),
        },
        200,
      )
    },
  )
  return app
}
