/**
 * sms-auth/svelte: types of `<sms-login>` and `<phone-verify>` in Svelte 5 markup
 * (`svelte/elements`): properties, attributes and `onsms-auth-login={…}` listeners.
 */
import type { HTMLAttributes } from 'svelte/elements'
import type {
  PhoneVerifyProperties,
  SmsAuthAttributes,
  SmsAuthElements,
  SmsAuthEventMap,
  SmsLoginProperties,
} from './events.js'

type Listeners = {
  [K in keyof SmsAuthEventMap as `on${K}`]?: (event: SmsAuthEventMap[K]) => void
}

declare module 'svelte/elements' {
  export interface SvelteHTMLElements {
    'sms-login': HTMLAttributes<SmsAuthElements['sms-login']> &
      SmsLoginProperties &
      SmsAuthAttributes &
      Listeners
    'phone-verify': HTMLAttributes<SmsAuthElements['phone-verify']> &
      PhoneVerifyProperties &
      SmsAuthAttributes &
      Listeners
  }
}

export type * from './index.js'
