/** What the app is built from: everything that differs between runtimes and tests is injected. */
import type { Client } from '@libsql/client'
import type { Config } from './config.js'
import type { DbLimits } from './db/limits.js'
import type { CryptoEngine } from './crypto/engine.js'
import type { Keys } from './crypto/keys.js'
import type { MaintenanceLimits } from './maintenance/limits.js'
import type { AddressOf } from './http/client.js'

export interface Deps {
  db: Client
  config: Config
  keys: Keys
  /** Milliseconds since the epoch; tests move it to expire codes without sleeping. */
  clock: () => number
  /** Outbound HTTP for the providers (tests point providers at local fakes). */
  fetch: typeof fetch
  /** One structured line per event; never given codes, secrets or full phone numbers. */
  log: (event: string, fields?: Record<string, unknown>) => void
  /** The socket address of the caller, supplied by the runtime entry. */
  socketAddress: AddressOf
}

export interface AppOptions {
  /** The raw client: migrations run on it, every feature gets it behind the guard (edge/db/guard.ts). */
  db: Client
  config: Config
  /** Overrides of the guard's limits, over `config.dbLimits` and the defaults per driver. */
  dbLimits?: Partial<DbLimits>
  /** Overrides of the maintenance job's batch size, time budget and interval (tests, the bench). */
  maintenance?: Partial<MaintenanceLimits>
  clock?: () => number
  fetch?: typeof fetch
  log?: Deps['log']
  socketAddress?: AddressOf
  /** AES-GCM and ES256 (edge/crypto/engine.ts): Web Crypto unless the runtime entry has faster. */
  crypto?: CryptoEngine
}
