/**
 * Events to the site's backend (docs/api.md, Events): the event types, the payload each carries,
 * and the admin API's endpoint and delivery shapes. Declared once; the edge validates with them and
 * documents them in its OpenAPI document, a site's backend can import the types.
 */
import { z } from 'zod'
import { BreakerKind } from './breaker-schemas.js'

/** Every event type sms-auth sends, in the order docs/api.md lists them. */
export const EventType = z.enum([
  'user.created',
  'user.updated',
  'user.deleted',
  'session.created',
  'session.revoked',
  'phone.changed',
  'factor.enabled',
  'factor.disabled',
  'password.reset',
  /** A daily or monthly spend cap was reached (once per period; no userId). */
  'spend.cap_reached',
  /** The pumping breaker blocked a prefix or a country (once per trip; no userId). */
  'breaker.tripped',
])
export type EventType = z.infer<typeof EventType>

/**
 * The `data` of an event: ids and non-secret fields only (never a code, a token or a password).
 * The phone, in E.164, is the site's own data: it comes with user.created and phone.changed.
 */
export const EventData = z.object({
  /** Every event of an account has it; spend.cap_reached and breaker.tripped have none. */
  userId: z.string().optional(),
  sessionId: z.string().optional(),
  phone: z.string().nullable().optional(),
  email: z.string().optional(),
  /** session.created: the factors of the sign-in; factor.*: the factor. */
  methods: z.array(z.string()).optional(),
  factor: z.string().optional(),
  /** session.revoked: why (logout, refresh_reuse, factor_change, password_reset, …). */
  reason: z.string().optional(),
  /** user.updated: which fields changed (name, email, password, disabled). */
  fields: z.array(z.string()).optional(),
  /** spend.cap_reached: which cap (daily, monthly), its UTC period, the cap and the spend (micro-USD). */
  cap: z.enum(['daily', 'monthly']).optional(),
  period: z.string().optional(),
  capMicros: z.number().int().optional(),
  spentMicros: z.number().int().optional(),
  /**
   * breaker.tripped: what tripped (`kind`, `scope`: a prefix `+4479460` or a country `GB`), its
   * country, the window's first codes sent and verified and their ratio, the block's end (ISO
   * 8601) and the trips within a day (each doubles the cool-down).
   */
  kind: BreakerKind.optional(),
  scope: z.string().optional(),
  country: z.string().optional(),
  sent: z.number().int().optional(),
  verified: z.number().int().optional(),
  conversion: z.number().optional(),
  until: z.string().optional(),
  trips: z.number().int().optional(),
})
export type EventData = z.infer<typeof EventData>

/** The JSON body POSTed to an endpoint (Standard Webhooks: the id is also `webhook-id`). */
export const EventPayload = z.object({
  id: z.string(),
  type: EventType,
  /** ISO 8601, when the change committed. */
  timestamp: z.string(),
  data: EventData,
})
export type EventPayload = z.infer<typeof EventPayload>

const EndpointUrl = z.string().max(2000)

export const EventEndpointCreate = z
  .object({
    url: EndpointUrl,
    /** The types this endpoint receives; empty or absent: every type. */
    types: z.array(EventType).max(EventType.options.length).default([]),
    enabled: z.boolean().default(true),
    description: z.string().max(200).optional(),
  })
  .strict()

export const EventEndpointPatch = z
  .object({
    url: EndpointUrl.optional(),
    types: z.array(EventType).max(EventType.options.length).optional(),
    enabled: z.boolean().optional(),
    description: z.string().max(200).optional(),
  })
  .strict()

export const EventEndpoint = z.object({
  id: z.string(),
  url: z.string(),
  types: z.array(EventType),
  enabled: z.boolean(),
  description: z.string().nullable(),
  createdAt: z.string(),
  /** Until when the secret before the last rotation is still signed with (null: none). */
  previousSecretUntil: z.string().nullable(),
})
export type EventEndpoint = z.infer<typeof EventEndpoint>

/** The answer of a create and of a rotation: the `whsec_…` secret, shown this once. */
export const EventEndpointWithSecret = z.object({ endpoint: EventEndpoint, secret: z.string() })

export const DeliveryState = z.enum(['pending', 'succeeded', 'failed'])

export const EventAttempt = z.object({
  at: z.string(),
  /** The HTTP status, or null when no answer came (timeout, refused connection). */
  status: z.number().nullable(),
  durationMs: z.number(),
  error: z.string().nullable(),
})

export const EventDelivery = z.object({
  id: z.string(),
  eventId: z.string(),
  type: EventType,
  state: DeliveryState,
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  log: z.array(EventAttempt),
})
export type EventDelivery = z.infer<typeof EventDelivery>
