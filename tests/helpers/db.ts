/** Helpers for the database guard's tests: awaiting a refusal, and waiting for a condition. */
import { expect } from 'vitest'
import { ApiError } from '../../edge/http/errors.js'

/** Awaits a refusal and how long it took from `since`. */
export async function refused(p: Promise<unknown>, since = Date.now()) {
  const err = await p.then(
    () => {
      throw new Error('expected a refusal')
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ApiError)
  const api = err as ApiError
  expect(api.code).toBe('database_unavailable')
  expect(api.status).toBe(503)
  return { retryAfter: api.extras.retryAfter, ms: Date.now() - since }
}

/** Waits until `condition()` holds, polling; fails after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'the condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
