/**
 * The Deno entry (`npm run start:deno`): the same app as edge/node.ts on Deno 2's server. The only
 * file besides node.ts that knows its runtime.
 */
import { createClient } from '@libsql/client'
import { createAppWhenReady } from './startup.js'
import { keptWhenServer } from './db/kept-streams.js'
import { abortingFetch, driverAbortMs } from './db/limits.js'
import { tuneEmbeddedDatabase } from './db/pragmas.js'
import { ConfigError, loadConfig } from './config.js'
import { enabled, levelOf } from './logging.js'
import { scheduleMaintenance } from './maintenance/schedule.js'
import { site, type ReadFile } from './site.js'

interface DenoNet {
  remoteAddr: { hostname: string }
}
interface DenoApi {
  env: { toObject(): Record<string, string> }
  mkdirSync(path: string, opts: { recursive: boolean }): void
  readTextFileSync(path: string): string
  writeTextFileSync(path: string, data: string, opts?: { mode?: number }): void
  readFile(path: string): Promise<Uint8Array>
  exitCode: number
  unrefTimer(id: number): void
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', fn: () => void): void
  removeSignalListener(signal: 'SIGINT' | 'SIGTERM', fn: () => void): void
  serve(
    opts: { port: number; hostname: string; onListen(addr: { port: number }): void },
    handler: (req: Request, info: DenoNet) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> }
}
declare const Deno: DenoApi

const root = new URL('../', import.meta.url).pathname

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

function developmentSecrets(dir: string) {
  Deno.mkdirSync(dir, { recursive: true })
  const keep = (name: string, make: () => string) => {
    const file = `${dir}/${name}`
    try {
      return Deno.readTextFileSync(file).trim()
    } catch {
      const value = make()
      Deno.writeTextFileSync(file, value + '\n', { mode: 0o600 })
      return value
    }
  }
  return {
    secret: keep('secret', () => hex(crypto.getRandomValues(new Uint8Array(32)))),
    adminToken: keep('admin-token', () => hex(crypto.getRandomValues(new Uint8Array(18)))),
  }
}

function reader(dir: string): ReadFile {
  return async (path) => {
    try {
      return await Deno.readFile(`${dir}/${path}`)
    } catch {
      return null
    }
  }
}

async function main() {
  const env = Deno.env.toObject()
  const dev = (env.SMS_AUTH_MODE ?? 'development') === 'development'
  let config
  try {
    config = loadConfig(env, dev ? developmentSecrets('data') : undefined)
    if (config.databaseSyncUrl)
      throw new ConfigError('SMS_AUTH_DB_SYNC_URL (a read replica) is for npm start or start:bun')
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`sms-auth: ${err.message}`)
      Deno.exitCode = 1
      return
    }
    throw err
  }
  if (config.databaseUrl.startsWith('file:')) Deno.mkdirSync('data', { recursive: true })
  const fetch = abortingFetch(driverAbortMs(config.dbLimits))
  const client = createClient({
    url: config.databaseUrl,
    authToken: config.databaseAuthToken,
    fetch,
  })
  // A libSQL server: statements on kept streams (db/kept-streams.ts), as on Node.
  const db = keptWhenServer(client, config.databaseUrl, config.databaseAuthToken, fetch)
  await tuneEmbeddedDatabase(db, config.databaseUrl)
  // The same JSON lines as the Node entry's pino, filtered by SMS_AUTH_LOG_LEVEL.
  const log = (event: string, fields?: Record<string, unknown>) => {
    const level = levelOf(event)
    if (enabled(level, config.logLevel))
      console.log(JSON.stringify({ level, time: new Date().toISOString(), event, ...fields }))
  }
  const api = await createAppWhenReady({
    db,
    config,
    socketAddress: (c) => (c.env as DenoNet | undefined)?.remoteAddr?.hostname ?? 'unknown',
    log,
  })
  const handler = site(api, {
    widget: reader(`${root}dist/widget`),
    demo: dev ? reader(`${root}demo`) : null,
    admin: reader(`${root}demo/admin`),
    docs: reader(`${root}dist/docs`),
    vendor: reader(`${root}dist/vendor`),
  })
  const server = Deno.serve(
    {
      port: config.port,
      hostname: config.host,
      onListen: ({ port }) => {
        console.log(`sms-auth listening on http://${config.host}:${port}`)
        if (dev) console.log(`admin token: ${config.adminToken}`)
      },
    },
    (req, info) => handler(req, info as unknown as object),
  )
  // Retention off the request path; an unref'd timer never keeps the process alive.
  const stopMaintenance = scheduleMaintenance(api, log, (timer) =>
    Deno.unrefTimer(timer as unknown as number),
  )
  const stop = async () => {
    Deno.removeSignalListener('SIGINT', stop)
    Deno.removeSignalListener('SIGTERM', stop)
    stopMaintenance()
    await server.shutdown()
    await api.idle()
    db.close()
  }
  Deno.addSignalListener('SIGINT', stop)
  Deno.addSignalListener('SIGTERM', stop)
}

main().catch((err) => {
  console.error(`sms-auth: ${err instanceof Error ? err.message : String(err)}`)
  Deno.exitCode = 1
})
