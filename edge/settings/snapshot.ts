/**
 * The site settings, the price overrides and the test numbers as this instance last read them,
 * with the version they came with (migrations 0016 and 0017: triggers move it on every change,
 * whoever makes it). Every use reads the version alone, a one-row point read, and the rows again
 * only when it has moved: every instance still agrees at once, without the settings' JSON, the
 * price rows and a test-number lookup on every start.
 */
import type { Client } from '@libsql/client'
import type { Settings } from '../../shared/schemas.js'

export interface PriceRow {
  sms: number
  voice: number
}

export interface ConfigSnapshot {
  version: number
  /** The stored settings (a partial object, merged over the defaults by getSettings). */
  stored: Partial<Settings>
  /** The admin's price overrides by country (`*`: the fallback's). */
  prices: ReadonlyMap<string, PriceRow>
  /**
   * The listed test numbers (at most TEST_NUMBERS_MAX), E.164 → the code as sealed at rest: a
   * code is opened only for the number a request names (edge/test-numbers/store.ts).
   */
  testNumbers: ReadonlyMap<string, string>
}

const VERSION = 'SELECT version FROM config_version WHERE id = 1'

const snapshots = new WeakMap<Client, ConfigSnapshot>()

export async function configSnapshot(db: Client): Promise<ConfigSnapshot> {
  const r = await db.execute(VERSION)
  const version = Number(r.rows[0]?.version ?? -1)
  const hit = snapshots.get(db)
  if (hit && hit.version === version) return hit
  // The version is read again with the rows, in one read transaction: what is kept is what that
  // version names, so a change made in between is not kept under the older number.
  const [v, settings, prices, tests] = await db.batch(
    [
      VERSION,
      'SELECT data FROM settings WHERE id = 1',
      'SELECT country, sms, voice FROM spend_prices',
      'SELECT phone, code_sealed FROM test_numbers',
    ],
    'read',
  )
  const data = settings!.rows[0]?.data
  const snapshot: ConfigSnapshot = {
    version: Number(v!.rows[0]?.version ?? -1),
    stored: data == null ? {} : (JSON.parse(String(data)) as Partial<Settings>),
    prices: new Map(
      prices!.rows.map((row) => [
        String(row.country),
        { sms: Number(row.sms), voice: Number(row.voice) },
      ]),
    ),
    testNumbers: new Map(tests!.rows.map((row) => [String(row.phone), String(row.code_sealed)])),
  }
  snapshots.set(db, snapshot)
  return snapshot
}
