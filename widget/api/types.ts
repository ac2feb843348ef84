/** Request and response types of API.md (v1), as the widget sees them. */

import type { ErrorCode as ServerErrorCode, ReauthMethod } from '../../shared/errors.js'

export type { ReauthMethod }

/**
 * The error codes of API.md, as `shared/errors.ts` lists them (a type import: no bytes). Routing
 * and server faults the widget never asks for stay out, so they read as `unknown_error`.
 */
export type ApiErrorCode = Exclude<
  ServerErrorCode,
  'not_found' | 'method_not_allowed' | 'unsupported_media_type' | 'internal_error'
>

/** Codes the widget raises without a response: no network, or a response it cannot read. */
export type ClientErrorCode = 'network_error' | 'unknown_error'
export type ErrorCode = ApiErrorCode | ClientErrorCode

/** The application/problem+json body (RFC 9457). */
export interface Problem {
  type?: string
  title?: string
  status: number
  code: string
  detail?: string
  attemptsLeft?: number
  retryAfter?: number
  errors?: { path: string; message: string }[]
  /** `reauthentication_required`: the factors this account can prove now, preferred first. */
  methods?: ReauthMethod[]
  /** `invalid_phone` for a number that takes only some channels (a landline: `["voice"]`). */
  channels?: Channel[]
}

export type Purpose = 'register' | 'login' | 'mfa' | 'enroll' | 'change_phone' | 'reauth'
export type Channel = 'sms' | 'voice'
/** What finishes a sign-in's second step (`password`: after an SMS code). */
export type MfaMethod = 'sms' | 'totp' | 'backup_code' | 'password'

export interface PublicConfig {
  siteName: string
  defaultCountry: string
  allowedCountries: string[] | null
  codeLength: number
  channels: Channel[]
  resendCooldownSeconds: number
  phoneLogin: boolean
  phoneRegistration: boolean
  passwordLogin: boolean
}

export interface StartVerificationRequest {
  purpose: Purpose
  phone?: string
  country?: string
  channel?: Channel
  locale?: string
  mfaTicket?: string
}

export interface Verification {
  id: string
  purpose: Purpose
  channel: Channel
  /** Masked destination, e.g. `+91•••••••210`. */
  to: string
  codeLength: number
  expiresAt: string
  resendAt: string
  attemptsLeft: number
}

export interface TwoStep {
  sms: boolean
  totp: boolean
  backupCodesRemaining: number
}

export interface User {
  id: string
  name: string
  email: string | null
  phone: string | null
  phoneVerified: boolean
  twoStep: TwoStep
  createdAt: string
}

export interface Session {
  accessToken: string
  tokenType: 'Bearer'
  expiresIn: number
  refreshToken: string
}

export interface SignedIn {
  user: User
  session: Session
}

export interface MfaChallenge {
  mfaRequired: true
  mfaTicket: string
  methods: MfaMethod[]
  /** Masked phone, present when `sms` is offered. */
  phone?: string
}

/** Every shape `POST /v1/verifications/{id}/check` answers with `status: "approved"`. */
export type CheckResult =
  | { status: 'approved'; registrationTicket: string; phone: string }
  | ({ status: 'approved' } & SignedIn)
  | ({ status: 'approved' } & MfaChallenge)
  | { status: 'approved'; user: User }

export type SignInResult = SignedIn | MfaChallenge

export type CreateUserRequest =
  | { registrationTicket: string; name: string; email: string }
  | { email: string; password: string; name: string }

export interface TotpSetup {
  secret: string
  otpauthUrl: string
}

export type RemovePhoneRequest = { totpCode: string } | { backupCode: string }

/** `POST /v1/me/reauth`: exactly one factor (SMS goes through `purpose: "reauth"`). */
export type ReauthRequest = { password: string } | { totpCode: string } | { backupCode: string }

export interface ReauthResult {
  method: ReauthMethod
  /** When the proof stops counting. */
  expiresAt: string
}

export function isMfaChallenge(r: object): r is MfaChallenge {
  return 'mfaRequired' in r && r.mfaRequired === true
}

export function isSignedIn(r: object): r is SignedIn {
  return 'session' in r && 'user' in r
}
