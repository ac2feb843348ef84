/**
 * The challenge's secret key (sealed at rest, opened only to call siteverify) and its base URL,
 * in one row apart from the settings; and the hashes of passed tokens (single use).
 */
import type { Client } from '@libsql/client'
import type { Keys } from '../crypto/keys.js'
import { sha256Hex } from '../crypto/keys.js'
import { openOrNull, seal } from '../crypto/seal.js'

export interface StoredChallenge {
  sealed: string | null
  baseUrl: string | null
  updatedAt: number | null
}

export async function readChallenge(db: Client): Promise<StoredChallenge> {
  const r = await db.execute(
    'SELECT secret_sealed, base_url, updated_at FROM challenge_secret WHERE id = 1',
  )
  const row = r.rows[0]
  if (!row) return { sealed: null, baseUrl: null, updatedAt: null }
  return {
    sealed: row.secret_sealed === null ? null : String(row.secret_sealed),
    baseUrl: row.base_url === null ? null : String(row.base_url),
    updatedAt: Number(row.updated_at),
  }
}

/** The secret key in clear, or null (none set, or sealed under a secret this instance lacks). */
export async function openSecret(keys: Keys, stored: StoredChallenge): Promise<string | null> {
  return stored.sealed ? openOrNull(keys, stored.sealed) : null
}

/** Writes the fields given (`undefined`: kept; `null`: cleared), in one statement. */
export async function writeChallenge(
  db: Client,
  keys: Keys,
  put: { secretKey?: string | null; baseUrl?: string | null },
  now: number,
): Promise<void> {
  const sealed = put.secretKey ? await seal(keys, put.secretKey) : null
  await db.execute({
    sql: `INSERT INTO challenge_secret (id, secret_sealed, base_url, updated_at)
          VALUES (1, :sealed, :baseUrl, :now)
          ON CONFLICT (id) DO UPDATE SET
            secret_sealed = CASE WHEN :setSecret THEN :sealed ELSE secret_sealed END,
            base_url = CASE WHEN :setBase THEN :baseUrl ELSE base_url END,
            updated_at = :now`,
    args: {
      sealed,
      baseUrl: put.baseUrl ?? null,
      now,
      setSecret: put.secretKey !== undefined ? 1 : 0,
      setBase: put.baseUrl !== undefined ? 1 : 0,
    },
  })
}

/**
 * Records a passed token; false when it was already used (its hash is the primary key: of any
 * number of concurrent starts with one token, exactly one records it).
 */
export async function spendToken(db: Client, token: string, now: number): Promise<boolean> {
  const r = await db.execute({
    sql: 'INSERT INTO challenge_tokens (hash, at) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING',
    args: [sha256Hex(`challenge:${token}`), now],
  })
  return r.rowsAffected === 1
}
