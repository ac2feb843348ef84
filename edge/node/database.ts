/**
 * The Node entry's database (Bun runs it too): one libSQL client, or, with SMS_AUTH_DB_SYNC_URL,
 * a replica for the reads of requests that decide nothing and the primary for everything else
 * (edge/db/replica.ts says which). Which requests those are is known here, per request, through
 * AsyncLocalStorage: `serving(req, fn)` runs the request's handler with its answer.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { createClient, type Client } from '@libsql/client'
import type { Config } from '../config.js'
import { keptWhenServer } from '../db/kept-streams.js'
import { driverAbortMs } from '../db/limits.js'
import { tuneEmbeddedDatabase } from '../db/pragmas.js'
import { ReplicaClient } from '../db/replica.js'
import { groupCommits } from './group-commit.js'
import { nodeFetch } from './http-fetch.js'
import { cachePreparedStatements } from './statement-cache.js'

export interface Database {
  /** What createApp gets (it runs the migrations on it, then guards it). */
  db: Client
  /** Runs a request's handler; with a replica, its plain reads may go there when it decides nothing. */
  serving<T>(req: Request, handler: () => T): T
  /** An embedded replica's first pull, once the migrations have run on the primary. */
  synced(): Promise<void>
}

/**
 * A request may read a replica when its answer decides nothing: a GET or HEAD without credentials
 * (the widget's /v1/config, the JWKS, the development outbox). Anything with a bearer token reads
 * the primary, so a session revoked on another instance is refused here at once.
 */
export function mayReadReplica(req: Request): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !req.headers.has('authorization')
}

export async function openDatabase(config: Config): Promise<Database> {
  // An embedded database (file:) prepares through libsql: its statements are kept
  // (statement-cache.ts). Not with an embedded replica, whose sync changes the file beneath them.
  if (config.databaseUrl.startsWith('file:') && !config.databaseSyncUrl) cachePreparedStatements()
  const remote = (url: string) => {
    // Kept-alive node:http instead of fetch: a third less CPU a round trip (http-fetch.ts).
    const fetch = nodeFetch(driverAbortMs(config.dbLimits))
    const client = createClient({ url, authToken: config.databaseAuthToken, fetch })
    // A libSQL server over HTTP: statements on kept streams, not a new one each (kept-streams.ts).
    return keptWhenServer(client, url, config.databaseAuthToken, fetch)
  }
  if (!config.databaseSyncUrl) {
    const client = remote(config.databaseUrl)
    await tuneEmbeddedDatabase(client, config.databaseUrl)
    // An embedded database's write batches commit in groups (group-commit.ts).
    const db = client.protocol === 'file' ? groupCommits(client) : client
    return { db, serving: (_req, handler) => handler(), synced: async () => {} }
  }
  const embedded = config.databaseUrl.startsWith('file:')
  // An embedded replica is read-only here: writes never go through it, since its driver waits
  // for a delegated write synchronously, holding up the event loop for a round trip.
  const replica = embedded
    ? createClient({
        url: config.databaseUrl,
        syncUrl: config.databaseSyncUrl,
        authToken: config.databaseAuthToken,
        syncInterval: config.databaseSyncSeconds,
      })
    : remote(config.databaseUrl)
  const staleOk = new AsyncLocalStorage<boolean>()
  const db = new ReplicaClient({
    replica,
    primary: remote(config.databaseSyncUrl),
    mayReadReplica: () => staleOk.getStore() ?? false,
  })
  return {
    db,
    serving: (req, handler) => staleOk.run(mayReadReplica(req), handler),
    synced: async () => {
      await db.sync()
    },
  }
}
