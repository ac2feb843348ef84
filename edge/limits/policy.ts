/**
 * Every request-rate limit, with its number, window and source, in one place (docs/security.md).
 * Limits are counted in the database (limits.ts), so they hold across any number of instances.
 * The guessing budgets (consecutive failures) live in guesses.ts.
 */
const MINUTE = 60_000
const HOUR = 60 * MINUTE

export interface Window {
  /** How refusals by it are counted (the `limit` label of the metrics). */
  name: string
  limit: number
  windowMs: number
}

/**
 * Codes sent to one number: SMS and calls together, every purpose, resends included. Twilio
 * Verify allows 5 sends per verification; we allow 5 per number per 10 minutes (SECURITY.md T26).
 */
export const MESSAGES_PER_NUMBER: Window = {
  name: 'messages_per_number',
  limit: 5,
  windowMs: 10 * MINUTE,
}
/** Twilio Verify: at most 5 sends in one verification's life. */
export const SENDS_PER_VERIFICATION = 5
/** login.gov allows 25 per 5 min per IP; we allow 30 new verifications per address per 10 min. */
export const STARTS_PER_ADDRESS: Window = {
  name: 'starts_per_address',
  limit: 30,
  windowMs: 10 * MINUTE,
}
/**
 * SMS pumping (Stytch, Twilio Fraud Guard): 10 distinct numbers per destination prefix (the number
 * less its last 4 digits) per hour; a number leaves the count once one of its codes is verified.
 */
export const NUMBERS_PER_PREFIX: Window = { name: 'numbers_per_prefix', limit: 10, windowMs: HOUR }
/** Password sign-ins per address: password guessing and credential stuffing at scale. */
export const SIGN_INS_PER_ADDRESS: Window = {
  name: 'sign_ins_per_address',
  limit: 30,
  windowMs: 10 * MINUTE,
}
/** New accounts per address: `email_taken` cannot be used to list accounts at scale. */
export const SIGN_UPS_PER_ADDRESS: Window = {
  name: 'sign_ups_per_address',
  limit: 10,
  windowMs: 10 * MINUTE,
}
/**
 * `phone_taken` answers to one account and to one address per day: enrolment cannot be used to
 * learn which numbers have accounts (SECURITY.md §1.H).
 */
export const PHONE_PROBES_PER_ACCOUNT: Window = {
  name: 'phone_probes_per_account',
  limit: 5,
  windowMs: 24 * HOUR,
}
export const PHONE_PROBES_PER_ADDRESS: Window = {
  name: 'phone_probes_per_address',
  limit: 20,
  windowMs: 24 * HOUR,
}
/** Step-up: a sensitive change needs a factor proven within the last 5 minutes. */
export const REAUTH_WINDOW_MS = 5 * MINUTE
/** How long an approved change_phone lets the account enrol a new number. */
export const PHONE_CHANGE_WINDOW_MS = 10 * MINUTE
