/**
 * Distinct phones and client addresses for load against our real server, so that what is measured
 * is the work of a verification and not a 429: the limits of docs/api.md are per phone (5 per 10 min),
 * per client address (30 per 10 min, `X-Forwarded-For` with `SMS_AUTH_TRUST_PROXY=1`) and per
 * destination prefix (10 numbers per hour per number-less-last-4-digits).
 */

/** Indian mobiles `9PPPPPSSSS`: every 6-digit prefix 900000–999999 is a valid mobile range. */
export function phoneNumber(n: number): { national: string; e164: string } {
  const prefix = 900_000 + (n % 100_000)
  // One number per prefix for the first 100 000, then a second one per prefix, and so on.
  const suffix = String(1000 + Math.floor(n / 100_000) * 1111).slice(-4)
  const national = `${prefix}${suffix}`
  return { national, e164: `+91${national}` }
}

/** `10.a.b.c` from a counter: 16 million distinct client addresses. */
export function clientAddress(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
}

/** Hands out phone and address numbers that no other fixture of this run has used. */
export class Counter {
  private value = 0
  next(): number {
    return this.value++
  }
}

export interface PendingCheck {
  id: string
  code: string
}

export class BenchSetupError extends Error {
  override name = 'BenchSetupError'
}

/** A small client of docs/api.md for setting up fixtures (not for measuring). */
export class Api {
  constructor(
    private readonly url: string,
    private readonly addresses: Counter,
  ) {}

  async post<T>(path: string, body: unknown, expected: number): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': clientAddress(this.addresses.next()),
      },
      body: JSON.stringify(body),
    })
    const text = await response.text()
    if (response.status !== expected) {
      throw new BenchSetupError(`POST ${path}: ${response.status} (expected ${expected}): ${text}`)
    }
    return JSON.parse(text) as T
  }

  /** The code of the newest message sent to `e164`, from the development outbox. */
  async latestCode(e164: string): Promise<string> {
    const response = await fetch(`${this.url}/v1/dev/outbox?to=${encodeURIComponent(e164)}`)
    const text = await response.text()
    if (response.status !== 200) {
      throw new BenchSetupError(`GET /v1/dev/outbox: ${response.status}: ${text}`)
    }
    const { messages } = JSON.parse(text) as { messages: { code: string }[] }
    const code = messages[0]?.code
    if (code === undefined) throw new BenchSetupError(`no message for ${e164} in the outbox`)
    return code
  }

  /**
   * Registers a new account on a fresh phone (register → outbox → check → ticket → POST /v1/users),
   * then starts a `login` verification for it and reads its code: checking that code must answer
   * `{status: 'approved', user, session}` (an account without TOTP signs in with SMS alone).
   */
  async pendingLogin(phones: Counter): Promise<PendingCheck> {
    const n = phones.next()
    const { national, e164 } = phoneNumber(n)
    const start = { phone: national, country: 'IN' }
    const register = await this.post<{ id: string }>(
      '/v1/verifications',
      { purpose: 'register', ...start },
      201,
    )
    const approved = await this.post<{ registrationTicket?: string }>(
      `/v1/verifications/${register.id}/check`,
      { code: await this.latestCode(e164) },
      200,
    )
    if (approved.registrationTicket === undefined) {
      throw new BenchSetupError(`register check for ${e164} gave no registrationTicket`)
    }
    await this.post(
      '/v1/users',
      {
        registrationTicket: approved.registrationTicket,
        name: `Bench ${n}`,
        email: `bench-${n}@example.com`,
      },
      201,
    )
    const login = await this.post<{ id: string }>(
      '/v1/verifications',
      { purpose: 'login', ...start },
      201,
    )
    return { id: login.id, code: await this.latestCode(e164) }
  }
}

/** Runs `task` `count` times with at most `concurrency` at once, results in order. */
export async function pool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++
      results[index] = await task(index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return results
}
