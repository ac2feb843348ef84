/**
 * Delivery of one message: picks the providers for the channel, records the send, and returns the
 * provider that accepted it, or throws `provider_unavailable` when none did.
 */
import type { Deps } from '../deps.js'
import { hmacHex } from '../crypto/keys.js'
import { newId } from '../crypto/random.js'
import { ApiError } from '../http/errors.js'
import { maskE164 } from '../phone.js'
import type { OutboundMessage } from '../providers/types.js'

export interface Delivered {
  provider: string
  messageId: string
}

export async function deliver(
  deps: Deps,
  msg: OutboundMessage,
  verificationId: string | null,
): Promise<Delivered> {
  const now = deps.clock()
  const id = newId('msg')
  const toHash = await hmacHex(deps.keys.lookupHmac, `phone:${msg.to}`)
  const record = {
    sql: `INSERT INTO messages (id, verification_id, to_masked, to_hash, channel, kind, provider,
            provider_message_id, status, error, attempts, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [] as (string | number | null)[],
  }
  const masked = maskE164(msg.to)
  if (deps.config.mode === 'development') {
    // The console provider: the message goes to the development outbox (never to the logs).
    record.args = [id, verificationId, masked, toHash, msg.channel, msg.kind, 'console', id, 'sent', null, null, now, now]
    await deps.db.batch(
      [
        {
          sql: 'INSERT INTO dev_outbox (to_phone, channel, body, code, at) VALUES (?, ?, ?, ?, ?)',
          args: [msg.to, msg.channel, msg.text, msg.code ?? null, now],
        },
        record,
      ],
      'write',
    )
    deps.log('message.sent', { provider: 'console', channel: msg.channel, to: masked })
    return { provider: 'console', messageId: id }
  }
  record.args = [id, verificationId, masked, toHash, msg.channel, msg.kind, null, null, 'failed', 'no provider', null, now, now]
  await deps.db.execute(record)
  deps.log('message.unavailable', { channel: msg.channel, to: masked })
  throw new ApiError('provider_unavailable', 'No SMS provider could take the message. Try again later.')
}
