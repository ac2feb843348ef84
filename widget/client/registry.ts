// One session store per page per API: per origin for the fetch clients, per object for others.
import { clientFor } from '../api/client.js'
import type { SmsAuthApi } from '../api/client.js'
import { scriptOrigin } from '../api/origin.js'
import type { StorageMode } from './session.js'
import { SessionStore } from './store.js'
import type { SessionApi } from './store.js'

/** What the public functions take: the API origin (default: where widget.js came from) and storage. */
export interface ClientOptions {
  api?: string
  storage?: StorageMode
}

const stores = new WeakMap<SessionApi, SessionStore>()

/** The storage key of an API origin's session. */
export function storageKey(base: string): string {
  return `sms-auth:session:${base}`
}

/**
 * The store of `api`, made on first use. A client with a `base` (the fetch client) keeps its
 * session in `storage` (default `session`); any other client keeps it in memory. A later caller
 * that names a storage moves the session there.
 */
export function storeOf(api: SessionApi & { base?: unknown }, storage?: StorageMode): SessionStore {
  let s = stores.get(api)
  if (!s) {
    const key = typeof api.base === 'string' ? storageKey(api.base) : undefined
    stores.set(api, (s = new SessionStore(api, { key, storage })))
  } else if (storage) s.storage = storage
  return s
}

/** The fetch client of an API origin (default: the origin widget.js was loaded from). */
export function apiOf(options: ClientOptions = {}): SmsAuthApi {
  return clientFor(options.api || scriptOrigin)
}

export function sessionStore(options: ClientOptions = {}): SessionStore {
  return storeOf(apiOf(options), options.storage)
}
