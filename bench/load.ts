import autocannon from 'autocannon'
import type { Request } from 'autocannon'

export interface LoadRequest {
  path: string
  body: string
  headers?: Record<string, string>
}

export interface LoadOptions {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string
  connections: number
  /** Seconds to run; ignored when `amount` is set. */
  seconds?: number
  /** Exact number of requests to make, for targets whose every request consumes a fixture. */
  amount?: number
  /** Builds each request (each gets its own phone, address or verification). */
  next: () => LoadRequest
  /** Expected status of every response. */
  status: number
  /** Optional check of each response body (counted as `failed` when it returns false). */
  verifyBody?: (body: string) => boolean
}

export interface LoadResult {
  /** Every answer, whatever its status. */
  requests: number
  /** Answers with the expected status (and body). */
  ok: number
  /** Wall time from the first request sent to the last answer received. */
  seconds: number
  /** Expected answers per second: a 503 that sheds load is no throughput. */
  rps: number
  p50: number
  p99: number
  max: number
  /** Responses with another status than expected, failed body checks, errors and timeouts. */
  failed: number
  statuses: Record<string, number>
  /** Requests that got no answer within autocannon's 10 s timeout. */
  timeouts: number
  /** Every response's latency in ms, sorted (to pool several runs). */
  latencies: number[]
}

/**
 * Runs autocannon POSTs against one target and measures latency per response (in ms, exact).
 * The elapsed time is measured here, from the first request sent to the last answer: autocannon's
 * own `duration` ends at its next whole-second sample tick, so a run of `amount` requests that
 * lasts 1.2 s would count as 2 s (the rates came out as 8000 / 2 s, 7960 / 2 s, …).
 */
export function load(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = []
  let firstSent = Infinity
  let lastAnswer = -Infinity
  const statuses: Record<string, number> = {}
  let badBodies = 0

  const request: Request = {
    method: 'POST',
    setupRequest: (req) => {
      const { path, body, headers } = options.next()
      return {
        ...req,
        path,
        body,
        headers: { 'content-type': 'application/json', ...headers },
      }
    },
  }
  if (options.verifyBody) {
    const verify = options.verifyBody
    request.onResponse = (status, body) => {
      if (status === options.status && !verify(body)) badBodies++
    }
  }

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds ?? 5,
        amount: options.amount,
        requests: [request],
        timeout: 10,
      },
      (error: unknown, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)))
        latencies.sort((a, b) => a - b)
        const requests = latencies.length
        const seconds = latencies.length > 0 ? (lastAnswer - firstSent) / 1000 : 0
        const unexpected = Object.entries(statuses)
          .filter(([status]) => status !== String(options.status))
          .reduce((sum, [, count]) => sum + count, 0)
        const ok = Math.max(0, (statuses[String(options.status)] ?? 0) - badBodies)
        resolve({
          requests,
          ok,
          seconds,
          rps: seconds > 0 ? ok / seconds : 0,
          p50: percentile(latencies, 0.5),
          p99: percentile(latencies, 0.99),
          max: latencies.at(-1) ?? 0,
          failed: unexpected + badBodies + result.errors,
          statuses,
          timeouts: result.timeouts,
          latencies,
        })
      },
    )
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      const now = performance.now()
      // responseTime counts from the moment autocannon wrote the request.
      firstSent = Math.min(firstSent, now - responseTime)
      lastAnswer = now
      latencies.push(responseTime)
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1
    })
  })
}

/** Hands out `items` in order, one a request, for runs whose every request consumes one. */
export function inOrder(items: readonly LoadRequest[], what = 'pending checks'): () => LoadRequest {
  let next = 0
  return () => {
    const item = items[next++]
    if (item === undefined) throw new Error(`ran out of ${what}`)
    return item
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))
  return sorted[rank] ?? 0
}
