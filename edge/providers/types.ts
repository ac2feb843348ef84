/**
 * The contract between the core and the SMS/voice providers.
 * A provider client turns "send this text (or speak this code) to this E.164 number" into its
 * documented HTTP call, and the answer into sent / rejected (permanent) / failed (retryable).
 */
import type { z } from '@hono/zod-openapi'
import type { Channel } from '../../shared/enums.js'
import type { FailureReason, PermanentReason, RetryableReason } from './reasons.js'

export type { FailureReason } from './reasons.js'
export type { Channel }

export interface OutboundMessage {
  /** E.164 destination, e.g. +919876543210 */
  to: string
  channel: Channel
  /** The full SMS text (code messages end with the WebOTP line `@host #code`). */
  text: string
  /** The code, for voice calls and for providers that template it themselves (2Factor.in). */
  code?: string
  /** 'code': a one-time code; 'notice': a plain notification (phone changed, backup code used). */
  kind: 'code' | 'notice'
  locale: string
}

export type SendResult =
  | { status: 'sent'; messageId: string }
  | { status: 'rejected'; error: string; reason: PermanentReason }
  | { status: 'failed'; error: string; reason: RetryableReason }
  /**
   * No answer in time: the request may have reached the provider, so the message may still be
   * delivered (docs/security.md, case T38). Not a failure: nothing proves the provider refused it.
   */
  | { status: 'unknown'; error: string }

/** What a client needs for one send; `baseUrl` replaces the documented origin, paths stay. */
export interface SendContext {
  credentials: Record<string, string>
  baseUrl?: string
  fetch: typeof fetch
  /** Covers the whole exchange, body included. Default 5000; the router caps it to its budget. */
  timeoutMs?: number
  /** Where the provider should post delivery receipts, for those that take it per request. */
  statusCallbackUrl?: string
}

/** One provider's client: stateless, never throws, never retries. */
export interface ProviderClient {
  /** Its folder's name, and its key in registry.ts. */
  name: string
  /** The channels this provider can carry at all (voice also needs `voice: true` from the admin). */
  channels: readonly Channel[]
  /** The documented origin that `baseUrl` replaces. */
  origin: string
  /** Credential keys of docs/api.md: required ones, then optional ones (from credentials.ts). */
  credentials: { required: readonly string[]; optional: readonly string[] }
  /** Whether this provider can take this E.164 destination on this channel. */
  eligible(to: string, channel: Channel): boolean
  send(msg: OutboundMessage, ctx: SendContext): Promise<SendResult>
}

/** A delivery receipt normalised from a provider callback. */
export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'failed'

export interface DeliveryReceipt {
  /** The provider's message id, as returned by `send`. */
  messageId: string
  status: DeliveryStatus
  /** The provider's status word or code, for the record. */
  providerStatus: string
  error?: string
}

export type ReceiptResult =
  | { ok: true; receipt: DeliveryReceipt }
  /** `signature`: refuse with 403; `malformed`: 400 (or ignore). */
  | { ok: false; reason: 'signature' | 'malformed' }

export interface ReceiptContext {
  /** The integration's credentials (the Twilio auth token signs callbacks). */
  credentials: Record<string, string>
  /** The public URL the provider called, when it differs from `request.url` (behind a proxy). */
  url?: string
}

export type ReceiptParser = (request: Request, ctx: ReceiptContext) => Promise<ReceiptResult>

/**
 * The destination a receipt names, in E.164 (read from a copy of the request, after the parser
 * authenticated it): it matches the receipt to a send whose answer never came, recorded `unknown`
 * with no message id.
 */
export type ReceiptDestination = (request: Request) => Promise<string | undefined>

/**
 * A provider's error answer, as its `errors.ts` classifies it: the HTTP status, its own error code
 * if it gave one (as a string), and its error text. No code and no text: the answer had no error
 * we could read (a 2xx without a message id, a bare 4xx or 5xx).
 */
export interface ProviderFailure {
  status: number
  code?: string
  text?: string
}

/** Turns a provider's error answer into a typed reason (the status follows from it). */
export type Classify = (failure: ProviderFailure) => FailureReason

/** How a provider's receipts reach `POST /v1/webhooks/{provider}`. */
export interface ReceiptSupport {
  parse: ReceiptParser
  /**
   * `signature`: the provider signs each callback with the credential `key` (the URL is plain);
   * `url-token`: it signs nothing, so the URL carries our secret token (messages/webhook-token.ts).
   */
  auth: { kind: 'signature'; key: string } | { kind: 'url-token' }
  /** Reads the destination, to match a receipt to a send whose answer never came. */
  destination?: ReceiptDestination
  /** For `url-token`: where in the provider's portal the admin pastes the URL. */
  portalHint?: string
}

/** The schema of a provider's credentials: a strict zod object whose fields carry `FieldMeta`. */
export type CredentialSchema = z.ZodObject

/**
 * Everything about one provider, from its folder (`edge/providers/<name>/index.ts`): registry.ts
 * lists these, and the rest of the server asks the registry, never a provider by name.
 */
export interface ProviderDefinition {
  /** What the admin page calls it. */
  title: string
  client: ProviderClient
  /** docs/api.md's credential fields: checked on PUT, rendered by the admin page through the API. */
  credentials: CredentialSchema
  classify: Classify
  /** Null: the provider documents no delivery receipts. */
  receipts: ReceiptSupport | null
}
