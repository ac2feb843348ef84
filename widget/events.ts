/**
 * The elements' DOM types, declared once: each event's detail, the event map both elements
 * dispatch (bubbling and composed), and the tag names. Importing `sms-auth/widget` (or any entry
 * that imports it) types `document.querySelector('sms-login')` and
 * `addEventListener('sms-auth-login', (e) => e.detail.user)`.
 */
import type { PhoneVerifiedDetail, PhoneVerify } from './phone-verify/phone-verify.js'
import type { SignedInDetail, SmsLogin } from './sms-login/sms-login.js'
import type { User } from './api/types.js'
import type { SessionChange } from './client/index.js'

/** `sms-auth-error`: every error the user is shown (`code` from shared/errors.ts, or the widget's). */
export interface ErrorDetail {
  code: string
  message: string
}

/** `sms-auth-phone-removed`: the account without its phone (when the API returned it). */
export interface PhoneRemovedDetail {
  user?: User
}

/** `sms-auth-account-deleted`: `<phone-verify profile>` deleted the signed-in account. */
export interface AccountDeletedDetail {
  userId: string
}

/** Every event of `<sms-login>` and `<phone-verify>`, by name. */
export interface SmsAuthEventMap {
  'sms-auth-login': CustomEvent<SignedInDetail>
  'sms-auth-register': CustomEvent<SignedInDetail>
  'sms-auth-error': CustomEvent<ErrorDetail>
  'sms-auth-phone-verified': CustomEvent<PhoneVerifiedDetail>
  'sms-auth-phone-removed': CustomEvent<PhoneRemovedDetail>
  'sms-auth-account-deleted': CustomEvent<AccountDeletedDetail>
  /** The session started, refreshed or ended (both elements). */
  'sms-auth-session': CustomEvent<SessionChange>
}

/** What a page sets on `<sms-login>`, as properties (the rest of the class is its own business). */
export type SmsLoginProperties = Partial<
  Pick<
    SmsLogin,
    'api' | 'locale' | 'defaultCountry' | 'noHeading' | 'strings' | 'storage' | 'mode' | 'password'
  >
>

/** What a page sets on `<phone-verify>`, as properties. */
export type PhoneVerifyProperties = Partial<
  Pick<
    PhoneVerify,
    | 'api'
    | 'locale'
    | 'defaultCountry'
    | 'noHeading'
    | 'strings'
    | 'storage'
    | 'accessToken'
    | 'session'
    | 'profile'
    | 'name'
    | 'required'
  >
>

/** A listener prop per event as React 19 and Svelte 5 name it: `onsms-auth-login`. */
export type SmsAuthListeners = {
  [K in keyof SmsAuthEventMap as `on${K}`]?: (event: SmsAuthEventMap[K]) => void
}

/** The attributes whose names differ from their properties'. */
export interface SmsAuthAttributes {
  'default-country'?: string
  'no-heading'?: boolean
  'access-token'?: string
}

/** The elements by tag name. */
export interface SmsAuthElements {
  'sms-login': SmsLogin
  'phone-verify': PhoneVerify
}

declare global {
  interface HTMLElementTagNameMap extends SmsAuthElements {}
  interface HTMLElementEventMap extends SmsAuthEventMap {}
  // They bubble and are composed: a listener on the document or the window hears them too.
  interface DocumentEventMap extends SmsAuthEventMap {}
  interface WindowEventMap extends SmsAuthEventMap {}
}
