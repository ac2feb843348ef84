/** Phone normalisation on libphonenumber-js with full metadata (the edge checks every number). */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import { maskPhone } from '../shared/phone.js'
import type { Settings } from '../shared/schemas.js'
import { ApiError } from './http/errors.js'

export interface Normalised {
  e164: string
  country: string | undefined
  masked: string
}

/** Any human format plus an optional default region → E.164, or `invalid_phone`. */
export function normalisePhone(input: string, country?: string): Normalised {
  const parsed = parsePhoneNumberFromString(input, (country as CountryCode) || undefined)
  if (!parsed || !parsed.isValid()) {
    throw new ApiError(
      'invalid_phone',
      'Enter a valid phone number, with its country code if it is not local.',
    )
  }
  return {
    e164: parsed.number,
    country: parsed.country,
    masked: maskPhone(parsed.number, parsed.countryCallingCode),
  }
}

/** `country_not_allowed` unless the number's country is in the site's allow-list. */
export function assertCountryAllowed(n: Normalised, settings: Settings): void {
  if (settings.allowedCountries && !settings.allowedCountries.includes(n.country ?? '')) {
    throw new ApiError(
      'country_not_allowed',
      'This site does not send codes to numbers in that country.',
    )
  }
}

export function maskE164(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164)
  return maskPhone(e164, parsed?.countryCallingCode)
}
