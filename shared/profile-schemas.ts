/**
 * Request bodies of account recovery and the profile (docs/api.md, "Account recovery and
 * profile"): the password reset's last step, setting or changing the password, and the name and
 * email. The answers are the `user` (and `session`) of shared/schemas.ts.
 */
import { z } from 'zod'
import { Email, Name, Password, text } from './schemas.js'

/** `POST /v1/password-resets`: the ticket of the approved code, the new password, and the
 * second factor when the account has TOTP (a code from the app, or a backup code). */
export const PasswordResetBody = z
  .object({
    resetTicket: text(200).min(1),
    password: Password,
    totpCode: text(64).min(1).optional(),
    backupCode: text(64).min(1).optional(),
  })
  .strict()
  .refine((b) => !(b.totpCode && b.backupCode), {
    message: 'give totpCode or backupCode, not both',
    path: ['totpCode'],
  })

/** `PUT /v1/me/password`: the new password; the current one, or else a fresh step-up. */
export const SetPasswordBody = z
  .object({ password: Password, currentPassword: text(128).min(1).optional() })
  .strict()

/** `PATCH /v1/me`: a new name, a new email (after a fresh step-up), or both. */
export const ProfilePatch = z
  .object({ name: Name.optional(), email: Email.optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.email !== undefined, {
    message: 'give name or email',
    path: ['name'],
  })
