/** Environment → validated configuration. A bad value stops the server with a one-line message. */
import type { DbLimits } from './db/limits.js'
import { parseCidr } from './http/ip.js'
import { DEFAULT_CORS_HEADERS, REQUIRED_CORS_HEADERS } from './http/origin.js'
import { LOG_LEVELS, type LogLevel } from './logging.js'
import { DEFAULT_RETENTION, type Retention } from './maintenance/tasks.js'

export type Mode = 'development' | 'production'

export interface Config {
  mode: Mode
  port: number
  host: string
  databaseUrl: string
  databaseAuthToken?: string
  /** SMS_AUTH_DB_SYNC_URL: the primary when DATABASE_URL is a read replica (edge/db/replica.ts). */
  databaseSyncUrl?: string
  /** SMS_AUTH_DB_SYNC_SECONDS: how often an embedded replica pulls from the primary. */
  databaseSyncSeconds: number
  /** Master secret bytes (≥ 32): HMAC keys, encryption keys and the signing-key wrap derive from it. */
  secret: Uint8Array
  /**
   * SMS_AUTH_SECRET_PREVIOUS: the secret before this one, while a rotation is under way. What is
   * sealed under it opens and is re-sealed under `secret`; digests under it are still accepted.
   */
  previousSecret?: Uint8Array
  /**
   * SMS_AUTH_SECRET_NEXT: the coming secret, while other instances already run with it (a rolling
   * rotation's first step): accepted like the previous one, but nothing is re-sealed towards it.
   */
  nextSecret?: Uint8Array
  adminToken: string
  publicUrl: string
  /** Who may name the client in X-Forwarded-For (edge/http/client.ts). */
  trustProxy: TrustProxy
  /** Production: provider baseUrls may be private or plain-http origins (on-premise gateways). */
  allowPrivateBaseUrls: boolean
  /** Overrides of the database guard's limits (edge/db/guard.ts); what is unset keeps its default. */
  dbLimits?: Partial<DbLimits>
  /** The least severe log events written (SMS_AUTH_LOG_LEVEL). */
  logLevel: LogLevel
  /** A bearer token for GET /metrics besides the admin token (SMS_AUTH_METRICS_TOKEN). */
  metricsToken?: string
  /** One send's whole time, failover included (SMS_AUTH_SEND_BUDGET_MS). */
  sendBudgetMs: number
  /** One provider call's time, never past what is left of the budget (SMS_AUTH_PROVIDER_TIMEOUT_MS). */
  providerTimeoutMs: number
  /** Request headers CORS preflights allow (SMS_AUTH_CORS_HEADERS, Content-Type and Authorization always). */
  corsHeaders: string[]
  /** Days kept by the maintenance job (SMS_AUTH_RETENTION_DAYS, SMS_AUTH_AUDIT_RETENTION_DAYS). */
  retention: Retention
}

/**
 * SMS_AUTH_TRUST_PROXY: `none`, the socket address; `hops`, that many proxies in front of us (the
 * socket peer is hop 1); `cidrs`, proxies by address (IPv4 and IPv6 ranges or single addresses).
 */
export type TrustProxy =
  { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'cidrs'; cidrs: string[] }

/** A century: "keep it" is a long retention, not a missing one. */
const MAX_DAYS = 36_500

/** More hops than any real chain of proxies; a larger number is a typo. */
const MAX_HOPS = 32

export class ConfigError extends Error {
  override name = 'ConfigError'
}

type Env = Record<string, string | undefined>

/** Reads a secret given as hex or base64(url); it must hold at least 32 bytes. */
export function decodeSecret(value: string, variable = 'SMS_AUTH_SECRET'): Uint8Array {
  const v = value.trim()
  let bytes: Uint8Array | undefined
  if (/^[0-9a-fA-F]+$/.test(v) && v.length % 2 === 0) {
    bytes = new Uint8Array(v.length / 2)
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(v.slice(i * 2, i * 2 + 2), 16)
  } else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) {
    const b64 = v.replace(/-/g, '+').replace(/_/g, '/')
    try {
      const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
      bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0))
    } catch {
      // Not decodable as base64 (e.g. a length of 4n + 1): refused below.
    }
  }
  if (!bytes || bytes.length < 32) {
    throw new ConfigError(`${variable} must be at least 32 bytes, written as hex or base64`)
  }
  return bytes
}

function wholeNumber(env: Env, name: string, min: number, max: number): number | undefined {
  const v = env[name]
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}`)
  }
  return n
}

function dbLimits(env: Env): Partial<DbLimits> {
  const limits = {
    maxConcurrency: wholeNumber(env, 'SMS_AUTH_DB_MAX_CONCURRENCY', 1, 1024),
    maxQueue: wholeNumber(env, 'SMS_AUTH_DB_MAX_QUEUE', 0, 100_000),
    callTimeoutMs: wholeNumber(env, 'SMS_AUTH_DB_TIMEOUT_MS', 100, 600_000),
    maxRequests: wholeNumber(env, 'SMS_AUTH_DB_MAX_REQUESTS', 1, 100_000),
    maxRunning: wholeNumber(env, 'SMS_AUTH_DB_MAX_RUNNING', 1, 100_000),
  }
  // Only what was given: the rest keep their defaults (edge/db/limits.ts).
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined))
}

/**
 * Builds the configuration. `generated` supplies the development secret and admin token that the
 * runtime entry keeps under ./data (the core never touches files).
 */
export function loadConfig(env: Env, generated?: { secret: string; adminToken: string }): Config {
  const mode = (env.SMS_AUTH_MODE ?? 'development') as Mode
  if (mode !== 'development' && mode !== 'production') {
    throw new ConfigError('SMS_AUTH_MODE must be "development" or "production"')
  }
  const port = Number(env.PORT ?? '8787')
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT must be a whole number from 0 to 65535')
  }
  const host = env.HOST || '127.0.0.1'
  const databaseUrl = env.DATABASE_URL || 'file:./data/sms-auth.db'
  if (!/^(file:|:memory:$|https?:\/\/|libsql:\/\/|wss?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be file:…, :memory:, http(s)://… or libsql://…')
  }
  if (mode === 'production' && !env.SMS_AUTH_SECRET) {
    throw new ConfigError(
      'SMS_AUTH_SECRET is required in production mode (≥ 32 bytes, hex or base64)',
    )
  }
  if (mode === 'production' && !env.SMS_AUTH_ADMIN_TOKEN) {
    throw new ConfigError('SMS_AUTH_ADMIN_TOKEN is required in production mode')
  }
  // The JWT issuer and the webhook base: a guess from HOST and PORT is wrong behind any proxy.
  if (mode === 'production' && !env.SMS_AUTH_PUBLIC_URL) {
    throw new ConfigError(
      'SMS_AUTH_PUBLIC_URL is required in production mode (e.g. https://auth.example.com)',
    )
  }
  const secretText = env.SMS_AUTH_SECRET || generated?.secret
  if (!secretText) throw new ConfigError('SMS_AUTH_SECRET is not set')
  const secret = decodeSecret(secretText)
  const previousSecret = otherSecret(env, 'SMS_AUTH_SECRET_PREVIOUS', [secret])
  const nextSecret = otherSecret(env, 'SMS_AUTH_SECRET_NEXT', [secret, previousSecret])
  const adminToken = env.SMS_AUTH_ADMIN_TOKEN || generated?.adminToken || ''
  if (adminToken.length < 16) {
    throw new ConfigError('SMS_AUTH_ADMIN_TOKEN must be at least 16 characters')
  }
  const publicUrl = (env.SMS_AUTH_PUBLIC_URL || `http://${host}:${port}`).replace(/\/+$/, '')
  try {
    new URL(publicUrl)
  } catch {
    throw new ConfigError(
      'SMS_AUTH_PUBLIC_URL must be an absolute URL such as https://auth.example.com',
    )
  }
  const databaseSyncUrl = syncUrlOf(env.SMS_AUTH_DB_SYNC_URL, databaseUrl)
  return {
    mode,
    port,
    host,
    databaseUrl,
    databaseAuthToken: env.DATABASE_AUTH_TOKEN || undefined,
    databaseSyncUrl,
    // An embedded replica pulls the primary's changes every second unless told otherwise.
    databaseSyncSeconds: wholeNumber(env, 'SMS_AUTH_DB_SYNC_SECONDS', 1, 3600) ?? 1,
    secret,
    previousSecret,
    nextSecret,
    adminToken,
    publicUrl,
    trustProxy: trustProxyOf(env.SMS_AUTH_TRUST_PROXY),
    allowPrivateBaseUrls: flag(
      env.SMS_AUTH_ALLOW_PRIVATE_BASE_URLS,
      'SMS_AUTH_ALLOW_PRIVATE_BASE_URLS',
    ),
    dbLimits: dbLimits(env),
    logLevel: logLevelOf(env.SMS_AUTH_LOG_LEVEL),
    metricsToken: metricsTokenOf(env.SMS_AUTH_METRICS_TOKEN),
    corsHeaders: corsHeadersOf(env.SMS_AUTH_CORS_HEADERS),
    // The user gets an answer within 8 s; a provider call keeps its 5 s.
    sendBudgetMs: wholeNumber(env, 'SMS_AUTH_SEND_BUDGET_MS', 100, 60_000) ?? 8000,
    providerTimeoutMs: wholeNumber(env, 'SMS_AUTH_PROVIDER_TIMEOUT_MS', 100, 60_000) ?? 5000,
    retention: {
      days: wholeNumber(env, 'SMS_AUTH_RETENTION_DAYS', 1, MAX_DAYS) ?? DEFAULT_RETENTION.days,
      auditDays:
        wholeNumber(env, 'SMS_AUTH_AUDIT_RETENTION_DAYS', 1, MAX_DAYS) ??
        DEFAULT_RETENTION.auditDays,
    },
  }
}

/** The primary of a read replica: a libSQL server, and DATABASE_URL must then be a replica. */
function syncUrlOf(value: string | undefined, databaseUrl: string): string | undefined {
  const v = value?.trim()
  if (!v) return undefined
  if (!/^(https?|libsql):\/\//.test(v))
    throw new ConfigError('SMS_AUTH_DB_SYNC_URL must be the primary: http(s)://… or libsql://…')
  if (databaseUrl === ':memory:' || databaseUrl === v)
    throw new ConfigError(
      'SMS_AUTH_DB_SYNC_URL needs DATABASE_URL to be a replica (file:… or sqld)',
    )
  return v
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i])

/** A rotation's other secret: well formed, and none of the secrets already given. */
function otherSecret(
  env: Env,
  variable: 'SMS_AUTH_SECRET_PREVIOUS' | 'SMS_AUTH_SECRET_NEXT',
  taken: (Uint8Array | undefined)[],
): Uint8Array | undefined {
  const value = env[variable]
  if (!value) return undefined
  const bytes = decodeSecret(value, variable)
  if (taken.some((t) => t && sameBytes(t, bytes))) {
    const others =
      variable === 'SMS_AUTH_SECRET_NEXT'
        ? 'SMS_AUTH_SECRET and SMS_AUTH_SECRET_PREVIOUS'
        : 'SMS_AUTH_SECRET'
    throw new ConfigError(
      `${variable} must differ from ${others} (unset it once a rotation is over)`,
    )
  }
  return bytes
}

function trustProxyOf(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim()
  if (v === '' || v === '0') return { kind: 'none' }
  if (/^\d+$/.test(v)) {
    const hops = Number(v)
    if (hops > MAX_HOPS) {
      throw new ConfigError(`SMS_AUTH_TRUST_PROXY must be a hop count from 1 to ${MAX_HOPS}`)
    }
    return { kind: 'hops', hops }
  }
  // Anything else is a list of proxies: `true` (Express's "trust everyone") is refused here too.
  const cidrs = v.split(',').map((entry) => entry.trim())
  for (const entry of cidrs) {
    if (!parseCidr(entry)) {
      throw new ConfigError(
        `SMS_AUTH_TRUST_PROXY: "${entry.slice(0, 50)}" is not an IP address or CIDR range ` +
          '(use 0, a hop count such as 1, or a list such as 10.0.0.0/8,2001:db8::/32)',
      )
    }
  }
  return { kind: 'cidrs', cidrs }
}

/** An HTTP field name (RFC 9110 §5.1); `*` is refused: it never covers Authorization. */
const FIELD_NAME = /^[!#$%&'+.^_`|~0-9A-Za-z-]+$/

function corsHeadersOf(value: string | undefined): string[] {
  const listed = value?.trim()
    ? value.split(',').map((name) => name.trim())
    : [...DEFAULT_CORS_HEADERS]
  for (const name of listed) {
    if (!FIELD_NAME.test(name)) {
      throw new ConfigError(
        `SMS_AUTH_CORS_HEADERS: "${name.slice(0, 50)}" is not a header name ` +
          '(a comma list such as Content-Type, Authorization, X-Request-Id)',
      )
    }
  }
  const names = new Map<string, string>()
  for (const name of [...REQUIRED_CORS_HEADERS, ...listed])
    if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name)
  return [...names.values()]
}

function metricsTokenOf(value: string | undefined): string | undefined {
  if (!value) return undefined
  if (value.length < 16)
    throw new ConfigError('SMS_AUTH_METRICS_TOKEN must be at least 16 characters')
  return value
}

function logLevelOf(value: string | undefined): LogLevel {
  const v = (value || 'info').toLowerCase()
  if ((LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel
  throw new ConfigError(`SMS_AUTH_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)
}

function flag(value: string | undefined, variable: string): boolean {
  if (value === undefined || value === '' || value === '0') return false
  if (value === '1') return true
  throw new ConfigError(`${variable} must be 1 or 0`)
}
