/** Phone normalisation and destination screening on libphonenumber-js with full metadata. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import type { Channel } from '../shared/enums.js'
import { maskPhone } from '../shared/phone.js'
import type { Settings } from '../shared/schemas.js'
import type { Mode } from './config.js'
import type { Keys } from './crypto/keys.js'
import { ApiError } from './http/errors.js'

export type { Channel }

export interface Normalised {
  e164: string
  country: string | undefined
  masked: string
  /** libphonenumber's number type, when its metadata knows it. */
  type: string | undefined
}

/** What libphonenumber reads in a number, kept so that one request parses each number once. */
interface Parsed {
  e164: string
  country: string | undefined
  masked: string
  possible: boolean
  valid: boolean
  type: string | undefined
}

/**
 * A start reads its number in several places (the destination, the test-number list, the price,
 * the breaker's prefix), each with libphonenumber's full metadata: parsing is a pure function of
 * the input and default region, so the last few hundred answers are kept.
 */
const PARSED_KEPT = 512
const parsedCache = new Map<string, Parsed | null>()

function parse(input: string, country?: string): Parsed | null {
  const key = `${country ?? ''}|${input}`
  const hit = parsedCache.get(key)
  if (hit !== undefined) return hit
  const p = parsePhoneNumberFromString(input, (country as CountryCode) || undefined)
  const valid = p?.isValid() ?? false
  const parsed: Parsed | null = p
    ? {
        e164: p.number,
        country: p.country,
        masked: maskPhone(p.number, p.countryCallingCode),
        possible: p.isPossible(),
        valid,
        type: valid ? p.getType() : undefined,
      }
    : null
  keep(key, parsed)
  // A valid number reads the same from its E.164 form (country, type, mask: tests/edge/phone.test.ts),
  // which the breaker, the price and the send read it in next: not parsed a second time.
  if (parsed?.valid && key !== `|${parsed.e164}`) keep(`|${parsed.e164}`, parsed)
  return parsed
}

function keep(key: string, parsed: Parsed | null): void {
  if (parsedCache.size >= PARSED_KEPT) parsedCache.delete(parsedCache.keys().next().value!)
  parsedCache.set(key, parsed)
}

/** Any human format plus an optional default region → E.164, or `invalid_phone`. */
export function normalisePhone(input: string, country?: string): Normalised {
  const parsed = parse(input, country)
  if (!parsed || !parsed.valid) {
    throw new ApiError(
      'invalid_phone',
      'Enter a valid phone number, with its country code if it is not local.',
    )
  }
  return { e164: parsed.e164, country: parsed.country, masked: parsed.masked, type: parsed.type }
}

/**
 * The E.164 form of anything libphonenumber can read as a possible number (right length for its
 * country), valid or not: listed test numbers may sit in ranges its metadata calls invalid (the UK
 * drama range 07700 900xxx). Only test-numbers/resolve.ts and the admin's list use it; everything
 * else goes through normalisePhone.
 */
export function parseLoose(input: string, country?: string): Normalised | null {
  const parsed = parse(input, country)
  if (!parsed || !parsed.possible) return null
  return { e164: parsed.e164, country: parsed.country, masked: parsed.masked, type: parsed.type }
}

/**
 * Number types that never get a code, on either channel: they cost the site money per message or
 * call, or reach nobody who can read a code (docs/security.md, case T03, T30; OWASP API4 toll fraud).
 */
const NEVER = new Set(['PREMIUM_RATE', 'SHARED_COST', 'TOLL_FREE', 'UAN', 'VOICEMAIL'])

/** Refuses destinations by type: the costly ones always, a landline for SMS (it can take a call). */
export function screenDestination(n: Pick<Normalised, 'type'>, channel: Channel): void {
  if (n.type && NEVER.has(n.type))
    throw new ApiError('invalid_phone', 'This number cannot receive codes. Use a mobile number.')
  if (n.type === 'FIXED_LINE' && channel === 'sms')
    throw new ApiError(
      'invalid_phone',
      'This looks like a landline, which cannot receive text messages. Ask for a call instead.',
      { channels: ['voice'] },
    )
}

/**
 * The countries a site sends to. `allowedCountries: null` means every country in development; in
 * production a site that never chose allows only its default country (Stytch turns international
 * SMS off by default for the same reason: SMS pumping), and the admin widens the list.
 */
export function allowedCountries(settings: Settings, mode: Mode): string[] | null {
  if (settings.allowedCountries) return settings.allowedCountries
  return mode === 'production' ? [settings.defaultCountry] : null
}

/** `country_not_allowed` unless the number's country is in the site's allow-list. */
export function assertCountryAllowed(n: Normalised, settings: Settings, mode: Mode): void {
  const allowed = allowedCountries(settings, mode)
  if (allowed && !allowed.includes(n.country ?? '')) {
    throw new ApiError(
      'country_not_allowed',
      'This site does not send codes to numbers in that country.',
    )
  }
}

export function maskE164(e164: string): string {
  // A number this request has read already (a start's) is masked from that reading.
  const read = parsedCache.get(`|${e164}`)
  if (read && read.e164 === e164) return read.masked
  return maskPhone(e164, parsePhoneNumberFromString(e164)?.countryCallingCode)
}

/** The keyed digest a number is stored and counted under when it must not be kept in clear. */
export function phoneHash(keys: Keys, e164: string): string {
  return keys.digest('lookupHmac', `phone:${e164}`)
}
