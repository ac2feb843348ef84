/** Request and response types of API.md (v1), as the widget sees them. */

/** The error codes of API.md plus the ones the widget raises itself. */
export type ApiErrorCode =
  | 'invalid_request'
  | 'invalid_phone'
  | 'country_not_allowed'
  | 'origin_not_allowed'
  | 'rate_limited'
  | 'invalid_code'
  | 'too_many_attempts'
  | 'verification_expired'
  | 'verification_not_found'
  | 'verification_used'
  | 'phone_taken'
  | 'email_taken'
  | 'invalid_credentials'
  | 'unauthorized'
  | 'forbidden'
  | 'policy_violation'
  | 'provider_unavailable'
  | 'payload_too_large'

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
}

export type Purpose = 'register' | 'login' | 'mfa' | 'enroll' | 'change_phone'
export type Channel = 'sms' | 'voice'
export type MfaMethod = 'sms' | 'totp' | 'backup_code'

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

export function isMfaChallenge(r: object): r is MfaChallenge {
  return 'mfaRequired' in r && r.mfaRequired === true
}

export function isSignedIn(r: object): r is SignedIn {
  return 'session' in r && 'user' in r
}
