/**
 * edge/phone.ts reads a valid number once a request: what it read from the caller's form (national
 * digits and a default country) is kept for its E.164 form too. That holds only if libphonenumber
 * reads the E.164 form the same way, checked here against libphonenumber itself for every
 * country's example mobile number and for numbers whose country differs from the default given.
 */
import { describe, expect, it } from 'vitest'
import examples from 'libphonenumber-js/mobile/examples'
import {
  getExampleNumber,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max'
import { maskPhone } from '../../shared/phone.js'
import { maskE164, normalisePhone, parseLoose } from '../../edge/phone.js'

/** What libphonenumber reads in an E.164 number on its own, no cache in between. */
function fresh(e164: string) {
  const p = parsePhoneNumberFromString(e164)!
  return {
    e164: p.number,
    country: p.country,
    masked: maskPhone(p.number, p.countryCallingCode),
    type: p.getType(),
  }
}

const national: [string, string][] = Object.keys(examples).map((country) => {
  const n = getExampleNumber(country as CountryCode, examples)!
  return [n.formatNational(), country]
})
// Typed with a default country the number does not belong to (same calling code).
national.push(['416 555 1234', 'US'], ['242 357 1234', 'US'], ['701 234 5678', 'RU'])
national.push(['07624 123456', 'GB'], ['07781 123456', 'GB'])

describe('a number read once a request', () => {
  it(`reads ${national.length} numbers in E.164 as libphonenumber reads them afresh`, () => {
    let valid = 0
    for (const [input, country] of national) {
      const first = parseLoose(input, country)
      const n = normalisePhone(input, country)
      expect(n).toEqual(first)
      // What the breaker, the price and the send then read (the kept reading).
      expect(parseLoose(n.e164), `${input} (${country})`).toEqual(fresh(n.e164))
      expect(maskE164(n.e164)).toBe(fresh(n.e164).masked)
      valid++
    }
    expect(valid).toBeGreaterThan(200)
  })

  it('masks a number it has not read', () => {
    expect(maskE164('+447700900123')).toBe('+44•••••••123')
  })
})
