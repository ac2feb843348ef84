// useSession(): the session the elements keep, as React state (useSyncExternalStore over the store).
import { useCallback, useSyncExternalStore } from 'react'
import { sessionStore } from '../client/index.js'
import type { ClientOptions, Session } from '../client/index.js'

/**
 * The signed-in session (`user`, `accessToken`, `expiresAt`) or null; re-renders when it starts,
 * refreshes or ends, in this tab or (with `storage: 'local'`) another one.
 */
export function useSession(options: ClientOptions = {}): Session | null {
  const store = sessionStore(options)
  const subscribe = useCallback((cb: () => void) => store.subscribe(cb), [store])
  const get = useCallback(() => store.get(), [store])
  return useSyncExternalStore(subscribe, get, () => null)
}
