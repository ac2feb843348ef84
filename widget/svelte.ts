/**
 * sms-auth/svelte: types of `<sms-login>` and `<phone-verify>` in Svelte 5 markup
 * (`svelte/elements`): properties, attributes and `onsms-auth-login={…}` listeners.
 */
import type { HTMLAttributes } from 'svelte/elements'
import type {
  PhoneVerifyProperties,
  SmsAuthAttributes,
  SmsAuthElements,
  SmsAuthListeners,
  SmsLoginProperties,
} from './events.js'

declare module 'svelte/elements' {
  export interface SvelteHTMLElements {
    'sms-login': HTMLAttributes<SmsAuthElements['sms-login']> &
      SmsLoginProperties &
      SmsAuthAttributes &
      SmsAuthListeners
    'phone-verify': HTMLAttributes<SmsAuthElements['phone-verify']> &
      PhoneVerifyProperties &
      SmsAuthAttributes &
      SmsAuthListeners
  }
}

export type * from './index.js'
