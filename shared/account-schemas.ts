/**
 * The account's life (docs/api.md "Sessions and the account", "Users"): the user's own sessions
 * list and the site owner's user management (beside schemas.ts, whose field types it reuses).
 */
import { z } from 'zod'
import { ReauthMethodSchema } from './enums.js'
import { Email, Name, text } from './schemas.js'

/** One live session in `GET /v1/me/sessions` and an admin's user page. */
export const DeviceSession = z.object({
  id: z.string(),
  /** A short label from the User-Agent at sign-in or the last refresh: "Chrome on Android". */
  device: z.string(),
  /** The client's network: IPv4 /24 or IPv6 /48 (`203.0.113.0/24`); null when unknown. */
  address: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  /** The caller's own session (always false on the admin's view). */
  current: z.boolean(),
})
export type DeviceSession = z.infer<typeof DeviceSession>

export const DeviceSessions = z.object({ sessions: z.array(DeviceSession) })
export const RevokedCount = z.object({ revoked: z.number() })

/** A row of the site owner's user list: the phone masked, like every admin view. */
export const AdminUserSummary = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  phoneVerified: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
})
export type AdminUserSummary = z.infer<typeof AdminUserSummary>

export const AdminUserPage = z.object({
  users: z.array(AdminUserSummary),
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: z.string().nullable(),
  /** How many users match the query (all users without one). */
  total: z.number(),
})

/** `GET /v1/admin/users/{id}`. */
export const AdminUserDetail = AdminUserSummary.extend({
  factors: z.array(ReauthMethodSchema),
  sessionsCount: z.number(),
  sessions: z.array(DeviceSession),
  lastSignInAt: z.string().nullable(),
  /** Failed attempts lock the account until this time (null: not locked). */
  lockedUntil: z.string().nullable(),
  disabledAt: z.string().nullable(),
})
export type AdminUserDetail = z.infer<typeof AdminUserDetail>

export const AdminUserQuery = z.object({
  query: text(100).optional(),
  cursor: text(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})

/** `PATCH /v1/admin/users/{id}`: at least one field. */
export const AdminUserPatch = z
  .object({
    name: Name.optional(),
    email: Email.optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'give name, email or disabled' })
