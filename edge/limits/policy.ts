/**
 * Every limit, with its number, window, key and source, in one place (docs/security.md, "The
 * controls, with their numbers"). Code that starts, resends or checks a code asks this module and
 * holds no number of its own. The limits an owner can tune are site settings: their defaults,
 * safe ranges and meanings are TUNABLE_LIMITS (shared/limits.ts, since the settings schema
 * validates them), re-exported here; the rest are fixed below. Three kinds:
 * - windows counted in `rate_events` (limits.ts), so they hold across any number of instances;
 * - limits on one verification, kept on its row (verifications/store.ts guards them);
 * - the guessing budget of an account or a number (guesses.ts counts it in `guess_budgets`).
 */
import type { Settings } from '../../shared/schemas.js'
import { TUNABLE_LIMITS, type TunableKey } from '../../shared/limits.js'

export {
  LIMIT_DEFAULTS,
  TUNABLE_KEYS,
  TUNABLE_LIMITS,
  type TunableKey,
  type TunableLimit,
} from '../../shared/limits.js'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/** A limit counted in `rate_events`: at most `limit` events under one key within `windowMs`. */
export interface Window {
  /** How refusals by it are counted (the `limit` label of the metrics). */
  name: string
  limit: number
  windowMs: number
  /** Its `rate_events` key, from what it counts per (an address, a number's HMAC …). */
  key: (per: string) => string
}

/** A window whose limit is the site setting `setting`: called with the settings, the window in force. */
export type TunedWindow = ((s: Settings) => Window) & {
  setting: TunableKey
  windowMs: number
  key: (per: string) => string
}

function tuned(setting: TunableKey, name: string, key: (per: string) => string): TunedWindow {
  const windowMs = (TUNABLE_LIMITS[setting].windowMinutes ?? 0) * MINUTE
  return Object.assign((s: Settings): Window => ({ name, limit: s[setting], windowMs, key }), {
    setting,
    windowMs,
    key,
  })
}

/** A window's limit on one key, as limits.ts takes it (CheckedLimit there). */
export interface KeyedLimit {
  key: string
  name: string
  limit: number
  windowMs: number
  /** For a distinct-value limit: the value counted (a value already counted passes again). */
  sub?: string
}

/** One window's limit for one key; `sub` for a distinct-value limit. */
export function limitOf(w: Window, per: string, sub?: string): KeyedLimit {
  const l: KeyedLimit = { key: w.key(per), name: w.name, limit: w.limit, windowMs: w.windowMs }
  if (sub !== undefined) l.sub = sub
  return l
}

// ── Windows the owner tunes (rate_events; numbers and sources in shared/limits.ts) ─────────────

/**
 * Codes sent to one number, per its HMAC: SMS and calls together, every purpose, resends included
 * (setting `messagesPerNumber`, case T26).
 */
export const MESSAGES_PER_NUMBER = tuned(
  'messagesPerNumber',
  'messages_per_number',
  (phoneHash) => `msg:${phoneHash}`,
)
/** New verifications per client address (setting `startsPerAddress`). */
export const STARTS_PER_ADDRESS = tuned(
  'startsPerAddress',
  'starts_per_address',
  (address) => `addr:${address}`,
)
/**
 * SMS pumping (Stytch, Twilio Fraud Guard): distinct numbers (each number's HMAC is the counted
 * value) per destination prefix (the number less its last 4 digits, keyed by its HMAC) per hour
 * (setting `numbersPerPrefix`); a number leaves the count once one of its codes is verified.
 */
export const NUMBERS_PER_PREFIX = tuned(
  'numbersPerPrefix',
  'numbers_per_prefix',
  (prefixHash) => `prefix:${prefixHash}`,
)
/** Password sign-ins per address: password guessing and credential stuffing at scale (ASVS V2.2.1). */
export const SIGN_INS_PER_ADDRESS = tuned(
  'signInsPerAddress',
  'sign_ins_per_address',
  (address) => `signin:addr:${address}`,
)
/** New accounts per address: `email_taken` cannot be used to list accounts at scale. */
export const SIGN_UPS_PER_ADDRESS = tuned(
  'signUpsPerAddress',
  'sign_ups_per_address',
  (address) => `signup:addr:${address}`,
)

// ── Fixed windows ──────────────────────────────────────────────────────────────────────────────

/**
 * `phone_taken` answers to one account and to one address per day: enrolment cannot be used to
 * learn which numbers have accounts (docs/security.md, Enumeration).
 */
export const PHONE_PROBES_PER_ACCOUNT: Window = {
  name: 'phone_probes_per_account',
  limit: 5,
  windowMs: 24 * HOUR,
  key: (userId) => `probe:user:${userId}`,
}
export const PHONE_PROBES_PER_ADDRESS: Window = {
  name: 'phone_probes_per_address',
  limit: 20,
  windowMs: 24 * HOUR,
  key: (address) => `probe:addr:${address}`,
}

/**
 * Codes to one listed test number (edge/test-numbers/), starts and resends together. Test numbers
 * skip the three send windows above (CI pipelines and store reviewers sign in again and again, from
 * one address; nothing is ever sent, so they cost nothing); this ceiling only bounds the rows a
 * script can create. Firebase and Clerk put no quota on their test numbers at all.
 */
export const SENDS_PER_TEST_NUMBER: Window = {
  name: 'sends_per_test_number',
  limit: 200,
  windowMs: 10 * MINUTE,
  key: (phoneHash) => `test:${phoneHash}`,
}
/** Listed test numbers per site (Firebase allows 10; we allow 20). */
export const TEST_NUMBERS_MAX = 20

/** The shortest wait a refusal by a limit announces (Retry-After is in whole seconds). */
export const MIN_RETRY_AFTER_MS = SECOND

// ── One verification (its row) ─────────────────────────────────────────────────────────────────

/** Sends in one verification's life (the first included), on its row: Twilio Verify allows 5. */
export const SENDS_PER_VERIFICATION = 5

/** Checks of one verification's code: the site setting `maxAttempts`, fixed on the row when it starts. */
export const attemptsPerVerification = (s: Settings) => s.maxAttempts

/** A code's life: the site setting `codeTtlSeconds` (at most 10 minutes, R-20); a resend keeps it. */
export const codeTtlMs = (s: Settings) => s.codeTtlSeconds * SECOND

/**
 * The wait before the next send after the `sends`-th (1 for the first): the site setting
 * `resendCooldownSeconds`, doubled after every send, so a resend loop slows down.
 */
export const resendCooldownMs = (s: Settings, sends: number) =>
  s.resendCooldownSeconds * SECOND * 2 ** (sends - 1)

// ── Guessing budget (guess_budgets, guesses.ts) ────────────────────────────────────────────────

/**
 * Consecutive failed guesses of one account (any factor, any verification), or of one number
 * without an account (register and login), so resends and new verifications never reset
 * them (NIST SP 800-63B-4 §3.1.3.2). Every `setting` (`lockAfterFailures`, default 20: SECURITY.md
 * decision 2) failures lock the subject for the next cool-down (15 min, then 1 h: docs/security.md,
 * How a guess is counted); after `lockForGoodAfter` (NIST SP 800-63B-4 §3.2.2: at most 100) it
 * stays locked until a success elsewhere or an admin clears it. The setting divides 100
 * (shared/limits.ts), so the lock for good ends a run of failures.
 */
export const GUESS_BUDGET = {
  name: 'guess_budget',
  setting: 'lockAfterFailures',
  lockEvery: (s: Settings) => s.lockAfterFailures,
  cooldownsMs: [15 * MINUTE, HOUR],
  // NIST's 100, declared with the setting's range, which must divide it (shared/limits.ts).
  lockForGoodAfter: TUNABLE_LIMITS.lockAfterFailures.divides,
  /** The budget's subject: the account, else the number (its HMAC, as verifications store it). */
  subject: (userId: string | null, phoneHash: string) => userId ?? `ph:${phoneHash}`,
} as const

// ── Windows of a proof ─────────────────────────────────────────────────────────────────────────

/** Step-up (docs/security.md): a sensitive change needs a factor proven within the last 5 minutes (Clerk). */
export const REAUTH_WINDOW_MS = 5 * MINUTE
/** How long an approved change_phone lets the account enrol a new number. */
export const PHONE_CHANGE_WINDOW_MS = 10 * MINUTE
/**
 * A registration or second-factor ticket's life: the step after a proven first factor must follow
 * within it (case T16: a pending ticket lives at most 10 minutes).
 */
export const TICKET_TTL_MS = 10 * MINUTE
/**
 * Two tabs refreshing at once: a refresh token presented again within 10 s of its rotation
 * (Supabase's reuse interval) gets the pair its first use returned, so the tabs converge; past it,
 * or once that pair's refresh token was itself used, it is reuse and ends the session
 * (sessions/refresh.ts). The successor is kept sealed only this long.
 */
export const REFRESH_REUSE_GRACE_MS = 10 * SECOND

// ── The pumping breaker (breaker.ts) ───────────────────────────────────────────────────────────

/**
 * The breaker: on by default (site setting `breakerEnabled`). Its numbers are tunable limits
 * (settings `breaker*`: defaults, ranges and sources in shared/limits.ts TUNABLE_LIMITS): a
 * destination prefix whose last `breakerMinSends` or more first codes within `breakerWindowMinutes`
 * converted below `breakerThresholdPercent` is blocked for `breakerCooldownMinutes`, doubled at
 * each trip within a day, at most BREAKER_MAX_COOLDOWN_MS; `breakerCountryTrips` prefixes of one
 * country tripped within the window block the country. Twilio Fraud Guard works on conversion too;
 * 20 sends keep a quiet prefix's few unverified codes from tripping it, and 20 % sits far below
 * the 70–90 % that real sign-ins convert at (Twilio's figures), far above a pumping script's 0 %.
 */
export const BREAKER_DEFAULTS = { breakerEnabled: true } as const
/** The longest block a trip gives (the doubling stops there), and how long trips are remembered. */
export const BREAKER_MAX_COOLDOWN_MS = 24 * HOUR
/** The cool-down of a scope's `trips`-th trip (1 for the first): doubled each time, capped. */
export const breakerCooldownMs = (s: Settings, trips: number) =>
  Math.min(BREAKER_MAX_COOLDOWN_MS, s.breakerCooldownMinutes * MINUTE * 2 ** (trips - 1))
export const breakerWindowMs = (s: Settings) => s.breakerWindowMinutes * MINUTE

// ── The bot challenge (edge/challenge/) ───────────────────────────────────────────────────────

/**
 * When `adaptive` asks for the challenge (docs/security.md "The bot challenge"): any one signal.
 * - `refusals`: the address was refused a start (a limit, the breaker, a failed challenge) within
 *   `windowMs`: a caller that hits limits is the one to slow down.
 * - `numbersPerAddress`: the address started verifications to this many distinct numbers within
 *   `windowMs` (a person signs in with one or two; NUMBERS_PER_PREFIX is 10 per prefix per hour).
 * - `breakerNearPercent`: the prefix has this share of `breakerMinSends` first codes in the
 *   breaker's window and converts below its threshold: half way to a trip.
 * - `failures`: consecutive failed guesses of the account or number (GUESS_BUDGET counts them).
 */
export const CHALLENGE_ADAPTIVE = {
  windowMs: HOUR,
  refusals: 1,
  numbersPerAddress: 3,
  breakerNearPercent: 50,
  failures: 3,
  /** The `rate_events` key a refusal is noted under. */
  refusalKey: (address: string) => `refused:${address}`,
} as const
/** reCAPTCHA v3 scores 0.0 (bot) to 1.0: Google's documented starting threshold is 0.5. */
export const RECAPTCHA_MIN_SCORE = 0.5
/** How long a passed token's hash is kept: past any provider's token life (Turnstile 300 s). */
export const CHALLENGE_TOKEN_KEEP_MS = HOUR
/** The wait a `challenge_unavailable` answer announces. */
export const CHALLENGE_RETRY_AFTER_MS = 30 * SECOND
/** A siteverify call's limit: past it the provider counts as down (fail closed). */
export const SITEVERIFY_TIMEOUT_MS = 5 * SECOND
