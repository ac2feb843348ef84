/**
 * sms-auth/react: `<SmsLogin onLogin={…}/>` and `<PhoneVerify onVerified={…}/>`, React components
 * made with @lit/react over the elements (defined on import). Props are the elements' properties;
 * each event is an `on…` prop with its typed detail.
 */
import * as React from 'react'
import { createComponent, type EventName } from '@lit/react'
import type { SmsAuthEventMap } from '../events.js'
import { PhoneVerify as PhoneVerifyElement, SmsLogin as SmsLoginElement } from '../define.js'
import './jsx.js'

const event = <K extends keyof SmsAuthEventMap>(name: K) => name as EventName<SmsAuthEventMap[K]>

export const SmsLogin = createComponent({
  react: React,
  tagName: 'sms-login',
  elementClass: SmsLoginElement,
  displayName: 'SmsLogin',
  events: {
    onLogin: event('sms-auth-login'),
    onRegister: event('sms-auth-register'),
    onError: event('sms-auth-error'),
    onSession: event('sms-auth-session'),
  },
})

export const PhoneVerify = createComponent({
  react: React,
  tagName: 'phone-verify',
  elementClass: PhoneVerifyElement,
  displayName: 'PhoneVerify',
  events: {
    onVerified: event('sms-auth-phone-verified'),
    onRemoved: event('sms-auth-phone-removed'),
    onAccountDeleted: event('sms-auth-account-deleted'),
    onError: event('sms-auth-error'),
    onSession: event('sms-auth-session'),
  },
})

export type * from '../index.js'
export { useSession } from './use-session.js'
