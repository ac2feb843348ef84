/**
 * Timing of the code compare (SECURITY.md T22): a wrong code that shares more leading digits with
 * the real one takes no longer to refuse, and the compare is constant-time on fixed-length digests.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { constantTimeEqual } from '../../../edge/crypto/keys.js'
import { codeHash } from '../../../edge/verifications/common.js'
import { tuneEmbeddedDatabase } from '../../../edge/db/pragmas.js'
import { lastCode, phoneNo, testApp, type TestApp } from '../../helpers/app.js'
import { freshAddress } from '../../helpers/production.js'

let t: TestApp
afterEach(() => t?.close())

const source = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8')

/** A wrong code sharing exactly `k` leading digits with `code`. */
function sharing(code: string, k: number): string {
  const next = String((Number(code[k]) + 1 + Math.floor(Math.random() * 9)) % 10)
  const rest = Array.from({ length: code.length - k - 1 }, () => Math.floor(Math.random() * 10))
  return code.slice(0, k) + next + rest.join('')
}

/** Ordinary least squares slope of y on x. */
function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my)
    sxx += (xs[i]! - mx) ** 2
  }
  return sxy / sxx
}

describe('T22 timing of the code compare', () => {
  it('T22 shows no latency trend over 0..5 shared leading digits (1,080 wrong checks)', async () => {
    t = await testApp()
    await tuneEmbeddedDatabase(t.db, 'file:')
    expect((await t.admin('PATCH', '/v1/admin/settings', { maxAttempts: 10 })).status).toBe(200)
    const PER_VERIFICATION = 9
    const SAMPLES = 1080
    // Every prefix length equally often, in random order, so drift cannot pose as a trend.
    const lengths = Array.from({ length: SAMPLES }, (_, i) => i % 6)
    for (let i = lengths.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1))
      ;[lengths[i], lengths[j]] = [lengths[j]!, lengths[i]!]
    }
    const xs: number[] = []
    const ys: number[] = []
    for (let v = 0; xs.length < SAMPLES; v++) {
      // A number takes 5 codes per 10 minutes: 24 numbers, then the clock moves on.
      if (v > 0 && v % 120 === 0) t.clock.advance(10 * 60_000 + 1000)
      const phone = phoneNo(v % 24)
      const started = await t.call(
        'POST',
        '/v1/verifications',
        { purpose: 'register', phone },
        freshAddress(),
      )
      expect(started.status, started.text).toBe(201)
      const id = started.body.id as string
      const code = await lastCode(t, phone)
      for (let i = 0; i < PER_VERIFICATION && xs.length < SAMPLES; i++) {
        const k = lengths[xs.length]!
        const body = JSON.stringify({ code: sharing(code, k) })
        const before = performance.now()
        const res = await t.api.app.request(`/v1/verifications/${id}/check`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...freshAddress() },
          body,
        })
        await res.text()
        ys.push(performance.now() - before)
        xs.push(k)
        expect(res.status).toBe(400)
      }
      // The right code ends the verification and clears the number's guessing budget.
      expect((await t.call('POST', `/v1/verifications/${id}/check`, { code })).status).toBe(200)
    }
    // Pauses (garbage collection, a neighbour's fsync) are not the compare: winsorize the slowest
    // 10 % before the regression.
    const cap = [...ys].sort((a, b) => a - b)[Math.floor(ys.length * 0.9)]!
    const b = slope(
      xs,
      ys.map((y) => Math.min(y, cap)),
    )
    const medians = [0, 1, 2, 3, 4, 5].map((k) => {
      const s = ys.filter((_, i) => xs[i] === k).sort((p, q) => p - q)
      return s[Math.floor(s.length / 2)]!
    })
    // Generous: a leak of the compare would be nanoseconds; noise is a fraction of a millisecond on
    // an idle machine and grows with its load, so the bounds grow with the overall median (a check
    // slowed to 20 ms by neighbours allows 2 ms between prefix lengths, an idle 5 ms one 1 ms).
    const overall = [...ys].sort((p, q) => p - q)[Math.floor(ys.length / 2)]!
    const noise = Math.max(1, overall / 10)
    const report = `slope ${b.toFixed(4)} ms/digit; medians ${medians.map((m) => m.toFixed(2))}; overall ${overall.toFixed(2)}`
    expect(Math.abs(b), report).toBeLessThan(noise / 5)
    expect(Math.max(...medians) - Math.min(...medians), report).toBeLessThan(noise)
  }, 120_000)

  it('T22 compares the code only through constantTimeEqual on fixed-length HMAC digests', async () => {
    const check = source('edge/verifications/check.ts')
    expect(check).toMatch(/import \{ equalsAny \} from '\.\.\/crypto\/keys\.js'/)
    // During a rotation the digest under each accepted secret's key, every one compared.
    expect(check).toMatch(
      /equalsAny\(v\.codeHash, acceptedCodeHashes\(ctx, id, v\.purpose, given\)\)/,
    )
    // No other comparison of a code or its digest: no ===/!== next to code, hash or codeHash.
    expect(check).not.toMatch(
      /(?:code|hash|codeHash)\s*[!=]==|[!=]==\s*(?:code|hash|v\.codeHash)\b/,
    )
    // The submitted code is hashed whatever it is (a malformed one as a marker), so both sides are
    // always 64 hex characters.
    expect(check).toMatch(/given = wellFormed \? code : `malformed:/)
    t = await testApp()
    for (const code of ['123456', '', 'x'.repeat(32), 'malformed:7'])
      expect(codeHash(t.api.ctx, 'ver_x', 'login', code)).toMatch(/^[0-9a-f]{64}$/)
    const stored = await t.db.execute('SELECT code_hash FROM verifications')
    for (const row of stored.rows) expect(String(row.code_hash)).toMatch(/^[0-9a-f]{64}$/)

    // constantTimeEqual itself: no exit inside its loop.
    const keys = source('edge/crypto/keys.ts')
    const fn = /export function constantTimeEqual[\s\S]*?\n\}/.exec(keys)![0]
    const loop = /for \([^)]*\) ([^\n]*)/.exec(fn)![1]!
    expect(loop).toMatch(/^diff \|= /)
    expect(fn.match(/return/g)).toHaveLength(2)
    // equalsAny: constantTimeEqual on every candidate, none skipped after a hit.
    const any = /export function equalsAny[\s\S]*?\n\}/.exec(keys)![0]
    expect(any).toMatch(
      /for \(const c of candidates\) hit = constantTimeEqual\(stored, c\) \|\| hit/,
    )
  })

  it('T22 constantTimeEqual: equal only when every character is', () => {
    const a = 'f'.repeat(64)
    expect(constantTimeEqual(a, a)).toBe(true)
    expect(constantTimeEqual('', '')).toBe(true)
    expect(constantTimeEqual(a, 'e' + a.slice(1))).toBe(false)
    expect(constantTimeEqual(a, a.slice(0, 63) + 'e')).toBe(false)
    expect(constantTimeEqual(a, a.slice(0, 63))).toBe(false)
    expect(constantTimeEqual(a.slice(0, 63), a)).toBe(false)
    // Characters whose XOR shares no bits with others still differ.
    expect(constantTimeEqual('\u0001\u0002', '\u0002\u0001')).toBe(false)
    expect(constantTimeEqual('ab', 'ab')).toBe(true)
  })
})
