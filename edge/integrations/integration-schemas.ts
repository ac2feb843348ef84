/** The request and response shapes of /v1/admin/integrations, and each provider's credentials. */
import { z } from '@hono/zod-openapi'
import type { ProviderName } from '../providers/types.js'

export const PROVIDERS = [
  'console',
  'twilio',
  'clickatell',
  'twofactor',
  'smstools',
] as const satisfies readonly ProviderName[]

/** Where a provider sits when the admin gives no priority: after any explicit choice. */
export const DEFAULT_PRIORITY = 100

const secret = z.string().min(1).max(512)
const INTERNATIONAL = /^\+?[1-9]\d{6,14}$/

/** API.md's credential fields per provider. Unknown fields are refused: a typo is never stored. */
export const CREDENTIALS = {
  console: z.object({}).strict(),
  twilio: z
    .object({
      accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID: AC and 32 hex digits'),
      authToken: secret,
      // An E.164 number, a Messaging Service SID or an alphanumeric sender id.
      from: z
        .string()
        .regex(
          /^(?:\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32}|[A-Za-z0-9 ]{1,11})$/,
          'an E.164 number, a Messaging Service SID (MG…) or a sender id of up to 11 characters',
        ),
    })
    .strict(),
  clickatell: z
    .object({
      apiKey: secret,
      twoWayNumber: z.string().regex(INTERNATIONAL, 'an international number').optional(),
    })
    .strict(),
  twofactor: z
    .object({
      apiKey: secret,
      senderId: z.string().min(1).max(11).optional(),
      templateName: z.string().min(1).max(64).optional(),
    })
    .strict(),
  smstools: z
    .object({ clientId: secret, clientSecret: secret, sender: z.string().min(1).max(15) })
    .strict(),
} satisfies Record<ProviderName, z.ZodType>

export const IntegrationPut = z
  .object({
    enabled: z.boolean(),
    /** Lower is tried first. */
    priority: z.number().int().min(0).max(10_000).optional(),
    /** Omitted: the stored credentials stay. Checked per provider (CREDENTIALS). */
    credentials: z.record(z.string(), z.string().max(512)).optional(),
    /** The provider's origin (scheme, host, port); null restores the documented one. */
    baseUrl: z.string().max(2048).nullable().optional(),
    voice: z.boolean().optional(),
    /**
     * After a timeout of this provider, try the next one. Off by default: a timed-out request
     * may still be delivered, so failing over may send the user two messages.
     */
    failoverAfterTimeout: z.boolean().optional(),
  })
  .strict()
export type IntegrationPut = z.infer<typeof IntegrationPut>

export const IntegrationView = z.object({
  provider: z.enum(PROVIDERS),
  enabled: z.boolean(),
  priority: z.number(),
  voice: z.boolean(),
  failoverAfterTimeout: z.boolean(),
  baseUrl: z.string().nullable(),
  channels: z.array(z.enum(['sms', 'voice'])),
  /** Masked: `••••` plus at most the last 4 characters of a long value. Never the secret. */
  credentials: z.record(z.string(), z.string()).nullable(),
  /** Required credential fields that are not set. */
  missing: z.array(z.string()),
  /**
   * Where the provider posts delivery receipts: to paste into the Clickatell or Smstools portal
   * (it holds their secret token); Twilio's is sent with every message. Null: no receipts.
   */
  callbackUrl: z.string().nullable(),
  updatedAt: z.string().nullable(),
})
export type IntegrationView = z.infer<typeof IntegrationView>
