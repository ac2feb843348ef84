/**
 * The account's life as the widget sees it (docs/api.md "Account recovery and profile", "Sessions
 * and the account"): password reset by SMS, the profile, the devices signed in. Inferred from the
 * schemas of shared/ (type imports only: no bytes). The reset's start and check answer are the
 * shared StartVerificationBody and CheckResult narrowed to a password reset.
 */
import type { z } from 'zod'
import type { DeviceSession } from '../../shared/account-schemas.js'
import type {
  PasswordResetBody,
  ProfilePatch as ProfilePatchBody,
  SetPasswordBody,
} from '../../shared/profile-schemas.js'
import type { Channel, User } from '../../shared/schemas.js'

export type { DeviceSession }

/** `POST /v1/verifications` with `purpose: "password_reset"`: by the phone, or by the email. */
export type PasswordResetStart = {
  purpose: 'password_reset'
  channel?: Channel
  locale?: string
} & ({ phone: string; country?: string } | { email: string })

/** The factors a reset still needs besides the SMS code (`[]`: none; TOTP on: an app or backup code). */
export type ResetMethod = 'totp' | 'backup_code'

/** `POST /v1/verifications/{id}/check` of a password reset. */
export interface ResetApproved {
  status: 'approved'
  resetTicket: string
  methods: ResetMethod[]
}

/** `POST /v1/password-resets`: the ticket, the new password, and the factor `methods` asked for. */
export type PasswordResetRequest = z.input<typeof PasswordResetBody>

/** `PUT /v1/me/password`: a new password, with the current one when the account has one. */
export type SetPasswordRequest = z.input<typeof SetPasswordBody>

/** `PATCH /v1/me`: the name (no step-up) and the email (a fresh step-up). */
export type ProfilePatch = z.input<typeof ProfilePatchBody>

/** The user of `/v1/me`; `hasPassword` has the widget offer "Set" or "Change password". */
export type AccountUser = User

export function isResetApproved(r: object): r is ResetApproved {
  return 'resetTicket' in r && typeof r.resetTicket === 'string'
}
