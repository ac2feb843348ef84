/**
 * Where a number a code would go to is read for register, login and enrolment (and an admin's
 * set-phone): a listed test number is taken as listed, even where libphonenumber calls it invalid
 * (the UK drama ranges) and whatever its type or country, since nothing is ever sent to it; an
 * unlisted one must be valid and outside the reserved ranges (reserved.ts). This is the one place
 * those checks are skipped, and only for a number on the admin's list.
 */
import { ApiError } from '../http/errors.js'
import { normalisePhone, parseLoose, type Normalised } from '../phone.js'
import { isReserved } from './reserved.js'
import type { TestCodes } from './store.js'

export interface Resolved {
  n: Normalised
  /** A listed test number's fixed code; null for any other number. */
  testCode: string | null
}

export const RESERVED_DETAIL =
  'This number is in a range kept for films and examples: it cannot receive codes.'

export const NEVER_SENT = 'That is a listed test number: nothing is ever sent to it.'

/**
 * `listed` is the request's configuration snapshot's (settings.ts siteConfig). `screen` runs on an
 * unlisted number before the reserved-range check (the destination rules of the caller: a number
 * of a country the site does not serve is refused as that).
 */
export async function resolvePhone(
  listed: TestCodes,
  input: string,
  country?: string,
  screen?: (n: Normalised) => void,
): Promise<Resolved> {
  const loose = parseLoose(input, country)
  const testCode = loose ? await listed(loose.e164) : null
  if (loose && testCode) return { n: loose, testCode }
  const n = normalisePhone(input, country)
  screen?.(n)
  if (isReserved(n.e164)) throw new ApiError('invalid_phone', RESERVED_DETAIL)
  return { n, testCode: null }
}
