/**
 * The error codes of docs/api.md, declared once: their HTTP status and a default English title (the
 * widget says each in its own words, `Strings.errors`, and its `toCode` switch fails `tsc` for a
 * code added here that it does not handle), and the problem+json body that carries them.
 */
import { z } from 'zod'
import { ChannelSchema, ReauthMethodSchema } from './enums.js'

export type { ReauthMethod } from './enums.js'

/** The error codes of docs/api.md, their HTTP status and a default English title. */
export const ERRORS = {
  invalid_request: { status: 400, title: 'The request is not valid.' },
  invalid_phone: { status: 400, title: 'That is not a valid phone number.' },
  country_not_allowed: { status: 403, title: 'Numbers from that country are not accepted.' },
  origin_not_allowed: { status: 403, title: 'This origin is not allowed.' },
  rate_limited: { status: 429, title: 'Too many requests. Try again later.' },
  invalid_code: { status: 400, title: 'That code is not right.' },
  too_many_attempts: { status: 429, title: 'Too many wrong codes. Ask for a new one.' },
  verification_expired: { status: 410, title: 'That code has expired.' },
  verification_not_found: { status: 404, title: 'No such verification.' },
  verification_used: { status: 409, title: 'That code was already used.' },
  phone_taken: { status: 409, title: 'That phone number belongs to another account.' },
  email_taken: { status: 409, title: 'That email belongs to another account.' },
  invalid_credentials: { status: 401, title: 'Those credentials are not right.' },
  unauthorized: { status: 401, title: 'You need to sign in.' },
  forbidden: { status: 403, title: 'You are not allowed to do that.' },
  policy_violation: { status: 409, title: 'That change would break an account policy.' },
  admin_exists: { status: 409, title: 'That account is already an admin.' },
  provider_unavailable: { status: 503, title: 'Messages cannot be sent right now.' },
  /** The site's daily or monthly spend cap is reached; `Retry-After` says when the period ends. */
  spend_cap_reached: { status: 503, title: 'No more codes can be sent today. Try again later.' },
  /** The start needs the bot challenge's token (none was given, or it did not pass). */
  challenge_required: { status: 403, title: 'Confirm you are not a robot, then try again.' },
  /** The bot challenge's provider did not answer: the start fails closed; `Retry-After`. */
  challenge_unavailable: {
    status: 503,
    title: 'The check cannot be made right now. Try again shortly.',
  },
  payload_too_large: { status: 413, title: 'The request body is too large.' },
  /** A sensitive change needs a fresh proof of a factor (docs/security.md, step-up). */
  reauthentication_required: {
    status: 403,
    title: 'Confirm it is you: prove one of your sign-in factors again.',
  },
  /** The database did not answer in time or is overloaded; `Retry-After` says when to retry. */
  database_unavailable: { status: 503, title: 'The service is busy. Try again shortly.' },
  /** An admin list already holds that entry (a test number listed twice). */
  already_exists: { status: 409, title: 'That is already there.' },
  not_found: { status: 404, title: 'Not found.' },
  method_not_allowed: { status: 405, title: 'Method not allowed.' },
  unsupported_media_type: { status: 415, title: 'The body must be JSON.' },
  internal_error: { status: 500, title: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof ERRORS

const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]

/** The problem+json body (RFC 9457) every error response carries. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  code: z.enum(ERROR_CODES),
  detail: z.string().optional(),
  attemptsLeft: z.number().optional(),
  retryAfter: z.number().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** reauthentication_required: the factors this account can prove now, preferred first. */
  methods: z.array(ReauthMethodSchema).optional(),
  /** invalid_phone for a number that can take only some channels (a landline: voice). */
  channels: z.array(ChannelSchema).optional(),
})
export type Problem = z.infer<typeof ProblemSchema>
