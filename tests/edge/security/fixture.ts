/**
 * What the SECURITY.md §8 case files (T01–T19) share: an app per test, accounts with a second
 * factor, the guessing budget and the audit as the database holds them, and a Twilio fake.
 */
import { Secret, TOTP } from 'otpauth'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { TWILIO_CREDENTIALS, startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { lastCode, registerByPhone, testApp, type Res, type TestApp } from '../../helpers/app.js'
import { bearer, outbox } from '../../helpers/extra.js'

/** Registers the hooks of a file: a fresh app on a fresh database for every test. */
export function useApp(opts: Parameters<typeof testApp>[0] = {}): { t: TestApp } {
  const holder = {} as { t: TestApp }
  beforeEach(async () => {
    holder.t = await testApp(opts)
  })
  afterEach(() => holder.t.close())
  return holder
}

/** A Twilio fake for the whole file (its counters emptied before each test). */
export function useTwilio(): { fake: TwilioFake } {
  const holder = {} as { fake: TwilioFake }
  beforeAll(async () => {
    holder.fake = await startTwilio()
  })
  beforeEach(() => {
    holder.fake.setMode(null)
    holder.fake.messages.length = 0
    holder.fake.requests.length = 0
  })
  afterAll(() => holder.fake.close())
  return holder
}

/** Makes the Twilio fake the only provider (SMS and voice): nothing goes to the outbox. */
export async function useTwilioIn(t: TestApp, fake: TwilioFake): Promise<void> {
  const r = await t.admin('PUT', '/v1/admin/integrations/twilio', {
    enabled: true,
    priority: 1,
    credentials: TWILIO_CREDENTIALS,
    baseUrl: fake.baseUrl,
    voice: true,
  })
  expect(r.status, r.text).toBe(200)
}

/** A distinct client address per n (IPv4, so each counts on its own). */
export const ip = (n: number) => ({
  'x-forwarded-for': `10.${Math.floor(n / 250) % 250}.${n % 250}.1`,
})

export async function settings(t: TestApp, patch: Record<string, unknown>): Promise<void> {
  const r = await t.admin('PATCH', '/v1/admin/settings', patch)
  expect(r.status, r.text).toBe(200)
}

export const totpAt = (secret: string, ms: number) =>
  new TOTP({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  }).generate({ timestamp: ms })

/** A phone account with TOTP on (set up right after registration, while the session is fresh). */
export async function phoneWithTotp(t: TestApp, phone: string) {
  const { user, session } = await registerByPhone(t, phone)
  const setup = await t.call('POST', '/v1/me/totp', undefined, bearer(session.accessToken))
  expect(setup.status, setup.text).toBe(200)
  const secret = setup.body.secret as string
  const setupCode = totpAt(secret, t.clock.now)
  const on = await t.call(
    'POST',
    '/v1/me/totp/verify',
    { code: setupCode },
    bearer(session.accessToken),
  )
  expect(on.status, on.text).toBe(200)
  return { user, session, secret, setupCode }
}

/** A new set of backup codes for a session that is still fresh. */
export async function backupCodes(t: TestApp, accessToken: string): Promise<string[]> {
  const r = await t.call('POST', '/v1/me/backup-codes', undefined, bearer(accessToken))
  expect(r.status, r.text).toBe(201)
  return r.body.codes as string[]
}

/** The newest message to `phone` that carried a code (security notices carry none). */
export async function newestCode(t: TestApp, phone: string): Promise<string> {
  const m = (await outbox(t, phone)).find((x) => x.code !== null)
  if (!m?.code) throw new Error(`no code sent to ${phone}`)
  return m.code
}

/** An SMS sign-in of an account with TOTP: the code is a first factor, the answer an mfa ticket. */
export async function smsTicket(t: TestApp, phone: string, n: number): Promise<string> {
  const v = await t.call('POST', '/v1/verifications', { purpose: 'login', phone }, ip(n))
  expect(v.status, v.text).toBe(201)
  const r = await t.call('POST', `/v1/verifications/${v.body.id}/check`, {
    code: await lastCode(t, phone),
  })
  expect(r.body.mfaRequired, r.text).toBe(true)
  return r.body.mfaTicket as string
}

/** Starts a verification and insists on 201. */
export async function startV(
  t: TestApp,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<string> {
  const r = await t.call('POST', '/v1/verifications', body, headers)
  expect(r.status, r.text).toBe(201)
  return r.body.id as string
}

export const checkV = (
  t: TestApp,
  id: string,
  code: unknown,
  headers: Record<string, string> = {},
): Promise<Res> => t.call('POST', `/v1/verifications/${id}/check`, { code }, headers)

export interface Budget {
  failed: number
  total: number
  lockouts: number
  lockedUntil: number
}

/** The guessing budget of an account (its id) or of a number without one (`ph:` + its HMAC). */
export async function budget(t: TestApp, subject: string): Promise<Budget | null> {
  const r = await t.db.execute({
    sql: 'SELECT failed, total, lockouts, locked_until FROM guess_budgets WHERE subject = ?',
    args: [subject],
  })
  const row = r.rows[0]
  if (!row) return null
  return {
    failed: Number(row.failed),
    total: Number(row.total),
    lockouts: Number(row.lockouts),
    lockedUntil: Number(row.locked_until),
  }
}

/** The only budget row for numbers without an account (a test that makes exactly one). */
export async function numberBudget(t: TestApp): Promise<Budget | null> {
  const r = await t.db.execute("SELECT subject FROM guess_budgets WHERE subject LIKE 'ph:%'")
  expect(r.rows.length).toBeLessThanOrEqual(1)
  return r.rows[0] ? budget(t, String(r.rows[0].subject)) : null
}

export async function verificationRow(t: TestApp, id: string) {
  const r = await t.db.execute({
    sql: 'SELECT attempts, approved_at, code_hash FROM verifications WHERE id = ?',
    args: [id],
  })
  const row = r.rows[0]!
  return {
    attempts: Number(row.attempts),
    approved: row.approved_at !== null,
    codeHash: String(row.code_hash),
  }
}

export async function sessionCount(t: TestApp, userId: string): Promise<number> {
  const r = await t.db.execute({
    sql: 'SELECT count(*) AS n FROM sessions WHERE user_id = ?',
    args: [userId],
  })
  return Number(r.rows[0]!.n)
}

/** Outcomes of the audit events of one action, newest first. */
export async function auditOutcomes(t: TestApp, action: string): Promise<string[]> {
  const r = await t.admin('GET', `/v1/admin/audit?limit=1000&action=${action}`)
  expect(r.status, r.text).toBe(200)
  return (r.body.events as { outcome: string }[]).map((e) => e.outcome)
}

/** How many of `outcomes` are an evaluated failure (the secret was compared and was wrong). */
export const evaluatedFailures = (outcomes: string[]) =>
  outcomes.filter((o) => o === 'invalid_code' || o === 'invalid_credentials' || o === 'locked')
    .length

export const count = (results: Res[], status: number, code?: string) =>
  results.filter((r) => r.status === status && (code === undefined || r.body?.code === code)).length

/** A code of the same length that is not `code`. */
export const wrong = (code: string) => [...code].map((d) => String((Number(d) + 1) % 10)).join('')

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
