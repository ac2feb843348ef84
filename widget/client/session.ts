// The browser session as the store keeps it: types, the refresh margin, and (de)serialising.
import type { Session as TokenPair, SignedIn, User } from '../api/types.js'

/** Where a session is kept: this page only, this tab (default), or every tab of the origin. */
export type StorageMode = 'memory' | 'session' | 'local'
export const DEFAULT_STORAGE: StorageMode = 'session'

/** The access token is refreshed this long before it expires. */
export const REFRESH_MARGIN_MS = 60_000
/** After a refresh that failed for want of a network, the next try waits this long. */
export const REFRESH_RETRY_MS = 15_000

/** A signed-in user as the page sees it (the refresh token stays inside the store). */
export interface Session {
  user: User
  accessToken: string
  /** When the access token expires, in milliseconds since the epoch. */
  expiresAt: number
}

/** Why the session changed: signed in, a new access token, or signed out (or refused). */
export type SessionChangeReason = 'start' | 'refresh' | 'end'
export interface SessionChange {
  session: Session | null
  reason: SessionChangeReason
}

/** What is stored: the page's session plus its refresh token. */
export interface StoredSession extends Session {
  refreshToken: string
}

export function fromSignedIn(r: SignedIn, now: number): StoredSession {
  return fromPair(r.user, r.session, now)
}

export function fromPair(user: User, pair: TokenPair, now: number): StoredSession {
  const { accessToken, refreshToken, expiresIn } = pair
  return { user, accessToken, refreshToken, expiresAt: now + expiresIn * 1000 }
}

/** Parses what storage held; anything but a well-formed session reads as none. */
export function parse(text: string | null | undefined): StoredSession | null {
  try {
    const v = JSON.parse(text ?? 'null') as Partial<StoredSession> | null
    const ok =
      typeof v?.accessToken === 'string' &&
      typeof v.refreshToken === 'string' &&
      typeof v.expiresAt === 'number' &&
      typeof v.user?.id === 'string'
    return ok ? (v as StoredSession) : null
  } catch {
    return null // unreadable: none
  }
}

export function publicView(s: StoredSession): Session {
  return { user: s.user, accessToken: s.accessToken, expiresAt: s.expiresAt }
}
