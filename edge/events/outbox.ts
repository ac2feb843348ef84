/**
 * The outbox: an event is one INSERT that a feature adds to the batch of its change, so the event
 * exists if and only if the change committed. Delivery reads it later (delivery.ts). Its data is
 * sealed under the server key like every other number at rest (docs/security.md T23): an event
 * of user.created or phone.changed carries the phone.
 */
import type { InStatement, InValue } from '@libsql/client'
import type { EventData, EventType } from '../../shared/events.js'
import type { Keys } from '../crypto/keys.js'
import { newId } from '../crypto/random.js'
import { seal } from '../crypto/seal.js'

/**
 * The INSERT of one event of `type`, stamped `now`. With `ifChanged`, it is written only when the
 * statement before it in the batch changed a row (the sign-in that won, the session that ended).
 */
export async function eventStatement(
  keys: Keys,
  type: EventType,
  data: EventData,
  now: number,
  ifChanged = false,
): Promise<InStatement> {
  return {
    sql: `INSERT INTO event_outbox (id, type, created_at, data_sealed)
          SELECT ?, ?, ?, ?${ifChanged ? ' WHERE changes() > 0' : ''}`,
    args: [newId('evt'), type, now, await seal(keys, JSON.stringify(data))],
  }
}

/**
 * The INSERT of one event, written only when `guard` (a SQL condition with `?` arguments) holds
 * when it runs: a condition that is true only in the batch of the change that won (its new row).
 */
export async function eventWhenStatement(
  keys: Keys,
  type: EventType,
  data: EventData,
  now: number,
  guard: { sql: string; args: InValue[] },
): Promise<InStatement> {
  return {
    sql: `INSERT INTO event_outbox (id, type, created_at, data_sealed)
          SELECT ?, ?, ?, ? WHERE ${guard.sql}`,
    args: [newId('evt'), type, now, await seal(keys, JSON.stringify(data)), ...guard.args],
  }
}
