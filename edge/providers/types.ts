/**
 * The contract between the core and the SMS/voice providers.
 * A provider client turns "send this text (or speak this code) to this E.164 number" into its
 * documented HTTP call, and the answer into sent / rejected (permanent) / failed (retryable).
 */
export type Channel = 'sms' | 'voice'
export type ProviderName = 'console' | 'twilio' | 'clickatell' | 'twofactor' | 'smstools'

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
  | { status: 'rejected'; error: string }
  | { status: 'failed'; error: string }
  /**
   * No answer in time: the request may have reached the provider, so the message may still be
   * delivered (SECURITY.md T38). Not a failure: nothing proves the provider refused it.
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
  name: Exclude<ProviderName, 'console'>
  /** The channels this provider can carry at all (voice also needs `voice: true` from the admin). */
  channels: readonly Channel[]
  /** The documented origin that `baseUrl` replaces. */
  origin: string
  /** Credential keys of API.md: required ones, then optional ones. */
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
