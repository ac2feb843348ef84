import type { User } from '../api/types.js'

/** The views of `<phone-verify>`: its phone and factors, form mode, and (with `profile`) the account's. */
export type PhoneVerifyView =
  | 'overview'
  | 'add'
  | 'code'
  | 'change'
  | 'remove'
  | 'codes'
  | 'totp'
  | 'reauth'
  | 'verified'
  | 'profile'
  | 'password'
  | 'delete'

export interface PhoneVerifiedDetail {
  phone: string
  user?: User
}
