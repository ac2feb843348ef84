// Classes and types of the widget; no side effects (define.ts registers the elements).
export { SmsLogin } from './sms-login/sms-login.js'
export type { LoginMode, LoginStep, SignedInDetail } from './sms-login/sms-login.js'
export { PhoneVerify } from './phone-verify/phone-verify.js'
export type { PhoneVerifiedDetail } from './phone-verify/phone-verify.js'
export { ApiError, HttpApiClient, clientFor } from './api/client.js'
export type { SmsAuthApi } from './api/client.js'
export { apiContext } from './api/context.js'
export type * from './api/types.js'
export type { Strings } from './i18n/index.js'
export { LOCALES } from './i18n/index.js'
export type { Locale } from './i18n/index.js'
export { registerLocale } from './i18n/index.js'
export type { Overridable, StringOverrides } from './i18n/index.js'
export type {
  AccountDeletedDetail,
  ErrorDetail,
  PhoneRemovedDetail,
  SmsAuthElements,
  SmsAuthEventMap,
} from './events.js'
export type {
  ClientOptions,
  Session as ClientSession,
  SessionChange,
  SessionChangeReason,
  SessionClient,
  StorageMode,
} from './client/index.js'
