/**
 * Every limit is declared once, in edge/limits/policy.ts, with its number, window and key; the code
 * that starts, resends and checks codes (and counts guesses) asks it and holds no number of its own.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as policy from '../../../edge/limits/policy.js'
import type { TunedWindow, Window } from '../../../edge/limits/policy.js'
import { DEFAULT_SETTINGS } from '../../../edge/settings/settings.js'

// The fixed windows, and the tuned ones as the default settings make them.
const windows = Object.entries(policy).flatMap(([name, w]): [string, Window][] => {
  // A window counts `limit` events under its `key` (CHALLENGE_ADAPTIVE has a window, not a limit).
  if (typeof w === 'object' && 'windowMs' in w && 'limit' in w) return [[name, w as Window]]
  if (typeof w === 'function' && 'setting' in w)
    return [[name, (w as TunedWindow)(DEFAULT_SETTINGS)]]
  return []
})

describe('limits policy', () => {
  it('gives every window a number, a window, a metrics name and its own key', () => {
    expect(windows.length).toBeGreaterThanOrEqual(7)
    const names = new Set<string>()
    const keys = new Set<string>()
    for (const [, w] of windows) {
      expect(Number.isInteger(w.limit) && w.limit > 0).toBe(true)
      expect(Number.isInteger(w.windowMs) && w.windowMs > 0).toBe(true)
      expect(w.name).toMatch(/^[a-z_]+$/)
      names.add(w.name)
      // No key of one window is a key of another: the prefix before the counted value differs.
      keys.add(w.key(''))
    }
    expect(names.size).toBe(windows.length)
    expect(keys.size).toBe(windows.length)
    for (const a of keys) for (const b of keys) if (a !== b) expect(b.startsWith(a)).toBe(false)
  })

  it('builds the limit limits.ts takes from a window and what it counts per', () => {
    expect(policy.limitOf(policy.STARTS_PER_ADDRESS(DEFAULT_SETTINGS), '203.0.113.7')).toEqual({
      key: 'addr:203.0.113.7',
      name: 'starts_per_address',
      limit: 30,
      windowMs: 600_000,
    })
    expect(policy.limitOf(policy.NUMBERS_PER_PREFIX(DEFAULT_SETTINGS), 'p', 'n').sub).toBe('n')
    const stricter = { ...DEFAULT_SETTINGS, startsPerAddress: 3 }
    expect(policy.limitOf(policy.STARTS_PER_ADDRESS(stricter), 'a').limit).toBe(3)
  })

  it('locks for good on the last failure of a lock cycle (guesses.ts relies on it)', () => {
    const g = policy.GUESS_BUDGET
    const range = policy.TUNABLE_LIMITS[g.setting]
    for (let n = range.min; n <= range.max; n++)
      if (range.divides % n === 0) expect(g.lockForGoodAfter % n).toBe(0)
    expect(g.lockForGoodAfter % g.lockEvery(DEFAULT_SETTINGS)).toBe(0)
    expect(g.lockForGoodAfter).toBeLessThanOrEqual(100) // NIST SP 800-63B-4 §3.2.2
    expect(g.subject('usr_1', 'h')).toBe('usr_1')
    expect(g.subject(null, 'h')).toBe('ph:h')
  })

  it('doubles the resend cooldown after each send, from the site setting', () => {
    const s = { resendCooldownSeconds: 30 } as Parameters<typeof policy.resendCooldownMs>[0]
    expect([1, 2, 3].map((n) => policy.resendCooldownMs(s, n))).toEqual([30_000, 60_000, 120_000])
  })

  // The modules that start, resend and check codes, and count guesses: a number in them other than
  // 0 or 1 (a count, an index, a first send) would be a limit kept outside the policy.
  const root = join(import.meta.dirname, '../../../edge')
  const limitLogic = [
    ...readdirSync(join(root, 'verifications'))
      .filter((f) => f.endsWith('.ts') && f !== 'routes.ts')
      .map((f) => `verifications/${f}`),
    'limits/guesses.ts',
    'limits/limits.ts',
    'test-numbers/resolve.ts',
    'test-numbers/store.ts',
  ]
  it.each(limitLogic)('%s holds no limit of its own', (file) => {
    const code = readFileSync(join(root, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
      .replace(/'[^'\n]*'|`[^`]*`/g, "''")
      // Regular expressions (a digit class is no limit).
      .replace(/\/(?:\\.|\[[^\]\n]*\]|[^/\n\\[])+\/[dgimsuy]*/g, '/re/')
    const numbers = [...code.matchAll(/(?<![\w.$])\d[\d_]*(?:\.\d+)?(?![\w])/g)].map((m) => m[0])
    // LOCKED_FOR_GOOD is the largest time a Date can hold, not a limit.
    expect(numbers.filter((x) => !['0', '1', '8_640_000_000_000_000'].includes(x))).toEqual([])
  })

  it('keeps every module of the verifications room under 250 lines', () => {
    for (const f of readdirSync(join(root, 'verifications')))
      expect([
        f,
        readFileSync(join(root, 'verifications', f), 'utf8').split('\n').length <= 251,
      ]).toEqual([f, true])
  })
})
