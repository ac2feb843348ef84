/** Deadlines for database promises: a timer raced against the call, cleared when it settles. */
import { databaseUnavailable } from './errors.js'

export const TIMEOUT = Symbol('timeout')

/** Resolves with what `pending` resolves with, or with TIMEOUT after `ms`. */
export function within<T>(pending: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(resolve, ms, TIMEOUT)
  })
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Resolves with `pending`, or rejects with `database_unavailable` after `ms` (for /healthz, which
 * must answer a load balancer sooner than a request may wait).
 */
export function answerWithin<T>(pending: Promise<T>, ms: number): Promise<T> {
  return within(pending, ms).then((result) => {
    // race() has subscribed to `pending`: a late rejection is not an unhandled one.
    if (result !== TIMEOUT) return result
    throw databaseUnavailable(1)
  })
}

/** Exponential with jitter (50–100 % of each step); the steps add up to the budget. */
export function backoff(attempt: number, tries: number, budgetMs: number): number {
  const unit = budgetMs / (2 ** (tries - 1) - 1 || 1)
  return Math.round(unit * 2 ** (attempt - 1) * (0.5 + Math.random() * 0.5))
}
