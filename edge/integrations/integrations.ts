/**
 * Provider integrations: what the admin configured per provider. Credentials are sealed at rest
 * (AES-256-GCM under the key derived from SMS_AUTH_SECRET), opened only to send or to check a
 * signature, and masked on every read.
 */
import type { Client } from '@libsql/client'
import type { Keys } from '../crypto/keys.js'
import { openOrNull, seal } from '../crypto/seal.js'
import type { Deps } from '../deps.js'
import { ApiError } from '../http/errors.js'
import { definitionOf } from '../providers/index.js'
import type { ProviderName } from '../providers/registry.js'
import type { Channel } from '../providers/types.js'
import { baseUrlProblem, parseBaseUrl } from './base-url.js'
import { CREDENTIALS, DEFAULT_PRIORITY, PROVIDERS } from './integration-schemas.js'
import type { IntegrationPut } from './integration-schemas.js'

export interface StoredIntegration {
  provider: ProviderName
  enabled: boolean
  priority: number
  voice: boolean
  failoverAfterTimeout: boolean
  baseUrl: string | null
  sealed: string | null
  updatedAt: number | null
}

/** What a send needs from an enabled integration: credentials opened. */
export interface ActiveIntegration {
  name: ProviderName
  priority: number
  credentials: Record<string, string>
  baseUrl?: string
  voice: boolean
  failoverAfterTimeout: boolean
}

export function isProvider(name: string): name is ProviderName {
  return (PROVIDERS as readonly string[]).includes(name)
}

/** The provider named in a path, or 404. */
export function knownProvider(name: string): ProviderName {
  if (!isProvider(name)) throw new ApiError('not_found', `No provider called ${name.slice(0, 32)}.`)
  return name
}

export function channelsOf(provider: ProviderName): Channel[] {
  if (provider === 'console') return ['sms', 'voice']
  return [...(definitionOf(provider)?.client.channels ?? [])]
}

const COLUMNS =
  'provider, enabled, priority, voice, failover_after_timeout, base_url, credentials_sealed, updated_at'

function fromRow(row: Record<string, unknown>): StoredIntegration {
  return {
    provider: String(row.provider) as ProviderName,
    enabled: Number(row.enabled) === 1,
    priority: Number(row.priority),
    voice: Number(row.voice) === 1,
    failoverAfterTimeout: Number(row.failover_after_timeout) === 1,
    baseUrl: row.base_url === null ? null : String(row.base_url),
    sealed: row.credentials_sealed === null ? null : String(row.credentials_sealed),
    updatedAt: Number(row.updated_at),
  }
}

export async function readIntegrations(db: Client): Promise<Map<ProviderName, StoredIntegration>> {
  const r = await db.execute(`SELECT ${COLUMNS} FROM integrations`)
  const out = new Map<ProviderName, StoredIntegration>()
  for (const row of r.rows) {
    const stored = fromRow(row)
    if (isProvider(stored.provider)) out.set(stored.provider, stored)
  }
  return out
}

export async function readIntegration(
  db: Client,
  provider: ProviderName,
): Promise<StoredIntegration | undefined> {
  const r = await db.execute({
    sql: `SELECT ${COLUMNS} FROM integrations WHERE provider = ?`,
    args: [provider],
  })
  return r.rows[0] ? fromRow(r.rows[0]) : undefined
}

/**
 * The stored credentials, opened. A value that no accepted secret opens (the secret changed with
 * no SMS_AUTH_SECRET_PREVIOUS) reads as no credentials, logged without detail: the integration
 * is unconfigured until the admin enters them again or the right previous secret is set.
 */
export async function openCredentials(
  deps: Deps,
  stored: StoredIntegration | undefined,
): Promise<Record<string, string>> {
  if (!stored?.sealed) return {}
  const opened = await openOrNull(deps.keys, stored.sealed)
  let value: unknown = null
  try {
    value = opened === null ? null : JSON.parse(opened)
  } catch {
    value = null
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    deps.log('integration.credentials_unreadable', { provider: stored.provider })
    return {}
  }
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
  )
}

/** Validates a PUT against what is stored and writes it; returns the new record. */
export async function putIntegration(
  deps: Deps,
  provider: ProviderName,
  put: IntegrationPut,
): Promise<StoredIntegration> {
  const existing = await readIntegration(deps.db, provider)
  if (provider === 'console' && put.enabled && deps.config.mode === 'production') {
    throw new ApiError(
      'policy_violation',
      'The console provider only exists in development mode: it sends nothing to a phone.',
    )
  }
  const errors: { path: string; message: string }[] = []
  let sealed = existing?.sealed ?? null
  if (put.credentials !== undefined) {
    const parsed = CREDENTIALS[provider].safeParse(put.credentials)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // Messages only: zod does not echo values, and these may be secrets.
        errors.push({
          path: ['credentials', ...issue.path.map(String)].join('.'),
          message: issue.message,
        })
      }
    } else {
      sealed = provider === 'console' ? null : await seal(deps.keys, JSON.stringify(parsed.data))
    }
  }
  if (provider !== 'console' && put.enabled && !sealed && put.credentials === undefined) {
    errors.push({
      path: 'credentials',
      message: 'set the credentials before enabling this provider',
    })
  }
  let baseUrl = existing?.baseUrl ?? null
  if (put.baseUrl !== undefined) {
    if (put.baseUrl !== null && provider === 'console') {
      errors.push({ path: 'baseUrl', message: 'the console provider has no origin' })
    } else {
      baseUrl = put.baseUrl === null ? null : parseBaseUrl(put.baseUrl)
    }
  }
  // A new baseUrl, or enabling with one stored before the rule; disabling is always allowed.
  const refused =
    put.baseUrl !== undefined || put.enabled ? baseUrlProblem(deps.config, baseUrl) : null
  if (refused) errors.push(refused)
  const voice = put.voice ?? existing?.voice ?? false
  if (voice && !channelsOf(provider).includes('voice')) {
    errors.push({ path: 'voice', message: `${provider} has no voice channel` })
  }
  if (errors.length) {
    throw new ApiError('invalid_request', 'Some fields are missing or not valid.', { errors })
  }
  const record: StoredIntegration = {
    provider,
    enabled: put.enabled,
    priority: put.priority ?? existing?.priority ?? DEFAULT_PRIORITY,
    voice,
    failoverAfterTimeout: put.failoverAfterTimeout ?? existing?.failoverAfterTimeout ?? false,
    baseUrl,
    sealed,
    updatedAt: deps.clock(),
  }
  await deps.db.execute({
    sql: `INSERT INTO integrations (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (provider) DO UPDATE SET enabled = excluded.enabled, priority = excluded.priority,
            voice = excluded.voice, failover_after_timeout = excluded.failover_after_timeout,
            base_url = excluded.base_url, credentials_sealed = excluded.credentials_sealed,
            updated_at = excluded.updated_at`,
    args: [
      provider,
      record.enabled ? 1 : 0,
      record.priority,
      record.voice ? 1 : 0,
      record.failoverAfterTimeout ? 1 : 0,
      record.baseUrl,
      record.sealed,
      record.updatedAt,
    ],
  })
  forgetIntegrations(deps.db)
  return record
}

/**
 * Sends read the enabled integrations from memory for up to 5 s, so the console path stays one
 * batch write. A PUT on this instance takes effect at once; other instances see it within 5 s.
 */
const CACHE_MS = 5000
const cache = new WeakMap<
  Client,
  { keys: Keys; from: number; value: Promise<ActiveIntegration[]> }
>()

/** The enabled integrations, credentials opened, by priority (lower first), then by name. */
export function activeIntegrations(deps: Deps): Promise<ActiveIntegration[]> {
  const now = deps.clock()
  const hit = cache.get(deps.db)
  if (hit && hit.keys === deps.keys && now >= hit.from && now < hit.from + CACHE_MS) {
    return hit.value
  }
  const entry = { keys: deps.keys, from: now, value: loadActive(deps) }
  cache.set(deps.db, entry)
  entry.value.catch(() => {
    if (cache.get(deps.db) === entry) cache.delete(deps.db)
  })
  return entry.value
}

export function forgetIntegrations(db: Client): void {
  cache.delete(db)
}

async function loadActive(deps: Deps): Promise<ActiveIntegration[]> {
  const r = await deps.db.execute(
    `SELECT ${COLUMNS} FROM integrations WHERE enabled = 1 ORDER BY priority, provider`,
  )
  const out: ActiveIntegration[] = []
  for (const row of r.rows) {
    const stored = fromRow(row)
    if (!isProvider(stored.provider)) continue
    out.push({
      name: stored.provider,
      priority: stored.priority,
      credentials: await openCredentials(deps, stored),
      baseUrl: stored.baseUrl ?? undefined,
      voice: stored.voice,
      failoverAfterTimeout: stored.failoverAfterTimeout,
    })
  }
  return out
}
