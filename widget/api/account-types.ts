/**
 * The account's life as the widget sees it (docs/api.md "Account recovery and profile", "Sessions
 * and the account"): password reset by SMS, the profile, the devices signed in. The sessions list
 * is inferred from shared/account-schemas.ts; the reset and profile shapes are written here as the
 * contract of issue 14 gives them.
 * TODO(merge wip/i14-reset): infer these from that branch's shared/ schemas (`z.input`/`z.infer`)
 * once both are on main, and drop the hand-written copies.
 */
import type { DeviceSession } from '../../shared/account-schemas.js'
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
export interface PasswordResetRequest {
  resetTicket: string
  password: string
  totpCode?: string
  backupCode?: string
}

/** `PUT /v1/me/password`: a new password, with the current one when the account has one. */
export interface SetPasswordRequest {
  password: string
  currentPassword?: string
}

/** `PATCH /v1/me`: the name (no step-up) and the email (a fresh step-up). */
export interface ProfilePatch {
  name?: string
  email?: string
}

/** The user of `/v1/me` with `hasPassword` (the widget offers "Set" or "Change password"). */
export type AccountUser = User & { hasPassword?: boolean }

export function isResetApproved(r: object): r is ResetApproved {
  return 'resetTicket' in r && typeof r.resetTicket === 'string'
}
