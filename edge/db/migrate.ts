/**
 * Numbered migrations applied at start, each recorded in `schema_migrations`. Safe to run from
 * several instances at once: each migration runs in a write transaction that re-checks the record.
 */
import type { Client } from '@libsql/client'
import m0001 from './migrations/0001_init.js'
import m0002 from './migrations/0002_security.js'
import m0003 from './migrations/0003_health.js'
import m0004 from './migrations/0004_send_outcomes.js'
import m0005 from './migrations/0005_retention.js'
import m0006 from './migrations/0006_webotp_host.js'
import m0007 from './migrations/0007_refresh_grace.js'
import m0008 from './migrations/0008_accounts.js'
import m0009 from './migrations/0009_events.js'
import m0010 from './migrations/0010_test_numbers.js'
import m0011 from './migrations/0011_admins.js'
import m0012 from './migrations/0012_spend.js'
import m0013 from './migrations/0013_breaker.js'
import m0014 from './migrations/0014_activity.js'
import m0015 from './migrations/0015_challenge.js'
import m0016 from './migrations/0016_speed.js'
import m0017 from './migrations/0017_test_numbers_version.js'

export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'init', sql: m0001 },
  { version: 2, name: 'security', sql: m0002 },
  { version: 3, name: 'health', sql: m0003 },
  { version: 4, name: 'send_outcomes', sql: m0004 },
  { version: 5, name: 'retention', sql: m0005 },
  { version: 6, name: 'webotp_host', sql: m0006 },
  { version: 7, name: 'refresh_grace', sql: m0007 },
  { version: 8, name: 'accounts', sql: m0008 },
  { version: 9, name: 'events', sql: m0009 },
  { version: 10, name: 'test_numbers', sql: m0010 },
  { version: 11, name: 'admins', sql: m0011 },
  { version: 12, name: 'spend', sql: m0012 },
  { version: 13, name: 'breaker', sql: m0013 },
  { version: 14, name: 'activity', sql: m0014 },
  { version: 15, name: 'challenge', sql: m0015 },
  { version: 16, name: 'speed', sql: m0016 },
  { version: 17, name: 'test_numbers_version', sql: m0017 },
]

function statements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean)
}

export async function migrate(db: Client): Promise<void> {
  await db.execute(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  )
  for (const m of MIGRATIONS) {
    const done = await db.execute({
      sql: 'SELECT 1 FROM schema_migrations WHERE version = ?',
      args: [m.version],
    })
    if (done.rows.length) continue
    // One batch (a single write transaction), not an interactive transaction: the libSQL client
    // hands an interactive transaction its connection and opens a new one afterwards, which would
    // drop the per-connection pragmas the entry set. The migration's own record goes first, so of
    // instances migrating at once one commits and the others roll back on its primary key.
    try {
      await db.batch(
        [
          {
            sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
            args: [m.version, m.name, Date.now()],
          },
          ...statements(m.sql),
        ],
        'write',
      )
    } catch (err) {
      const again = await db.execute({
        sql: 'SELECT 1 FROM schema_migrations WHERE version = ?',
        args: [m.version],
      })
      if (!again.rows.length) throw err
    }
  }
}
