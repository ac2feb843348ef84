/** RFC 4226 Appendix D and RFC 6238 Appendix B vectors (SECURITY.md §4), on the library we use. */
import { HOTP, Secret, TOTP } from 'otpauth'
import { describe, expect, it } from 'vitest'
import { matchStep } from '../../../edge/factors/totp.js'

const SHA1_SEED = Secret.fromLatin1('12345678901234567890')

describe('RFC 4226 HOTP', () => {
  const expected = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ]
  for (const [counter, code] of expected.entries()) {
    it(`counter ${counter} → ${code}`, () => {
      expect(
        new HOTP({ secret: SHA1_SEED, digits: 6, algorithm: 'SHA1' }).generate({ counter }),
      ).toBe(code)
    })
  }
})

describe('RFC 6238 TOTP (8 digits, T0 = 0, X = 30 s)', () => {
  const seeds = {
    SHA1: Secret.fromLatin1('12345678901234567890'),
    SHA256: Secret.fromLatin1('12345678901234567890123456789012'),
    SHA512: Secret.fromLatin1('1234567890123456789012345678901234567890123456789012345678901234'),
  }
  const table: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ]
  for (const [time, sha1, sha256, sha512] of table) {
    it(`T = ${time}`, () => {
      const gen = (algorithm: keyof typeof seeds) =>
        new TOTP({ secret: seeds[algorithm], digits: 8, period: 30, algorithm }).generate({
          timestamp: time * 1000,
        })
      expect([gen('SHA1'), gen('SHA256'), gen('SHA512')]).toEqual([sha1, sha256, sha512])
    })
  }
})

describe('matchStep (6 digits, ±1 step)', () => {
  const secret = SHA1_SEED.base32
  it('accepts the low 6 digits of the RFC value at T = 59 and returns its step', () => {
    expect(matchStep(secret, '287082', 59_000)).toBe(1)
  })
  it('accepts one step either side and refuses two', () => {
    expect(matchStep(secret, '287082', 89_000)).toBe(1)
    expect(matchStep(secret, '287082', 29_000)).toBe(1)
    expect(matchStep(secret, '287082', 119_000)).toBeNull()
  })
  it('refuses anything but 6 ASCII digits (otpauth < 3.2.8 accepted one digit)', () => {
    for (const bad of ['2', '28708', '2870821', ' 287082', '２８７０８２'])
      expect(matchStep(secret, bad, 59_000)).toBeNull()
  })
})
