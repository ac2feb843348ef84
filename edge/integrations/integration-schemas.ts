/** The request and response shapes of /v1/admin/integrations, and each provider's credentials. */
import { z } from '@hono/zod-openapi'
import { ChannelSchema } from '../../shared/enums.js'
import { CLIENT_NAMES, registry, type ProviderName } from '../providers/registry.js'
import type { CredentialSchema } from '../providers/types.js'

/** `console` (development only), then the providers of registry.ts in its order. */
export const PROVIDERS = ['console', ...CLIENT_NAMES] as [ProviderName, ...ProviderName[]]

/** Where a provider sits when the admin gives no priority: after any explicit choice. */
export const DEFAULT_PRIORITY = 100

/**
 * docs/api.md's credential fields per provider, from each provider's `credentials.ts`. Unknown fields
 * are refused: a typo is never stored.
 */
export const CREDENTIALS = {
  console: z.object({}).strict(),
  ...Object.fromEntries(Object.entries(registry).map(([name, d]) => [name, d.credentials])),
} as Record<ProviderName, CredentialSchema>

/** One credential field, for the admin page to render its form from (providers/fields.ts). */
const CredentialField = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(['text', 'password']),
  required: z.boolean(),
  secret: z.boolean(),
  help: z.string().optional(),
  /** A pattern the browser checks too (the server checks every field whatever it says). */
  pattern: z.string().optional(),
})

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
  channels: z.array(ChannelSchema),
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
  /** What the admin page calls it. */
  title: z.string(),
  /** The documented origin that `baseUrl` replaces; null: the console provider has none. */
  origin: z.string().nullable(),
  /** The credential fields, in order, from the provider's schema. */
  fields: z.array(CredentialField),
  /** For a `callbackUrl` holding a token: where in the provider's portal it goes. */
  receiptsHelp: z.string().nullable(),
})
export type IntegrationView = z.infer<typeof IntegrationView>
