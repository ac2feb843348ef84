/**
 * Site settings: one JSON row, its version read on every use so that every instance agrees at once
 * (edge/settings/snapshot.ts keeps the row itself, the price overrides and the test numbers until
 * the version moves).
 */
import type { Client } from '@libsql/client'
import type { Settings } from '../../shared/schemas.js'
import type { Deps } from '../deps.js'
import { BREAKER_DEFAULTS, LIMIT_DEFAULTS } from '../limits/policy.js'
import { testCodes, type TestCodes } from '../test-numbers/store.js'
import { configSnapshot, type ConfigSnapshot } from './snapshot.js'

export const DEFAULT_SETTINGS: Settings = {
  siteName: 'sms-auth demo',
  defaultCountry: 'US',
  allowedCountries: null,
  codeLength: 6,
  phoneLogin: true,
  phoneRegistration: true,
  passwordLogin: true,
  allowedOrigins: [],
  messageTemplate: '{code} is your {site} code.',
  spendCapDaily: null,
  spendCapMonthly: null,
  // Every tunable limit's default, with its source and range (edge/limits/policy.ts).
  ...LIMIT_DEFAULTS,
  ...BREAKER_DEFAULTS,
  challengeProvider: 'turnstile',
  challengeMode: 'off',
  challengeSiteKey: null,
}

export async function getSettings(db: Client): Promise<Settings> {
  return settingsOf(await configSnapshot(db))
}

export interface SiteConfig {
  settings: Settings
  prices: ConfigSnapshot['prices']
  /** Whether a number is a listed test number, and its fixed code (edge/test-numbers/). */
  listed: TestCodes
}

/** The settings, the price overrides and the test numbers as of one read of the version. */
export async function siteConfig(deps: Pick<Deps, 'db' | 'keys' | 'log'>): Promise<SiteConfig> {
  const snapshot = await configSnapshot(deps.db)
  return {
    settings: settingsOf(snapshot),
    prices: snapshot.prices,
    listed: testCodes(deps, snapshot.testNumbers),
  }
}

/** The settings of a snapshot: a fresh object each time, so that no caller changes another's. */
export function settingsOf(snapshot: { stored: Partial<Settings> }): Settings {
  return { ...DEFAULT_SETTINGS, ...snapshot.stored }
}

/** Applies a validated patch in one statement (JSON merge in SQL, so concurrent patches both land). */
export async function patchSettings(
  db: Client,
  patch: Partial<Settings>,
  now: number,
): Promise<Settings> {
  await db.execute({
    sql: `INSERT INTO settings (id, data, updated_at) VALUES (1, json(:patch), :now)
          ON CONFLICT (id) DO UPDATE SET data = json_patch(data, json(:patch)), updated_at = :now`,
    args: { patch: JSON.stringify(patch), now },
  })
  return getSettings(db)
}
