/**
 * Request and response types of docs/api.md (v1), as the widget sees them: inferred from the schemas of
 * shared/ (type imports only, so none of zod or the schemas reaches widget.js).
 */

import type { z } from 'zod'
import type { ErrorCode as ServerErrorCode, Problem as ServerProblem } from '../../shared/errors.js'
import type {
  CreateUserBody,
  ReauthBody,
  RemovePhoneBody,
  StartVerificationBody,
  UserSession,
} from '../../shared/schemas.js'

export type { ReauthMethod } from '../../shared/errors.js'
export type {
  Channel,
  MfaChallenge,
  MfaMethod,
  PublicConfig,
  Purpose,
  ReauthResult,
  Session,
  TotpSetup,
  User,
  Verification,
} from '../../shared/schemas.js'
import type { MfaChallenge, User } from '../../shared/schemas.js'
import type { PasswordResetStart, ResetApproved } from './account-types.js'
export type {
  AccountUser,
  DeviceSession,
  PasswordResetRequest,
  PasswordResetStart,
  ProfilePatch,
  ResetApproved,
  ResetMethod,
  SetPasswordRequest,
} from './account-types.js'

/**
 * The error codes of docs/api.md, as `shared/errors.ts` lists them (a type import: no bytes). Routing
 * and server faults the widget never asks for stay out, so they read as `unknown_error`.
 */
export type ApiErrorCode = Exclude<
  ServerErrorCode,
  | 'not_found'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'internal_error'
  // Admin routes only (the admin page's: test numbers, admin accounts).
  | 'already_exists'
  | 'admin_exists'
>

/** Codes the widget raises without a response: no network, or a response it cannot read. */
export type ClientErrorCode = 'network_error' | 'unknown_error'
export type ErrorCode = ApiErrorCode | ClientErrorCode

/** The application/problem+json body (RFC 9457), as read from a response nobody checked. */
export type Problem = Partial<ServerProblem>

/** `POST /v1/verifications`; `channel` defaults to `sms`. */
export type StartVerificationRequest = z.input<typeof StartVerificationBody> | PasswordResetStart

export type TwoStep = User['twoStep']
export type SignedIn = z.infer<typeof UserSession>

/** Every shape `POST /v1/verifications/{id}/check` answers with `status: "approved"`. */
export type CheckResult =
  | { status: 'approved'; registrationTicket: string; phone: string }
  | ({ status: 'approved' } & SignedIn)
  | ({ status: 'approved' } & MfaChallenge)
  | { status: 'approved'; user: User }
  | ResetApproved

export type SignInResult = SignedIn | MfaChallenge

type CreateUserFields = z.input<typeof CreateUserBody>
/** `POST /v1/users`: a registration ticket, or a password (the body's refine: exactly one). */
export type CreateUserRequest =
  | (Omit<CreateUserFields, 'password'> & { registrationTicket: string })
  | (Omit<CreateUserFields, 'registrationTicket'> & { password: string })

type RemovePhoneFields = z.input<typeof RemovePhoneBody>
/** `POST /v1/me/phone/remove`: a TOTP code or a backup code (the body's refine: exactly one). */
export type RemovePhoneRequest =
  Required<Pick<RemovePhoneFields, 'totpCode'>> | Required<Pick<RemovePhoneFields, 'backupCode'>>

type ReauthFields = z.input<typeof ReauthBody>
/** `POST /v1/me/reauth`: exactly one factor (SMS goes through `purpose: "reauth"`). */
export type ReauthRequest =
  | Required<Pick<ReauthFields, 'password'>>
  | Required<Pick<ReauthFields, 'totpCode'>>
  | Required<Pick<ReauthFields, 'backupCode'>>

export function isMfaChallenge(r: object): r is MfaChallenge {
  return 'mfaRequired' in r && r.mfaRequired === true
}

export function isSignedIn(r: object): r is SignedIn {
  return 'session' in r && 'user' in r
}
