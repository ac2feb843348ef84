/**
 * The small vocabularies of docs/api.md, declared once: what a verification is for, how a code travels,
 * and the factors that finish a sign-in or prove it is the user. The edge validates with these
 * schemas; everything else takes their inferred types (the widget with `import type`: no bytes).
 */
import { z } from 'zod'

export const Purpose = z.enum([
  'register',
  'login',
  'mfa',
  'enroll',
  'change_phone',
  'reauth',
  'password_reset',
])
export type Purpose = z.infer<typeof Purpose>

export const ChannelSchema = z.enum(['sms', 'voice'])
export type Channel = z.infer<typeof ChannelSchema>

/** The factors that can finish a sign-in (`password` after an SMS first factor). */
export const MfaMethod = z.enum(['sms', 'totp', 'backup_code', 'password'])
export type MfaMethod = z.infer<typeof MfaMethod>

/** The factors a step-up (re-authentication) accepts: the same four. */
export const ReauthMethodSchema = MfaMethod
export type ReauthMethod = MfaMethod

/** The bot challenges the site can ask for (docs/security.md, "The bot challenge"). */
export const ChallengeProvider = z.enum(['turnstile', 'hcaptcha', 'recaptcha'])
export type ChallengeProvider = z.infer<typeof ChallengeProvider>
/** `off`; `always` before every start; `adaptive`: only when the start shows risk. */
export const ChallengeMode = z.enum(['off', 'always', 'adaptive'])
export type ChallengeMode = z.infer<typeof ChallengeMode>
export { CHALLENGE_ACTION } from './challenge-action.js'
