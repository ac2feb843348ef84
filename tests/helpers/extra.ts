/** Small helpers for the route tests (on top of app.ts). */
import { expect } from 'vitest'
import { lastCode, type Res, type TestApp } from './app.js'

export interface OutboxMessage {
  to: string
  channel: string
  body: string
  code: string | null
  at: string
}

/** Asserts an RFC 9457 problem with the given status and code (and Retry-After on a 429). */
export function expectProblem(res: Res, status: number, code: string) {
  expect({ status: res.status, code: res.body?.code }, res.text).toEqual({ status, code })
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  expect(res.body.status).toBe(status)
  expect(typeof res.body.type).toBe('string')
  expect(typeof res.body.title).toBe('string')
  if (status === 429) {
    expect(res.body.retryAfter).toBeGreaterThan(0)
    expect(Number.isInteger(res.body.retryAfter)).toBe(true)
    expect(res.headers.get('retry-after')).toBe(String(res.body.retryAfter))
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** A distinct client address per caller, so the per-address start limit does not interfere. */
export const fromAddress = (n: number) => ({ 'x-forwarded-for': `198.51.100.${n}` })

/** What the console provider sent (newest first), to one number or to all. */
export async function outbox(t: TestApp, phone?: string): Promise<OutboxMessage[]> {
  const q = phone ? `?to=${encodeURIComponent(phone)}&limit=200` : '?limit=200'
  const r = await t.call('GET', `/v1/dev/outbox${q}`)
  expect(r.status, r.text).toBe(200)
  return r.body.messages as OutboxMessage[]
}

/** Starts a verification and insists on 201. */
export async function start(
  t: TestApp,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const r = await t.call('POST', '/v1/verifications', body, headers)
  expect(r.status, r.text).toBe(201)
  return r.body as {
    id: string
    purpose: string
    channel: string
    to: string
    codeLength: number
    expiresAt: string
    resendAt: string
    attemptsLeft: number
  }
}

export async function check(
  t: TestApp,
  id: string,
  code: string,
  headers: Record<string, string> = {},
) {
  return t.call('POST', `/v1/verifications/${id}/check`, { code }, headers)
}

/** A code of the right length that is not `code`. */
export function wrongCode(code: string): string {
  return code
    .split('')
    .map((d) => String((Number(d) + 1) % 10))
    .join('')
}

export interface UserSession {
  user: {
    id: string
    name: string
    email: string | null
    phone: string | null
    phoneVerified: boolean
    twoStep: { sms: boolean; totp: boolean; backupCodesRemaining: number }
    createdAt: string
  }
  session: { accessToken: string; tokenType: string; expiresIn: number; refreshToken: string }
}

/** Registers an email + password account and returns its user and session. */
export async function signUp(
  t: TestApp,
  email: string,
  password = 'correct horse battery staple',
  name = 'Ravi',
): Promise<UserSession> {
  const r = await t.call('POST', '/v1/users', { email, password, name })
  expect(r.status, r.text).toBe(201)
  return r.body as UserSession
}

/** Adds and verifies a phone on a signed-in account (purpose enroll). */
export async function enroll(t: TestApp, accessToken: string, phone: string) {
  const v = await start(t, { purpose: 'enroll', phone }, bearer(accessToken))
  const r = await check(t, v.id, await lastCode(t, phone), bearer(accessToken))
  expect(r.status, r.text).toBe(200)
  return r.body as { status: string; user: UserSession['user'] }
}
