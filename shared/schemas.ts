/**
 * Request and response schemas of docs/api.md. The edge validates with them and generates its OpenAPI
 * document from them; the widget imports the inferred types only.
 */
import { z } from 'zod'
import { MicrosSchema } from './money.js'
import { isIsoCountry } from './countries.js'
import { ChallengeMode, ChallengeProvider, ChannelSchema, MfaMethod, Purpose } from './enums.js'
import { limitSettings } from './limits.js'
import { originEntryProblem } from './origins.js'

export { ChallengeMode, ChallengeProvider, ChannelSchema, MfaMethod, Purpose } from './enums.js'
export type { Channel } from './enums.js'
export { ProblemSchema } from './errors.js'
export { LimitView, LimitsView } from './limits.js'

const noNul = (s: string) => !s.includes('\u0000')
/** A string of at most `max` characters with no NUL byte. */
export const text = (max: number) =>
  z.string().max(max).refine(noNul, { message: 'must not contain NUL characters' })

export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as "IN"')
  .refine(isIsoCountry, 'not an assigned ISO 3166-1 alpha-2 country code')
const Locale = z
  .string()
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 tag such as "en"')

export const StartVerificationBody = z
  .object({
    purpose: Purpose,
    phone: text(64).min(1).optional(),
    country: CountryCode.optional(),
    channel: ChannelSchema.default('sms'),
    locale: Locale.max(35).optional(),
    mfaTicket: text(200).min(1).optional(),
    /** `password_reset` only: the account's email instead of its number. */
    email: z.email().max(254).optional(),
    /** The bot challenge's token, when `/v1/config` or a `challenge_required` problem asked for one. */
    challengeToken: text(4096).min(1).optional(),
  })
  .strict()

export const ResendBody = z.object({ channel: ChannelSchema.optional() }).strict()
export const CheckBody = z.object({ code: text(32).min(1) }).strict()

export const Email = z.email().max(254)
export const Name = text(100).trim().min(1, 'a name of 1 to 100 characters')
export const Password = text(128).min(8, 'at least 8 characters')

export const CreateUserBody = z
  .object({
    registrationTicket: text(200).min(1).optional(),
    name: Name,
    email: Email,
    password: Password.optional(),
  })
  .strict()
  .refine((b) => (b.registrationTicket ? !b.password : !!b.password), {
    message: 'give either registrationTicket or password',
    path: ['password'],
  })

export const SignInBody = z.object({ email: Email, password: text(128).min(1) }).strict()
export const RefreshBody = z.object({ refreshToken: text(200).min(1) }).strict()

/** POST /v1/sessions/introspect (RFC 7662): the access token a site backend was given. */
export const IntrospectBody = z.object({ token: text(8192).min(1) }).strict()
/** Active: the token's claims (README, "Verifying tokens in your backend"); otherwise only `active`. */
export const Introspection = z.union([
  z.object({
    active: z.literal(true),
    sub: z.string(),
    sid: z.string(),
    exp: z.number().int(),
    amr: z.array(z.string()),
    auth_time: z.number().int(),
    phone_verified: z.boolean(),
  }),
  z.object({ active: z.literal(false) }),
])
export type Introspection = z.infer<typeof Introspection>

/** An allowedOrigins entry (shared/origins.ts): a bare origin or `https://*.example.com`. */
export const Origin = z
  .string()
  .max(200)
  .superRefine((s, ctx) => {
    const problem = originEntryProblem(s)
    if (problem)
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(s.slice(0, 80))} ${problem}` })
  })

/**
 * The bounds of the numeric settings that are not limits, declared once (the limits' own are in
 * shared/limits.ts): the schema below enforces them, and the admin page reads them from the
 * OpenAPI document (`minimum`/`maximum` of PATCH /v1/admin/settings).
 */
export const SETTINGS_RANGES = {
  codeLength: { min: 4, max: 10 },
} as const
const ranged = (k: keyof typeof SETTINGS_RANGES) =>
  z.number().int().min(SETTINGS_RANGES[k].min).max(SETTINGS_RANGES[k].max)

export const Settings = z.object({
  siteName: text(60).trim().min(1),
  defaultCountry: CountryCode,
  allowedCountries: z.array(CountryCode).min(1).max(250).nullable(),
  codeLength: ranged('codeLength'),
  /** Every tunable limit (code lifetime, attempts, windows, the breaker): shared/limits.ts. */
  ...limitSettings,
  phoneLogin: z.boolean(),
  phoneRegistration: z.boolean(),
  passwordLogin: z.boolean(),
  allowedOrigins: z.array(Origin).max(50),
  messageTemplate: text(300)
    .min(1)
    .refine((t) => t.includes('{code}'), 'must contain {code}'),
  /** The hard spend caps per UTC day and month, micro-USD (shared/money.ts); null: no cap. */
  spendCapDaily: MicrosSchema.nullable(),
  spendCapMonthly: MicrosSchema.nullable(),
  breakerEnabled: z.boolean(),
  /** The bot challenge (docs/security.md); its secret key is kept apart (/v1/admin/challenge). */
  challengeProvider: ChallengeProvider,
  challengeMode: ChallengeMode,
  challengeSiteKey: text(200).trim().min(1).nullable(),
})
export type Settings = z.infer<typeof Settings>
export const SettingsPatch = Settings.partial().strict()

export const PublicConfig = z.object({
  siteName: z.string(),
  defaultCountry: z.string(),
  allowedCountries: z.array(z.string()).nullable(),
  codeLength: z.number(),
  channels: z.array(ChannelSchema),
  resendCooldownSeconds: z.number(),
  phoneLogin: z.boolean(),
  phoneRegistration: z.boolean(),
  passwordLogin: z.boolean(),
  /** The bot challenge the widget renders (its script loaded only then); null when off. */
  challenge: z
    .object({
      provider: ChallengeProvider,
      siteKey: z.string(),
      mode: z.enum(['always', 'adaptive']),
      scriptUrl: z.string(),
    })
    .nullable(),
})
export type PublicConfig = z.infer<typeof PublicConfig>

export const Verification = z.object({
  id: z.string(),
  purpose: Purpose,
  channel: ChannelSchema,
  /** Masked destination, e.g. `+91•••••••210`; null for a password reset asked by email. */
  to: z.string().nullable(),
  codeLength: z.number(),
  expiresAt: z.string(),
  resendAt: z.string(),
  attemptsLeft: z.number(),
})
export type Verification = z.infer<typeof Verification>

export const User = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  phoneVerified: z.boolean(),
  /** The account has a password ("Change password"), or not yet ("Set password"). */
  hasPassword: z.boolean(),
  twoStep: z.object({ sms: z.boolean(), totp: z.boolean(), backupCodesRemaining: z.number() }),
  createdAt: z.string(),
})
export type User = z.infer<typeof User>

export const Session = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number(),
  refreshToken: z.string(),
})
export type Session = z.infer<typeof Session>

export const UserSession = z.object({ user: User, session: Session })
export const MfaChallenge = z.object({
  mfaRequired: z.literal(true),
  mfaTicket: z.string(),
  methods: z.array(MfaMethod),
  /** Masked phone, present when `sms` is offered. */
  phone: z.string().optional(),
})
export type UserSession = z.infer<typeof UserSession>
export type MfaChallenge = z.infer<typeof MfaChallenge>

export const CheckResult = z.object({
  status: z.literal('approved'),
  registrationTicket: z.string().optional(),
  /** `password_reset`: the single-use ticket for POST /v1/password-resets (10 minutes). */
  resetTicket: z.string().optional(),
  phone: z.string().optional(),
  user: User.optional(),
  session: Session.optional(),
  mfaRequired: z.literal(true).optional(),
  mfaTicket: z.string().optional(),
  methods: z.array(MfaMethod).optional(),
})

/** `POST /v1/me/phone/remove`: a TOTP code or a backup code, exactly one. */
export const RemovePhoneBody = z
  .object({ totpCode: text(64).min(1).optional(), backupCode: text(64).min(1).optional() })
  .strict()
  .refine((b) => !!b.totpCode !== !!b.backupCode, {
    message: 'give totpCode or backupCode',
    path: ['totpCode'],
  })

/** `POST /v1/me/totp`: the new secret, not yet on. */
export const TotpSetup = z.object({ secret: z.string(), otpauthUrl: z.string() })
export type TotpSetup = z.infer<typeof TotpSetup>

/** `POST /v1/me/reauth`: exactly one factor (SMS goes through `purpose: "reauth"`). */
export const ReauthBody = z
  .object({
    password: text(128).min(1).optional(),
    totpCode: text(64).min(1).optional(),
    backupCode: text(64).min(1).optional(),
  })
  .strict()
  .refine((b) => [b.password, b.totpCode, b.backupCode].filter(Boolean).length === 1, {
    message: 'give exactly one of password, totpCode, backupCode',
    path: ['password'],
  })

export const ReauthResult = z.object({
  method: z.enum(['password', 'totp', 'backup_code']),
  /** When the proof stops counting. */
  expiresAt: z.string(),
})
export type ReauthResult = z.infer<typeof ReauthResult>
