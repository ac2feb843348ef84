/** What the breaker tests share: numbers per prefix, sends that verify or not, and a trip. */
import { expect } from 'vitest'
import { lastCode, type TestApp } from '../../helpers/app.js'

let address = 0
/** A fresh client address per start, so the per-address limit stays out of the way. */
export const anyAddress = () => {
  const n = ++address
  return { 'x-forwarded-for': `10.77.${(n >> 8) & 255}.${n & 255}` }
}

/** An Indian mobile in the prefix `+9198<block>` (the number less its last 4 digits). */
export const inPrefix = (block: number, i: number) => `+9198${block}${String(i).padStart(4, '0')}`

export async function startTo(t: TestApp, phone: string, purpose = 'register') {
  return t.call('POST', '/v1/verifications', { purpose, phone }, anyAddress())
}

/** One first code to each number (which must go out); `verified` of them are verified. */
export async function sends(t: TestApp, phones: string[], verified = 0) {
  for (const [i, phone] of phones.entries()) {
    const r = await startTo(t, phone)
    expect(r.status, `${phone}: ${r.text}`).toBe(201)
    if (i >= verified) continue
    const code = await lastCode(t, phone)
    const c = await t.call('POST', `/v1/verifications/${r.body.id}/check`, { code }, anyAddress())
    expect(c.status, c.text).toBe(200)
  }
}

/**
 * `n` unverified first codes to the prefix `block`: 10 numbers at most (the per-prefix limit counts
 * 10 unverified numbers an hour), each sent to at most 4 times (the per-number limit allows 5).
 */
export async function unverified(t: TestApp, block: number, n: number) {
  for (let k = 0; k < n; k++) {
    await sends(t, [inPrefix(block, k % 10)])
    t.clock.advance(1000)
  }
}

/** Sets breaker settings through the admin API. */
export async function settings(t: TestApp, patch: Record<string, unknown>) {
  const r = await t.admin('PATCH', '/v1/admin/settings', patch)
  expect(r.status, r.text).toBe(200)
}
