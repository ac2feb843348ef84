/**
 * `<sms-login>` and `<phone-verify>` in React 19's JSX without the wrappers: React 19 sets a
 * custom element's known properties as properties and `on<event name>` props as listeners.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react'
import type {
  PhoneVerifyProperties,
  SmsAuthAttributes,
  SmsAuthElements,
  SmsAuthListeners,
  SmsLoginProperties,
} from '../events.js'

type Props<E extends HTMLElement, P> = DetailedHTMLProps<HTMLAttributes<E>, E> &
  P &
  SmsAuthAttributes &
  SmsAuthListeners

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'sms-login': Props<SmsAuthElements['sms-login'], SmsLoginProperties>
      'phone-verify': Props<SmsAuthElements['phone-verify'], PhoneVerifyProperties>
    }
  }
}
