/**
 * The outbox: an event is one INSERT that a feature adds to the batch of its change, so the event
 * exists if and only if the change committed. Delivery reads it later (delivery.ts).
 */
import type { InStatement } from '@libsql/client'
import type { EventData, EventType } from '../../shared/events.js'
import { newId } from '../crypto/random.js'

/**
 * The INSERT of one event of `type`, stamped `now`. With `ifChanged`, it is written only when the
 * statement before it in the batch changed a row (the sign-in that won, the session that ended).
 */
export function eventStatement(
  type: EventType,
  data: EventData,
  now: number,
  ifChanged = false,
): InStatement {
  return {
    sql: `INSERT INTO event_outbox (id, type, created_at, data)
          SELECT ?, ?, ?, ?${ifChanged ? ' WHERE changes() > 0' : ''}`,
    args: [newId('evt'), type, now, JSON.stringify(data)],
  }
}
