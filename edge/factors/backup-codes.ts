/**
 * Backup codes (NIST look-up secrets): 10 per set, 60 bits each (12 Crockford base-32 characters,
 * shown as xxxx-xxxx-xxxx), stored only as HMAC-SHA-256 keyed with a server key and salted with
 * the user id and set id; single use through one guarded UPDATE.
 *
 * A digest cannot be re-keyed (the code is not kept), so a rotation of the master secret does not
 * touch them: while SMS_AUTH_SECRET_PREVIOUS is set a code matches under either key, and once it
 * is dropped the codes made before the rotation stop working (README: Rotating the master secret).
 */
import type { Client } from '@libsql/client'
import { acceptedDigests, type Keys } from '../crypto/keys.js'
import { randomInt } from '../crypto/random.js'

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz'
export const CODES_PER_SET = 10

function oneCode(): string {
  let s = ''
  for (let i = 0; i < 12; i++) s += CROCKFORD[randomInt(32)]
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`
}

/** Lower case, no separators or spaces, Crockford's look-alikes mapped (o→0, i/l→1). */
export function normalise(code: string): string | null {
  const s = code.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1')
  return /^[0-9a-hjkmnp-tv-z]{12}$/.test(s) ? s : null
}

const message = (userId: string, normalised: string) => `backup|${userId}|${normalised}`

/** A new set replaces the old one; the codes are returned once and never stored in clear. */
export async function newSet(
  db: Client,
  keys: Keys,
  userId: string,
  now: number,
): Promise<string[]> {
  const codes = Array.from({ length: CODES_PER_SET }, oneCode)
  const hashes = codes.map((c) => keys.digest('lookupHmac', message(userId, normalise(c)!)))
  await db.batch(
    [
      { sql: 'DELETE FROM backup_codes WHERE user_id = ?', args: [userId] },
      ...hashes.map((h) => ({
        sql: 'INSERT INTO backup_codes (user_id, hash, created_at) VALUES (?, ?, ?)',
        args: [userId, h, now],
      })),
    ],
    'write',
  )
  return codes
}

/** Spends a code: true for exactly one caller. */
export async function spend(
  db: Client,
  keys: Keys,
  userId: string,
  code: string,
  now: number,
): Promise<boolean> {
  const n = normalise(code)
  const hashes = acceptedDigests(
    keys,
    'lookupHmac',
    message(userId, n ?? `malformed|${code.length}`),
  )
  if (!n) return false
  // One row at most matches (a code's digests under two keys are two random values).
  const r = await db.execute({
    sql: `UPDATE backup_codes SET used_at = ? WHERE user_id = ? AND used_at IS NULL
          AND hash IN (${hashes.map(() => '?').join(', ')})`,
    args: [now, userId, ...hashes],
  })
  return r.rowsAffected === 1
}
