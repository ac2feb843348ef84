/**
 * Account deletion (DELETE /v1/me after a step-up, DELETE /v1/admin/users/{id}): in one write
 * transaction the account's row goes (its name, email, phone, password hash, TOTP secret), with its
 * sessions and their refresh tokens, its tickets, backup codes and guessing budget; its
 * verifications keep only what the limits and metrics count (purpose, channel, times), without the
 * number in any form; its audit rows lose the masked number, the client address and the detail.
 * The audit keeps them, and one tombstone, under the bare user id. The email and the number are
 * free to register again at once (their unique indexes held the deleted row only).
 */
import type { InStatement } from '@libsql/client'
import { auditStatement } from '../audit/audit.js'
import type { Ctx } from '../context.js'
import { anonymiseForUserStatement } from '../verifications/store.js'
import { deleteUserStatement } from './users.js'
import { eventStatement } from '../events/outbox.js'

/** Deletes the account; false when there was none (nothing is written then). */
export async function deleteAccount(
  ctx: Ctx,
  userId: string,
  /** `user` (DELETE /v1/me) or the admin's actor (`admin:token`, `admin:<userId>`). */
  actor: string,
): Promise<boolean> {
  const statements: InStatement[] = [
    deleteUserStatement(userId),
    // The tombstone, only if the row was there: a second deletion at once writes none.
    auditStatement(ctx, { actor, action: 'user.deleted', outcome: 'ok', userId }, true),
    // The event likewise: written only after the tombstone was (the deletion won).
    await eventStatement(ctx.keys, 'user.deleted', { userId }, ctx.clock(), true),
    ...[
      `DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = :id)`,
      `DELETE FROM sessions WHERE user_id = :id`,
      `DELETE FROM tickets WHERE user_id = :id`,
      `DELETE FROM admins WHERE user_id = :id`,
      `DELETE FROM backup_codes WHERE user_id = :id`,
      `DELETE FROM guess_budgets WHERE subject = :id`,
      `UPDATE audit SET phone_masked = NULL, client_address = NULL, detail = NULL
       WHERE user_id = :id`,
    ].map((sql) => ({ sql, args: { id: userId } })),
    anonymiseForUserStatement(userId),
  ]
  const [deleted] = await ctx.db.batch(statements, 'write')
  return deleted!.rowsAffected === 1
}
