// sms-auth's browser client (no lit): the session the elements keep, and typed API calls with it.
import { apiOf, sessionStore } from './registry.js'
import type { ClientOptions } from './registry.js'
import type { SessionClient } from './api.js'
import type { Session, SessionChange } from './session.js'

export type { ClientOptions } from './registry.js'
export type { SessionClient } from './api.js'
export type { Session, SessionChange, SessionChangeReason, StorageMode } from './session.js'
export { REFRESH_MARGIN_MS } from './session.js'
export { SessionStore } from './store.js'
export type { SessionApi, StoreOptions } from './store.js'
export { sessionStore } from './registry.js'

/** The signed-in session (restored from storage on load), or null. */
export function getSession(options?: ClientOptions): Session | null {
  return sessionStore(options).get()
}

/** A valid access token, refreshed first when it is about to expire; null when signed out. */
export function getAccessToken(options?: ClientOptions): Promise<string | null> {
  return sessionStore(options).accessToken()
}

/** Calls `cb` whenever the session starts, refreshes or ends; returns the unsubscribe function. */
export function onSessionChange(
  cb: (change: SessionChange) => void,
  options?: ClientOptions,
): () => void {
  return sessionStore(options).subscribe(cb)
}

/** Revokes the session server-side and clears it in every tab. */
export function signOut(options?: ClientOptions): Promise<void> {
  return sessionStore(options).signOut()
}

const clients = new WeakMap<object, SessionClient>()

/**
 * Typed calls for every non-admin route, with the stored session's token. The calls load on first
 * use (a chunk of their own: widget.js stays small), so every one of them returns a promise.
 */
export function getClient(options?: ClientOptions): SessionClient {
  const [api, store] = [apiOf(options), sessionStore(options)]
  let c = clients.get(api)
  if (!c) {
    let real: Promise<Record<string, (...args: unknown[]) => unknown>> | undefined
    const load = () =>
      (real ??= import('./api.js').then(
        (m) =>
          m.sessionClient(api, store) as unknown as Record<string, (...a: unknown[]) => unknown>,
      ))
    // Not a thenable: `then` reads as undefined, so the client can be returned from async code.
    const call =
      (name: string) =>
      async (...args: unknown[]) =>
        (await load())[name]!(...args)
    c = new Proxy(
      {},
      { get: (_, name) => (name === 'then' || typeof name !== 'string' ? undefined : call(name)) },
    ) as SessionClient
    clients.set(api, c)
  }
  return c
}
