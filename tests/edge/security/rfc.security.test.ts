/**
 * SECURITY.md §8 T19 (§4 vectors): RFC 4226 Appendix D and RFC 6238 Appendix B through `otpauth`,
 * the library the edge uses, and through the edge's own matchStep (6 digits, ±1 step).
 */
import { HOTP, Secret, TOTP } from 'otpauth'
import { describe, expect, it } from 'vitest'
import { matchStep, PERIOD_S, WINDOW } from '../../../edge/factors/totp.js'

const SEEDS = {
  SHA1: Secret.fromLatin1('12345678901234567890'),
  SHA256: Secret.fromLatin1('12345678901234567890123456789012'),
  SHA512: Secret.fromLatin1('1234567890123456789012345678901234567890123456789012345678901234'),
}
const HOTP_VECTORS = [
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
const TOTP_VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
]
const ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const

const hotp = (counter: number) =>
  new HOTP({ secret: SEEDS.SHA1, algorithm: 'SHA1', digits: 6 }).generate({ counter })
const totp = (algorithm: (typeof ALGORITHMS)[number], seconds: number, digits = 8) =>
  new TOTP({ secret: SEEDS[algorithm], algorithm, digits, period: 30 }).generate({
    timestamp: seconds * 1000,
  })

describe('T19 RFC conformance', () => {
  it('T19 28/28 published vectors match: 10 HOTP (RFC 4226 App. D) and 18 TOTP (RFC 6238 App. B)', () => {
    const results: boolean[] = []
    for (const [counter, code] of HOTP_VECTORS.entries()) results.push(hotp(counter) === code)
    for (const [seconds, ...codes] of TOTP_VECTORS) {
      for (const [i, algorithm] of ALGORITHMS.entries())
        results.push(totp(algorithm, seconds) === codes[i])
    }
    expect(results).toHaveLength(28)
    expect(results.filter(Boolean)).toHaveLength(28)
    // And each value exactly, so a mismatch names itself.
    expect(HOTP_VECTORS.map((_, c) => hotp(c))).toEqual(HOTP_VECTORS)
    expect(TOTP_VECTORS.map(([sec]) => ALGORITHMS.map((a) => totp(a, sec)))).toEqual(
      TOTP_VECTORS.map(([, ...codes]) => codes),
    )
  })

  it('T19 6-digit derivation: the 6-digit TOTP is the low 6 digits of the 8-digit one, and TOTP at 59 s is HOTP counter 1', () => {
    for (const [seconds, ...codes] of TOTP_VECTORS) {
      for (const [i, algorithm] of ALGORITHMS.entries())
        expect(totp(algorithm, seconds, 6)).toBe(codes[i]!.slice(2))
    }
    expect(totp('SHA1', 59, 6)).toBe('287082')
    expect(totp('SHA1', 59, 6)).toBe(hotp(1))
  })

  it('T19 the edge takes the RFC values at their time steps, with 30 s steps and a window of one', () => {
    expect([PERIOD_S, WINDOW]).toEqual([30, 1])
    const secret = SEEDS.SHA1.base32
    for (const [seconds, sha1] of TOTP_VECTORS) {
      const step = Math.floor(seconds / 30)
      expect(matchStep(secret, sha1.slice(2), seconds * 1000)).toBe(step)
    }
    expect(matchStep(secret, '287082', 59_000)).toBe(1)
  })

  it('T19 the counter is 64-bit: 20000000000 s is step 666666666 (0x27BC86AA), not a 32-bit wrap', () => {
    const step = Math.floor(20000000000 / 30)
    expect(step).toBe(666666666)
    expect(step.toString(16).toUpperCase().padStart(16, '0')).toBe('0000000027BC86AA')
    expect(new HOTP({ secret: SEEDS.SHA1, digits: 8 }).generate({ counter: step })).toBe('65353130')
    expect(matchStep(SEEDS.SHA1.base32, '353130', 20000000000 * 1000)).toBe(step)
    // 20000000000 does not fit in 32 bits; the value of a 32-bit wrap differs.
    const wrapped = Math.floor((20000000000 % 2 ** 32) / 30)
    expect(new HOTP({ secret: SEEDS.SHA1, digits: 8 }).generate({ counter: wrapped })).not.toBe(
      '65353130',
    )
  })

  it('T19 only 6 ASCII digits can match (regression: otpauth < 3.2.8 accepted a single digit)', () => {
    const secret = SEEDS.SHA1.base32
    for (const bad of [
      '2',
      '8',
      '28708',
      '2870821',
      ' 287082',
      '287082 ',
      '２８７０８２',
      '+287082',
      '',
    ])
      expect(matchStep(secret, bad, 59_000)).toBeNull()
    expect(matchStep(secret, '287082', 59_000)).toBe(1)
  })
})
