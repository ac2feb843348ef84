/**
 * The limits a site owner can tune: each one's default, its safe range, what it counts and where its
 * numbers come from, declared once. shared/schemas.ts builds the settings' validation from it,
 * edge/limits/policy.ts (the policy module: every limit, tunable or fixed) applies it, and
 * GET /v1/admin/limits shows it on the admin page's Policies tab.
 *
 * The ranges stop at SECURITY.md's caps: an owner may make a limit stricter as far as it still works,
 * and looser only up to the most permissive figure SECURITY.md cites for that control.
 */
import { z } from 'zod'

export interface TunableLimit {
  default: number
  min: number
  max: number
  /** The value must divide this number (see lockAfterFailures). */
  divides?: number
  /** What one unit of the value is. */
  unit:
    | 'seconds'
    | 'minutes'
    | 'checks'
    | 'failures'
    | 'messages'
    | 'verifications'
    | 'numbers'
    | 'attempts'
    | 'codes'
    | 'percent'
    | 'prefixes'
  /** The sliding window it is counted over; null for a limit of one verification or one code. */
  windowMinutes: number | null
  /** The heading it is shown under on the Policies tab. */
  group: 'Codes and guesses' | 'Sending' | 'Passwords and accounts' | 'Pumping breaker'
  /** What it counts, per what. */
  label: string
  /** What the owner changes by changing it. */
  meaning: string
  /** Where the default and the bounds come from (SECURITY.md ids, NIST, the peers). */
  source: string
}

export const TUNABLE_LIMITS = {
  codeTtlSeconds: {
    default: 600,
    min: 60,
    max: 600,
    unit: 'seconds',
    windowMinutes: null,
    group: 'Codes and guesses',
    label: 'Code lifetime',
    meaning: 'How long a code can be entered after it was first sent. A resend keeps its lifetime.',
    source: 'NIST SP 800-63B-4 §3.1.3.2 and ASVS 5.0 V6.5.5 (R-20, R-24): at most 10 minutes',
  },
  maxAttempts: {
    default: 5,
    min: 1,
    max: 10,
    unit: 'checks',
    windowMinutes: null,
    group: 'Codes and guesses',
    label: 'Wrong codes per verification',
    meaning:
      'Wrong codes one verification takes; after the last one it is dead and even the right ' +
      'code is refused, so the user asks for a new one.',
    source: "SECURITY.md decision 2 and Twilio Verify: 5; login.gov's 10 is the ceiling",
  },
  resendCooldownSeconds: {
    default: 30,
    min: 10,
    max: 600,
    unit: 'seconds',
    windowMinutes: null,
    group: 'Codes and guesses',
    label: 'Resend cooldown',
    meaning: 'The wait before the first resend of a code; it doubles after every send.',
    source: 'DESIGN.md security defaults: 30 s, growing (toll fraud and annoyance)',
  },
  lockAfterFailures: {
    default: 20,
    min: 5,
    max: 50,
    // Each run of this many failures locks; the lock for good falls at NIST's 100 exactly, at the
    // end of a run (edge/limits/guesses.ts relies on it when it gives an attempt back).
    divides: 100,
    unit: 'failures',
    windowMinutes: null,
    group: 'Codes and guesses',
    label: 'Consecutive failures per account',
    meaning:
      'Failed checks in a row on one account (or one number without an account), any factor and ' +
      'any verification; resends never reset them. Each run of this many locks it for a ' +
      'cool-down, and the lock for good comes after a whole number of runs, so the value must ' +
      'divide it.',
    source: 'SECURITY.md decision 2: 20; NIST SP 800-63B-4 §3.2.2 (R-32): at most 100',
  },
  messagesPerNumber: {
    default: 5,
    min: 1,
    max: 10,
    unit: 'messages',
    windowMinutes: 10,
    group: 'Sending',
    label: 'Codes per phone number',
    meaning:
      'Codes sent to one number, SMS and calls together, every purpose, resends included. No ' +
      'provider is called past it.',
    source:
      "Twilio Verify: 5 (SECURITY.md T26's goal is 3); login.gov's otp_delivery_blocklist_maxretry " +
      '10 is the ceiling',
  },
  startsPerAddress: {
    default: 30,
    min: 1,
    max: 50,
    unit: 'verifications',
    windowMinutes: 10,
    group: 'Sending',
    label: 'New verifications per client address',
    meaning: 'Verifications one client address may start, to any numbers.',
    source: 'login.gov otps_per_ip_limit: 25 per 5 minutes, that is 50 per 10 (the ceiling)',
  },
  numbersPerPrefix: {
    default: 10,
    min: 1,
    max: 10,
    unit: 'numbers',
    windowMinutes: 60,
    group: 'Sending',
    label: 'Numbers per destination prefix',
    meaning:
      'Distinct numbers sharing all but their last 4 digits that may be sent codes; a number ' +
      'leaves the count once one of its codes is entered, so only unconverted numbers count.',
    source: 'SECURITY.md T27 (R-71, R-77: Stytch, Twilio Fraud Guard): 10 per hour, the ceiling',
  },
  signInsPerAddress: {
    default: 30,
    min: 1,
    max: 50,
    unit: 'attempts',
    windowMinutes: 10,
    group: 'Passwords and accounts',
    label: 'Password sign-ins per client address',
    meaning: 'Email and password sign-ins one client address may try (credential stuffing).',
    source:
      "ASVS 4.0.3 V2.2.1 (R-34); the ceiling is login.gov's per-address rate, 25 per 5 minutes",
  },
  signUpsPerAddress: {
    default: 10,
    min: 1,
    max: 50,
    unit: 'attempts',
    windowMinutes: 10,
    group: 'Passwords and accounts',
    label: 'New accounts per client address',
    meaning:
      'Accounts one client address may create, so "email taken" cannot list accounts at scale. ' +
      'A refused sign-up gives its slot back.',
    source:
      'login.gov phone_setups_per_ip_limit: 25 per 5 minutes, that is 50 per 10 (the ceiling)',
  },
  // The pumping breaker (edge/limits/breaker.ts; docs/security.md "The pumping breaker").
  breakerMinSends: {
    default: 20,
    min: 5,
    max: 1000,
    unit: 'codes',
    windowMinutes: null,
    group: 'Pumping breaker',
    label: 'Breaker: first codes before a prefix is judged',
    meaning:
      'A destination prefix is judged only once at least this many first codes went to it within ' +
      "the breaker's window, so a quiet prefix's few unentered codes never trip it.",
    source: 'Twilio Fraud Guard and Vonage judge conversion (R-71, R-79): 20',
  },
  breakerThresholdPercent: {
    default: 20,
    min: 1,
    max: 90,
    unit: 'percent',
    windowMinutes: null,
    group: 'Pumping breaker',
    label: 'Breaker: conversion that trips a prefix',
    meaning:
      'A judged prefix whose first codes are entered less often than this trips and is blocked.',
    source: 'SECURITY.md T28 (under 10 % is pumping); real sign-ins convert at 70–90 % (Twilio)',
  },
  breakerWindowMinutes: {
    default: 60,
    min: 10,
    max: 1440,
    unit: 'minutes',
    windowMinutes: null,
    group: 'Pumping breaker',
    label: 'Breaker window',
    meaning: 'The sliding window over which codes sent to a prefix and codes entered are counted.',
    source: 'SECURITY.md T28: 60 minutes, at most a day',
  },
  breakerCooldownMinutes: {
    default: 60,
    min: 5,
    max: 1440,
    unit: 'minutes',
    windowMinutes: null,
    group: 'Pumping breaker',
    label: 'Breaker block',
    meaning:
      'How long a tripped prefix or country is blocked; doubled at each further trip within a ' +
      'day, at most a day.',
    source: 'Issue 15: 1 hour, doubling',
  },
  breakerCountryTrips: {
    default: 3,
    min: 2,
    max: 50,
    unit: 'prefixes',
    windowMinutes: null,
    group: 'Pumping breaker',
    label: 'Breaker: tripped prefixes that block a country',
    meaning: 'This many prefixes of one country tripped within the window block the whole country.',
    source: 'SECURITY.md T28: the country, once several prefixes trip',
  },
} as const satisfies Record<string, TunableLimit>

export type TunableKey = keyof typeof TUNABLE_LIMITS
export const TUNABLE_KEYS = Object.keys(TUNABLE_LIMITS) as TunableKey[]

/** The defaults, as DEFAULT_SETTINGS (edge/settings/settings.ts) takes them. */
export const LIMIT_DEFAULTS = Object.fromEntries(
  TUNABLE_KEYS.map((k) => [k, TUNABLE_LIMITS[k].default]),
) as { [K in TunableKey]: number }

/** One tunable limit's setting: an integer in its range (and a divisor where it must be one). */
export function limitSetting(k: TunableKey) {
  const l: TunableLimit = TUNABLE_LIMITS[k]
  const n = z.number().int().min(l.min).max(l.max)
  const d = l.divides
  return d === undefined ? n : n.refine((v) => d % v === 0, `must divide ${d}`)
}

/** The settings' shape for the tunable limits, spread into shared/schemas.ts Settings. */
export const limitSettings = Object.fromEntries(TUNABLE_KEYS.map((k) => [k, limitSetting(k)])) as {
  [K in TunableKey]: z.ZodNumber
}

/** GET /v1/admin/limits: every limit, the tunable ones with their setting, value and range. */
export const LimitView = z.object({
  /** The setting that tunes it; null for a fixed limit. */
  setting: z.string().nullable(),
  /** The heading a tunable limit is shown under; null for a fixed limit. */
  group: z.string().nullable(),
  label: z.string(),
  meaning: z.string(),
  source: z.string(),
  unit: z.string(),
  windowMinutes: z.number().nullable(),
  value: z.number(),
  default: z.number(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  divides: z.number().nullable(),
})
export type LimitView = z.infer<typeof LimitView>
export const LimitsView = z.object({ limits: z.array(LimitView) })
