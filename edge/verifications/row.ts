/** A verification row as the state machine reads it (store.ts writes it). */
import type { Row } from '@libsql/client'
import type { Channel } from '../../shared/enums.js'
import type { Purpose } from './states.js'

export interface VerificationRow {
  id: string
  purpose: Purpose
  /** HMAC of the E.164 number (limits and budgets). */
  phoneHash: string
  phoneMasked: string
  /** AES-GCM of {phone, code} while live; null once the verification has ended. */
  sealed: string | null
  /** HMAC(id ‖ purpose ‖ code). */
  codeHash: string
  userId: string | null
  sessionId: string | null
  /** SHA-256 of the mfa ticket this verification finishes (never the ticket itself). */
  ticket: string | null
  channel: Channel
  codeLength: number
  attempts: number
  maxAttempts: number
  sends: number
  createdAt: number
  expiresAt: number
  resendAt: number
  approvedAt: number | null
  locale: string
  silent: boolean
  /** The WebOTP line's host, chosen at start (http/origin.ts webOtpHost); null: the public URL's. */
  webOtpHost: string | null
  /** To a listed test number (edge/test-numbers/): its fixed code, nothing ever sent. */
  test: boolean
}

export const COLUMNS = `id, purpose, phone_hash, phone_masked, sealed, code_hash, user_id, session_id,
  ticket_id, channel, code_length, attempts, max_attempts, sends, created_at, expires_at, resend_at,
  approved_at, locale, silent, webotp_host, test`

const textOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v))

export function fromRow(r: Row): VerificationRow {
  return {
    id: String(r.id),
    purpose: String(r.purpose) as Purpose,
    phoneHash: String(r.phone_hash),
    phoneMasked: String(r.phone_masked),
    sealed: textOrNull(r.sealed),
    codeHash: String(r.code_hash),
    userId: textOrNull(r.user_id),
    sessionId: textOrNull(r.session_id),
    ticket: textOrNull(r.ticket_id),
    channel: String(r.channel) as Channel,
    codeLength: Number(r.code_length),
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    sends: Number(r.sends),
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    resendAt: Number(r.resend_at),
    approvedAt: r.approved_at === null ? null : Number(r.approved_at),
    locale: String(r.locale),
    silent: Number(r.silent) === 1,
    webOtpHost: textOrNull(r.webotp_host),
    test: Number(r.test) === 1,
  }
}
