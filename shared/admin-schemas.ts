/**
 * Named admin accounts (docs/api.md "Admin accounts and roles"): the roles, declared once here, and
 * the bodies of /v1/admin/admins and /v1/admin/me.
 */
import { z } from 'zod'
import { Email, text } from './schemas.js'

/**
 * `owner`: everything. `support`: reads every admin view and manages users (edit, disable, unlock,
 * end sessions); it cannot change integrations, settings, event endpoints, test numbers or admin
 * accounts, set a user's phone, or delete a user.
 */
export const AdminRole = z.enum(['owner', 'support'])
export type AdminRole = z.infer<typeof AdminRole>

/** One named admin: the account's name, email and masked phone, as every admin view shows them. */
export const AdminAccount = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: AdminRole,
  createdAt: z.string(),
  /** Who made this account an admin: `admin:token` or `admin:<userId>`. */
  createdBy: z.string(),
})
export type AdminAccount = z.infer<typeof AdminAccount>

export const AdminList = z.object({ admins: z.array(AdminAccount) })

/** Make an existing account an admin: by its id or by its email (exactly one of them). */
export const AdminCreate = z
  .object({ userId: text(64).min(1).optional(), email: Email.optional(), role: AdminRole })
  .strict()
  .refine((v) => (v.userId === undefined) !== (v.email === undefined), {
    message: 'Give either userId or email.',
    path: ['userId'],
  })

export const AdminPatch = z.object({ role: AdminRole }).strict()

/** `GET /v1/admin/me`: who the caller is to the admin page (what to show, what to hide). */
export const AdminMe = z.object({
  /** `admin:token` (the bootstrap token) or `admin:<userId>`. */
  actor: z.string(),
  role: AdminRole,
  userId: z.string().optional(),
  name: z.string().optional(),
})
export type AdminMe = z.infer<typeof AdminMe>
