import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../edge/config.js'
import { defaultDbLimits } from '../../edge/db/limits.js'

const SECRET_HEX = 'ab'.repeat(32)
const ADMIN = 'admin-token-0123456789'
const PROD = {
  SMS_AUTH_MODE: 'production',
  SMS_AUTH_SECRET: SECRET_HEX,
  SMS_AUTH_ADMIN_TOKEN: ADMIN,
  SMS_AUTH_PUBLIC_URL: 'https://auth.example.com',
}
const GENERATED = { secret: 'cd'.repeat(32), adminToken: 'generated-admin-token-0000' }

/** The ConfigError loadConfig throws for `env`, checked to be one line naming `variable`. */
function refusal(env: Record<string, string | undefined>, variable: string): ConfigError {
  let caught: unknown
  try {
    loadConfig(env, GENERATED)
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(ConfigError)
  const err = caught as ConfigError
  expect(err.name).toBe('ConfigError')
  expect(err.message).toContain(variable)
  expect(err.message).not.toMatch(/\n/)
  expect(err.message.length).toBeLessThan(200)
  return err
}

describe('loadConfig', () => {
  it('runs in development with no configuration at all, on the documented defaults', () => {
    const c = loadConfig({}, GENERATED)
    expect(c).toMatchObject({
      mode: 'development',
      port: 8787,
      host: '127.0.0.1',
      databaseUrl: 'file:./data/sms-auth.db',
      adminToken: GENERATED.adminToken,
      publicUrl: 'http://127.0.0.1:8787',
      trustProxy: { kind: 'none' },
      allowPrivateBaseUrls: false,
    })
    expect(c.secret).toHaveLength(32)
  })

  it('honours the documented variables', () => {
    const c = loadConfig({
      ...PROD,
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'libsql://db.example.com',
      DATABASE_AUTH_TOKEN: 'tok',
      SMS_AUTH_PUBLIC_URL: 'https://auth.example.com/',
      SMS_AUTH_TRUST_PROXY: '1',
      SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: '1',
    })
    expect(c).toMatchObject({
      mode: 'production',
      port: 9000,
      host: '0.0.0.0',
      databaseUrl: 'libsql://db.example.com',
      databaseAuthToken: 'tok',
      adminToken: ADMIN,
      publicUrl: 'https://auth.example.com',
      trustProxy: { kind: 'hops', hops: 1 },
      allowPrivateBaseUrls: true,
    })
    expect(loadConfig({ PORT: '9000' }, GENERATED).publicUrl).toBe('http://127.0.0.1:9000')
  })

  it('accepts a 32-byte secret as hex or base64', () => {
    expect(loadConfig({ ...PROD }).secret).toEqual(new Uint8Array(32).fill(0xab))
    const b64 = Buffer.from(new Uint8Array(32).fill(7)).toString('base64')
    expect(loadConfig({ ...PROD, SMS_AUTH_SECRET: b64 }).secret).toEqual(new Uint8Array(32).fill(7))
    const b64url = Buffer.from(new Uint8Array(48).fill(0xfb)).toString('base64url')
    expect(loadConfig({ ...PROD, SMS_AUTH_SECRET: b64url }).secret).toHaveLength(48)
  })

  it('refuses production without SMS_AUTH_SECRET, even with a generated one', () => {
    refusal({ ...PROD, SMS_AUTH_SECRET: undefined }, 'SMS_AUTH_SECRET')
    refusal({ ...PROD, SMS_AUTH_SECRET: '' }, 'SMS_AUTH_SECRET')
  })

  it('refuses production without SMS_AUTH_ADMIN_TOKEN, even with a generated one', () => {
    refusal({ ...PROD, SMS_AUTH_ADMIN_TOKEN: undefined }, 'SMS_AUTH_ADMIN_TOKEN')
    refusal({ ...PROD, SMS_AUTH_ADMIN_TOKEN: '' }, 'SMS_AUTH_ADMIN_TOKEN')
  })

  it('refuses production without SMS_AUTH_PUBLIC_URL (the issuer and webhook base)', () => {
    refusal({ ...PROD, SMS_AUTH_PUBLIC_URL: undefined }, 'SMS_AUTH_PUBLIC_URL')
    refusal({ ...PROD, SMS_AUTH_PUBLIC_URL: '' }, 'SMS_AUTH_PUBLIC_URL')
    // Development still guesses it from HOST and PORT.
    expect(loadConfig({ PORT: '9001' }, GENERATED).publicUrl).toBe('http://127.0.0.1:9001')
  })

  it('takes SMS_AUTH_CORS_HEADERS as a comma list, Content-Type and Authorization always kept', () => {
    expect(loadConfig({}, GENERATED).corsHeaders).toEqual([
      'Content-Type',
      'Authorization',
      'X-Request-Id',
      'sentry-trace',
      'baggage',
    ])
    expect(
      loadConfig({ SMS_AUTH_CORS_HEADERS: 'x-tenant, AUTHORIZATION' }, GENERATED).corsHeaders,
    ).toEqual(['Content-Type', 'Authorization', 'x-tenant'])
    for (const bad of ['X-Ok, ', 'X Bad', '*', 'X-Ok,,X-Two', 'x-a:b', 'x-é'])
      refusal({ SMS_AUTH_CORS_HEADERS: bad }, 'SMS_AUTH_CORS_HEADERS')
  })

  it('refuses a secret shorter than 32 bytes or not hex/base64', () => {
    refusal({ ...PROD, SMS_AUTH_SECRET: 'ab'.repeat(31) }, 'SMS_AUTH_SECRET')
    refusal({ ...PROD, SMS_AUTH_SECRET: 'short' }, 'SMS_AUTH_SECRET')
    refusal({ ...PROD, SMS_AUTH_SECRET: Buffer.alloc(31, 1).toString('base64') }, 'SMS_AUTH_SECRET')
    refusal({ ...PROD, SMS_AUTH_SECRET: 'not a secret! '.repeat(5) }, 'SMS_AUTH_SECRET')
    refusal({ SMS_AUTH_SECRET: 'ab'.repeat(8) }, 'SMS_AUTH_SECRET')
  })

  it('takes SMS_AUTH_DB_MAX_REQUESTS as the door of the database guard, over the driver default', () => {
    expect(loadConfig({ SMS_AUTH_DB_MAX_REQUESTS: '12' }, GENERATED).dbLimits).toEqual({
      maxRequests: 12,
    })
    expect(defaultDbLimits('file').maxRequests).toBe(256)
    expect(defaultDbLimits('http').maxRequests).toBe(64)
    refusal({ SMS_AUTH_DB_MAX_REQUESTS: '0' }, 'SMS_AUTH_DB_MAX_REQUESTS')
    refusal({ SMS_AUTH_DB_MAX_REQUESTS: 'many' }, 'SMS_AUTH_DB_MAX_REQUESTS')
  })

  it('takes SMS_AUTH_DB_MAX_RUNNING as how many of those run at once, over the driver default', () => {
    expect(loadConfig({ SMS_AUTH_DB_MAX_RUNNING: '3' }, GENERATED).dbLimits).toEqual({
      maxRunning: 3,
    })
    refusal({ SMS_AUTH_DB_MAX_RUNNING: '0' }, 'SMS_AUTH_DB_MAX_RUNNING')
    refusal({ SMS_AUTH_DB_MAX_RUNNING: '2.5' }, 'SMS_AUTH_DB_MAX_RUNNING')
  })

  it('refuses a bad PORT', () => {
    for (const port of ['abc', '70000', '-1', '80.5', '65536'])
      refusal({ ...PROD, PORT: port }, 'PORT')
  })

  it('refuses a bad mode, database URL, admin token or public URL', () => {
    refusal({ SMS_AUTH_MODE: 'prod' }, 'SMS_AUTH_MODE')
    refusal({ DATABASE_URL: 'postgres://db' }, 'DATABASE_URL')
    refusal({ ...PROD, SMS_AUTH_ADMIN_TOKEN: 'short' }, 'SMS_AUTH_ADMIN_TOKEN')
    refusal({ SMS_AUTH_PUBLIC_URL: 'not a url' }, 'SMS_AUTH_PUBLIC_URL')
  })

  it('reads SMS_AUTH_TRUST_PROXY as none, a hop count or a list of proxies', () => {
    const trust = (value: string | undefined) =>
      loadConfig({ SMS_AUTH_TRUST_PROXY: value }, GENERATED).trustProxy
    expect(trust(undefined)).toEqual({ kind: 'none' })
    expect(trust('')).toEqual({ kind: 'none' })
    expect(trust('0')).toEqual({ kind: 'none' })
    expect(trust('2')).toEqual({ kind: 'hops', hops: 2 })
    expect(trust(' 10.0.0.0/8, 2001:db8::/32 ,192.0.2.1,::1')).toEqual({
      kind: 'cidrs',
      cidrs: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1', '::1'],
    })
  })

  it('refuses a SMS_AUTH_TRUST_PROXY that is no hop count and no list of addresses', () => {
    // `true` is Express's "trust every hop": exactly the forgeable header this setting guards.
    for (const value of [
      'true',
      'yes',
      '33',
      '-1',
      '1.5',
      '10.0.0.0/33',
      '10.0.0/8',
      '010.0.0.1',
      '0x0a.0.0.1',
      '2001:db8::/129',
      '10.0.0.0/8,',
      '10.0.0.0/8,,::1',
      'loopback',
    ])
      refusal({ SMS_AUTH_TRUST_PROXY: value }, 'SMS_AUTH_TRUST_PROXY')
  })

  it('reads SMS_AUTH_ALLOW_PRIVATE_BASE_URLS as 1 or 0, nothing else', () => {
    expect(
      loadConfig({ SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: '0' }, GENERATED).allowPrivateBaseUrls,
    ).toBe(false)
    refusal({ SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: 'yes' }, 'SMS_AUTH_ALLOW_PRIVATE_BASE_URLS')
  })

  it('reads a replica configuration: the primary in SMS_AUTH_DB_SYNC_URL, the replica in DATABASE_URL', () => {
    const c = loadConfig(
      {
        DATABASE_URL: 'file:./data/replica.db',
        SMS_AUTH_DB_SYNC_URL: 'libsql://db.example.turso.io',
      },
      GENERATED,
    )
    expect(c.databaseSyncUrl).toBe('libsql://db.example.turso.io')
    expect(c.databaseSyncSeconds).toBe(1)
    expect(loadConfig({}, GENERATED).databaseSyncUrl).toBeUndefined()
    expect(
      loadConfig(
        {
          DATABASE_URL: 'http://replica.internal:8080',
          SMS_AUTH_DB_SYNC_URL: 'http://primary.internal:8080',
          SMS_AUTH_DB_SYNC_SECONDS: '15',
        },
        GENERATED,
      ).databaseSyncSeconds,
    ).toBe(15)
  })

  it('refuses a sync URL that is no libSQL server, or no replica to sync', () => {
    refusal({ SMS_AUTH_DB_SYNC_URL: 'file:./primary.db' }, 'SMS_AUTH_DB_SYNC_URL')
    refusal({ SMS_AUTH_DB_SYNC_URL: 'ftp://primary' }, 'SMS_AUTH_DB_SYNC_URL')
    refusal(
      { DATABASE_URL: ':memory:', SMS_AUTH_DB_SYNC_URL: 'http://primary:8080' },
      'SMS_AUTH_DB_SYNC_URL',
    )
    refusal(
      { DATABASE_URL: 'http://primary:8080', SMS_AUTH_DB_SYNC_URL: 'http://primary:8080' },
      'SMS_AUTH_DB_SYNC_URL',
    )
    for (const value of ['0', '3601', '1.5'])
      refusal(
        { SMS_AUTH_DB_SYNC_URL: 'http://p:8080', SMS_AUTH_DB_SYNC_SECONDS: value },
        'SMS_AUTH_DB_SYNC_SECONDS',
      )
  })
})
