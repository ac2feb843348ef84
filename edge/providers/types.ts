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
