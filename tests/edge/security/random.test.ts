/**
 * The pooled CSPRNG (edge/crypto/random.ts): every byte is handed out once, across refills; bytes
 * and code digits come out uniform; integers stay in range. A timed id carries its time in its
 * first 48 bits and as many random bits after them as any id has.
 */
import { describe, expect, it } from 'vitest'
import {
  newId,
  newTimedId,
  randomBytes,
  randomDigits,
  randomInt,
} from '../../../edge/crypto/random.js'

const B32 = 'abcdefghijklmnopqrstuvwxyz234567'
/** The 176 bits after a timed id's prefix (36 characters, the last 4 bits padding). */
const bitsOf = (id: string) =>
  [...id.slice(4)].reduce((acc, ch) => (acc << 5n) | BigInt(B32.indexOf(ch)), 0n) >> 4n

describe('pooled randomness', () => {
  it('never hands out the same bytes twice, across several refills of the pool', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 3000; i++) seen.add(Buffer.from(randomBytes(16)).toString('hex'))
    expect(seen.size).toBe(3000)
    const ids = new Set(Array.from({ length: 2000 }, () => newId('ver')))
    expect(ids.size).toBe(2000)
  })

  it('gives the length asked, a large one straight from the platform', () => {
    expect(randomBytes(1)).toHaveLength(1)
    expect(randomBytes(12)).toHaveLength(12)
    const big = randomBytes(60_000)
    expect(big).toHaveLength(60_000)
    expect(new Set(big).size).toBe(256)
  })

  it('makes uniform bytes and uniform code digits (chi-square far under its 0.1 % bound)', () => {
    const bytes = new Array<number>(256).fill(0)
    for (let i = 0; i < 2000; i++) for (const b of randomBytes(32)) bytes[b]!++
    const e = (2000 * 32) / 256
    const chiBytes = bytes.reduce((acc, n) => acc + (n - e) ** 2 / e, 0)
    expect(chiBytes).toBeLessThan(330) // 255 degrees of freedom: p = 0.001 at 330.5
    const digits = new Array<number>(10).fill(0)
    for (let i = 0; i < 10_000; i++) for (const d of randomDigits(6)) digits[Number(d)]!++
    const ed = 60_000 / 10
    const chiDigits = digits.reduce((acc, n) => acc + (n - ed) ** 2 / ed, 0)
    expect(chiDigits).toBeLessThan(27.9) // 9 degrees of freedom: p = 0.001 at 27.88
  })

  it('keeps integers in [0, max) and refuses a bad max', () => {
    const values = new Set(Array.from({ length: 2000 }, () => randomInt(7)))
    expect([...values].sort()).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(randomInt(2 ** 32)).toBeLessThan(2 ** 32)
    expect(() => randomInt(0)).toThrow(RangeError)
  })

  it('makes timed ids: the time in the first 48 bits, then 128 random bits', () => {
    const now = Date.UTC(2026, 11, 3, 18, 0, 0, 123)
    const ids = Array.from({ length: 2000 }, () => newTimedId('ver', now))
    expect(new Set(ids).size).toBe(2000)
    for (const id of ids) {
      expect(id).toMatch(/^ver_[a-z2-7]{36}$/)
      expect(Number(bitsOf(id) >> 128n)).toBe(now)
    }
    // The 128 bits after the time are uniform: each of them is set in about half the ids.
    for (let bit = 0n; bit < 128n; bit++) {
      const set = ids.filter((id) => (bitsOf(id) >> bit) & 1n).length
      expect(set).toBeGreaterThan(850)
      expect(set).toBeLessThan(1150)
    }
    // Ids a millisecond apart differ in their time, and the later one carries the later time.
    expect(Number(bitsOf(newTimedId('msg', now + 1)) >> 128n)).toBe(now + 1)
  })
})
