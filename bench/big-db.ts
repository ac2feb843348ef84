/**
 * A database as a busy site's would be after a while: many accounts and many old (ended)
 * verifications, made fast with SQL (recursive CTEs, `INSERT … SELECT`, one transaction on a raw
 * client) rather than through the API, on our real schema (the migrations). Our server then runs
 * on it, and bench/big-bench.ts compares its start and check latency with a fresh database's.
 *
 * The old verifications ended within the last day, so they are still kept (the maintenance job
 * deletes them a day after their expiry) and the table stays at this size while it is measured.
 *
 * Environment: BENCH_BIG_USERS and BENCH_BIG_VERIFICATIONS (default 200 000 and 2 000 000; the
 * issue's 1 000 000 and 10 000 000 take a few minutes more to make, and ~3.5 GB of temp space);
 * BENCH_BIG_VERIFICATIONS=0 leaves this part out.
 */
import { createClient } from '@libsql/client'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { migrate } from '../edge/db/migrate.js'

export interface BigScale {
  users: number
  verifications: number
}

export const BIG_SCALE: BigScale = {
  users: Number(process.env.BENCH_BIG_USERS ?? 200_000),
  verifications: Number(process.env.BENCH_BIG_VERIFICATIONS ?? 2_000_000),
}

export const FULL_SCALE = 'BENCH_BIG_USERS=1000000 BENCH_BIG_VERIFICATIONS=10000000'
export const isFullScale = (s: BigScale) => s.users >= 1_000_000 && s.verifications >= 10_000_000

export interface BigDatabase {
  url: string
  scale: BigScale
  seconds: number
  bytes: number
}

const DAY = 86_400_000

/**
 * Makes the database in `dir`. Accounts have numbers +9180… (the bench's own start at +919…, so
 * they never meet) and e-mails big-N@…; verifications are logins to them, two in three approved.
 */
export async function makeBigDatabase(dir: string, scale: BigScale): Promise<BigDatabase> {
  const began = performance.now()
  const file = join(dir, 'big.db')
  const db = createClient({ url: `file:${file}` })
  try {
    // No journal while it is made (a failure leaves only a temp file to delete), WAL after.
    await db.execute('PRAGMA journal_mode = OFF')
    await db.execute('PRAGMA synchronous = OFF')
    await db.execute('PRAGMA cache_size = -1000000')
    await migrate(db)
    const now = Date.now()
    await db.batch(
      [
        {
          sql: `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :users)
                INSERT INTO users (id, name, email, email_norm, phone, phone_verified, created_at)
                SELECT 'usr_big' || printf('%08d', i), 'Big ' || i,
                  'big-' || printf('%08d', i) || '@example.com',
                  'big-' || printf('%08d', i) || '@example.com',
                  '+9180' || printf('%08d', i), 1, :now - 400 * :day + i FROM n`,
          args: { users: scale.users, now, day: DAY },
        },
        {
          // Spread over the 23 hours before now; hashes as long as real HMACs (64 hex digits).
          sql: `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :count)
                INSERT INTO verifications (id, purpose, phone_hash, phone_masked, sealed, code_hash,
                  user_id, channel, code_length, attempts, max_attempts, sends, created_at,
                  expires_at, resend_at, approved_at, client_address, locale, silent)
                SELECT 'ver_old' || printf('%010d', i), 'login', printf('%064x', i * 2654435761),
                  '+91•••••••' || printf('%03d', i % 1000), NULL, printf('%064x', i * 40503),
                  'usr_big' || printf('%08d', i % :users), 'sms', 6, 1, 5, 1, :t0 + i * :step,
                  :t0 + i * :step + 600000, :t0 + i * :step + 30000,
                  CASE WHEN i % 3 = 0 THEN NULL ELSE :t0 + i * :step + 20000 END,
                  '10.' || (i % 250) || '.' || (i / 250 % 250) || '.' || (i % 200), 'en', 0 FROM n`,
          args: {
            count: scale.verifications,
            users: Math.max(1, scale.users),
            t0: now - 23 * 3_600_000,
            step: Math.max(1, Math.floor((22 * 3_600_000) / Math.max(1, scale.verifications))),
          },
        },
      ],
      'write',
    )
    await db.execute('PRAGMA journal_mode = WAL')
  } finally {
    db.close()
  }
  return {
    url: `file:${file}`,
    scale,
    seconds: (performance.now() - began) / 1000,
    bytes: statSync(file).size,
  }
}
