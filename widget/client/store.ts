// One signed-in session: kept in the chosen storage, refreshed before it expires and on a 401
// (single-flight), ended when the API refuses its refresh token, and kept in step across tabs.
import type { SmsAuthApi } from '../api/client.js'
import type { SignedIn } from '../api/types.js'
import { DEFAULT_STORAGE, REFRESH_MARGIN_MS, REFRESH_RETRY_MS } from './session.js'
import type { Session, SessionChange, StorageMode, StoredSession } from './session.js'
import { fromPair, fromSignedIn, parse, publicView } from './session.js'

/** What the store needs of an API client: `HttpApiClient` has it all. */
export type SessionApi = Pick<SmsAuthApi, 'logout' | 'refresh'>

export interface StoreOptions {
  /** Storage key; without one the session stays in memory (a page's own transport, a fake). */
  key?: string
  storage?: StorageMode
  /** Milliseconds since the epoch; tests pass their own clock. */
  now?: () => number
}

type Listener = (change: SessionChange) => void

function area(mode: StorageMode): Storage | undefined {
  try {
    return mode === 'local' ? localStorage : mode === 'session' ? sessionStorage : undefined
  } catch {
    return undefined // storage disabled: memory it is
  }
}

export class SessionStore {
  readonly api: SessionApi
  readonly key?: string
  #mode: StorageMode
  #now: () => number
  #stored: StoredSession | null = null
  #view: Session | null = null
  #listeners = new Set<Listener>()
  #refreshing?: Promise<Session | null>
  #timer?: ReturnType<typeof setTimeout>
  #channel?: BroadcastChannel

  constructor(api: SessionApi, options: StoreOptions = {}) {
    this.api = api
    this.key = options.key
    this.#mode = options.key ? (options.storage ?? DEFAULT_STORAGE) : 'memory'
    this.#now = options.now ?? Date.now
    this.#listen()
    this.#adopt(this.#read())
  }

  get storage(): StorageMode {
    return this.#mode
  }

  /**
   * Moves the session to another storage (`memory` keeps it for this page only); signed out, it
   * takes the session that storage holds (a page that named no storage before the elements did).
   */
  set storage(mode: StorageMode) {
    if (!this.key || mode === this.#mode) return
    const s = this.#stored
    if (s) this.#write(null)
    this.#mode = mode
    if (s) this.#write(s)
    else this.#adopt(this.#read(), true)
  }

  /** The current session, or null; the same object until it changes. */
  get(): Session | null {
    return this.#view
  }

  /** Calls `cb` on every change (here, or in another tab with `local` storage). */
  subscribe(cb: Listener): () => void {
    this.#listeners.add(cb)
    return () => void this.#listeners.delete(cb)
  }

  /** Keeps what a sign-in or registration answered. */
  set(r: SignedIn): Session {
    this.#change(fromSignedIn(r, this.#now()), true)
    return this.#view!
  }

  /** A valid access token (refreshed first when it is about to expire), or null when signed out. */
  async accessToken(): Promise<string | null> {
    this.#adopt(this.#read(), true)
    const s = this.#stored
    if (!s) return null
    if (s.expiresAt - REFRESH_MARGIN_MS > this.#now()) return s.accessToken
    return (await this.refresh())?.accessToken ?? null
  }

  /**
   * Rotates the refresh token. Concurrent callers share one request; given the token that a 401
   * refused, a caller whose token was already replaced gets the new one without a request. A
   * refusal signs out; a network failure keeps the session and rejects.
   */
  refresh(failed?: string): Promise<Session | null> {
    if (this.#refreshing) return this.#refreshing
    this.#adopt(this.#read(), true)
    const s = this.#stored
    if (!s || (failed && s.accessToken !== failed)) return Promise.resolve(this.#view)
    if (!this.api.refresh) {
      this.#change(null, true)
      return Promise.resolve(null)
    }
    const run = this.api.refresh(s.refreshToken).then(
      (pair) => {
        if (this.#stored?.refreshToken === s.refreshToken)
          this.#change(fromPair(s.user, pair, this.#now()), true)
        return this.#view
      },
      (e: unknown) => {
        const status = (e as { status?: number }).status
        if (status === 401 || status === 403) {
          // Reuse after the grace period, or a session that ended: unless another tab already
          // rotated it, this session is over.
          const now = this.#read()
          if (now && now.refreshToken !== s.refreshToken) this.#adopt(now, true)
          else if (this.#stored?.refreshToken === s.refreshToken) this.#change(null, true)
          return this.#view
        }
        this.#schedule(REFRESH_RETRY_MS)
        throw e
      },
    )
    this.#refreshing = run
    const done = () => void (this.#refreshing = undefined)
    run.then(done, done)
    return run
  }

  /** Revokes the session server-side (`DELETE /v1/sessions/current`) and clears it everywhere. */
  async signOut(): Promise<void> {
    const token = await this.accessToken().catch(() => this.#stored?.accessToken ?? null)
    this.#change(null, true)
    if (token) await this.api.logout(token).catch(() => undefined)
  }

  #read(): StoredSession | null {
    if (!this.key) return this.#stored
    const a = area(this.#mode)
    if (!a) return this.#stored
    try {
      return parse(a.getItem(this.key))
    } catch {
      return this.#stored
    }
  }

  #write(s: StoredSession | null): void {
    const a = this.key ? area(this.#mode) : undefined
    try {
      if (s) a?.setItem(this.key!, JSON.stringify(s))
      else a?.removeItem(this.key!)
    } catch {
      // full or disabled: the session lives on in memory
    }
  }

  /** A new session state of our own: stored, announced to other tabs and to listeners. */
  #change(s: StoredSession | null, notify: boolean): void {
    this.#write(s)
    this.#adopt(s, notify)
    if (this.#mode === 'local') this.#channel?.postMessage('changed')
  }

  /** Takes `s` as the state (read from storage or just made), telling listeners if it differs. */
  #adopt(s: StoredSession | null, notify = false): void {
    const was = this.#stored
    if (was?.accessToken === s?.accessToken && was?.refreshToken === s?.refreshToken) return
    this.#stored = s
    this.#view = s ? publicView(s) : null
    this.#schedule()
    if (!notify) return
    const reason = !s ? 'end' : !was || was.user.id !== s.user.id ? 'start' : 'refresh'
    const change: SessionChange = { session: this.#view, reason }
    for (const cb of [...this.#listeners]) cb(change)
  }

  #schedule(delay?: number): void {
    clearTimeout(this.#timer)
    const s = this.#stored
    if (!s) return
    const wait = delay ?? Math.max(0, s.expiresAt - REFRESH_MARGIN_MS - this.#now())
    // Through accessToken(): it re-reads storage first, so a tab whose session another tab has
    // just refreshed does not rotate it again. Timers past 2^31 ms would fire at once.
    this.#timer = setTimeout(
      () => void this.accessToken().catch(() => undefined),
      Math.min(wait, 2 ** 31 - 1),
    )
  }

  /**
   * Other tabs (`local` storage): the `storage` event and a message on a BroadcastChannel, both
   * (a background tab in Chromium can miss the message; the event also covers a tab whose script
   * writes storage itself). Taking the same state twice changes nothing.
   */
  #listen(): void {
    if (!this.key) return
    const sync = () => {
      if (this.#mode === 'local') this.#adopt(this.#read(), true)
    }
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(this.key)
      this.#channel.onmessage = sync
    }
    if (typeof addEventListener === 'function')
      addEventListener('storage', (e) => {
        if (e.key === this.key || e.key === null) sync()
      })
  }

  /** Stops timers and cross-tab listening (tests; a page never needs it). */
  close(): void {
    clearTimeout(this.#timer)
    this.#channel?.close()
  }
}
