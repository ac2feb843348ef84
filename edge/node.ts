/**
 * The Node entry (`npm start`): the only file that knows it runs on Node. Reads the environment,
 * keeps the development secret and admin token under ./data, opens libSQL, serves on PORT.
 */
import { serve } from '@hono/node-server'
import { pino } from 'pino'
import type { Server } from 'node:http'
import { getConnInfo } from '@hono/node-server/conninfo'
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAppWhenReady } from './startup.js'
import { ConfigError, loadConfig } from './config.js'
import { levelOf } from './logging.js'
import { scheduleMaintenance } from './maintenance/schedule.js'
import { nodeCrypto } from './node/crypto.js'
import { openDatabase } from './node/database.js'
import { gracefulStop } from './node/shutdown.js'
import { site, type ReadFile } from './site.js'

const root = resolve(fileURLToPath(import.meta.url), '../..')

function developmentSecrets(dir: string) {
  mkdirSync(dir, { recursive: true })
  const keep = (name: string, make: () => string) => {
    const file = join(dir, name)
    if (existsSync(file)) return readFileSync(file, 'utf8').trim()
    const value = make()
    writeFileSync(file, value + '\n', { mode: 0o600 })
    return value
  }
  return {
    secret: keep('secret', () => randomBytes(32).toString('hex')),
    adminToken: keep('admin-token', () => randomBytes(24).toString('base64url')),
  }
}

function reader(dir: string): ReadFile {
  return async (path) => {
    try {
      return new Uint8Array(await readFile(join(dir, path)))
    } catch {
      return null
    }
  }
}

async function main() {
  const env = process.env
  const dev = (env.SMS_AUTH_MODE ?? 'development') === 'development'
  let config
  try {
    config = loadConfig(env, dev ? developmentSecrets(resolve('data')) : undefined)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`sms-auth: ${err.message}`)
      process.exitCode = 1
      return
    }
    throw err
  }
  if (config.databaseUrl.startsWith('file:')) mkdirSync(resolve('data'), { recursive: true })
  // With SMS_AUTH_DB_SYNC_URL, DATABASE_URL is a read replica (edge/node/database.ts).
  const database = await openDatabase(config)
  const db = database.db
  // pino (Node only, behind this entry): one JSON line per event, at the event's level. Written
  // asynchronously (pino's "asynchronous logging"): lines logged while a write is under way go out
  // together in the next, off the event loop, instead of a write system call per line on it; what
  // is still buffered when the process exits is written then.
  const destination = pino.destination({ dest: 1, sync: false })
  process.on('exit', () => flushLog(destination))
  const logger = pino(
    {
      level: config.logLevel,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  )
  // An event below the level costs a lookup, not an object copy (the debug events come per request).
  const log = (event: string, fields?: Record<string, unknown>) => {
    const level = levelOf(event)
    if (logger.isLevelEnabled(level)) logger[level]({ event, ...fields })
  }
  const api = await createAppWhenReady({
    db,
    config,
    socketAddress: (c) => getConnInfo(c).remote.address ?? 'unknown',
    log,
    // AES-GCM and ES256 through node:crypto's synchronous calls, not Web Crypto's async jobs.
    crypto: nodeCrypto,
  })
  // The replica's first pull; should the primary be gone again already, the periodic sync (or the
  // primary, for every request that decides something) takes over.
  await database
    .synced()
    .catch((err: unknown) =>
      log('replica.sync_failed', { name: err instanceof Error ? err.name : 'unknown' }),
    )
  // The demo shop only in development; the admin page (same-origin, token-gated) in every mode.
  const handler = site(api, {
    widget: reader(join(root, 'dist/widget')),
    demo: dev ? reader(join(root, 'demo')) : null,
    admin: reader(join(root, 'demo/admin')),
    docs: reader(join(root, 'dist/docs')),
    vendor: reader(join(root, 'dist/vendor')),
  })
  const server = serve(
    {
      fetch: (req, env) => database.serving(req, () => handler(req, env as object)),
      port: config.port,
      hostname: config.host,
    },
    (info) => {
      console.log(`sms-auth listening on http://${config.host}:${info.port}`)
      if (dev) {
        console.log(
          `development mode: console SMS provider, outbox at /v1/dev/outbox, admin at /admin`,
        )
        console.log(`admin token: ${config.adminToken}`)
      }
    },
  )
  // Retention off the request path; the timer alone never keeps the process alive.
  const stopMaintenance = scheduleMaintenance(api, log, (timer) => timer.unref())
  const stopServer = gracefulStop(server as Server, api, () => db.close(), log)
  const stop = () => {
    stopMaintenance()
    stopServer()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** The log lines still buffered, written before the process ends (on a crash too). */
function flushLog(destination: { flushSync(): void }): void {
  try {
    destination.flushSync()
  } catch {
    // Standard output is gone: nothing can be written anyway.
  }
}

main().catch((err) => {
  console.error(`sms-auth: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 1
})
