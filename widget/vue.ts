/**
 * sms-auth/vue: types of `<sms-login>` and `<phone-verify>` in Vue templates (GlobalComponents).
 * Vue renders them as custom elements once `compilerOptions.isCustomElement` names them
 * (docs/guides/vue.md); `@sms-auth-login="…"` listens to the event.
 */
import type { DefineComponent } from 'vue'
import type {
  PhoneVerifyProperties,
  SmsAuthAttributes,
  SmsAuthEventMap,
  SmsLoginProperties,
} from './events.js'

type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S
/** `@sms-auth-login` is the `onSmsAuthLogin` prop to Vue's type checker. */
type Listeners = {
  [K in keyof SmsAuthEventMap as `on${Capitalize<Camel<K>>}`]?: (event: SmsAuthEventMap[K]) => void
}

declare module 'vue' {
  interface GlobalComponents {
    'sms-login': DefineComponent<SmsLoginProperties & SmsAuthAttributes & Listeners>
    'phone-verify': DefineComponent<PhoneVerifyProperties & SmsAuthAttributes & Listeners>
  }
}

export type * from './index.js'
