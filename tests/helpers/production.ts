/**
 * An in-process edge in production mode (no console provider, no outbox) whose codes go through
 * real HTTP provider fakes on 127.0.0.1, configured through the admin API as a site owner would.
 */
import { expect } from 'vitest'
import { CLICKATELL_CREDENTIALS } from '../fakes/clickatell.js'
import type { Fake } from '../fakes/server.js'
import { SMSTOOLS_CREDENTIALS } from '../fakes/smstools.js'
import { TWILIO_CREDENTIALS } from '../fakes/twilio.js'
import { TWOFACTOR_CREDENTIALS } from '../fakes/twofactor.js'
import { tuneEmbeddedDatabase } from '../../edge/db/pragmas.js'
import { testApp, type Res, type TestApp } from './app.js'

export type ProviderName = 'twilio' | 'clickatell' | 'twofactor' | 'smstools'

export const PROVIDER_CREDENTIALS: Record<ProviderName, Record<string, string>> = {
  twilio: TWILIO_CREDENTIALS,
  clickatell: CLICKATELL_CREDENTIALS,
  twofactor: TWOFACTOR_CREDENTIALS,
  smstools: SMSTOOLS_CREDENTIALS,
}

/** Every credential value of the fakes (none may ever reach a response, a log line or a row). */
export const PROVIDER_SECRETS = Object.values(PROVIDER_CREDENTIALS).flatMap((c) =>
  Object.entries(c)
    .filter(([key]) => !['from', 'sender', 'senderId', 'templateName'].includes(key))
    .map(([, value]) => value),
)

/** A production-mode edge sending to `allowedCountries` (production's default is IN alone). */
export async function productionApp(
  allowedCountries: string[] = ['IN', 'US', 'GB'],
  settings: Record<string, unknown> = {},
  env: Record<string, string> = {},
): Promise<TestApp> {
  // The provider fakes listen on http://127.0.0.1, which production takes only with this switch.
  const t = await testApp({
    env: { SMS_AUTH_MODE: 'production', SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: '1', ...env },
  })
  // As the Node entry opens an embedded database: WAL, synchronous NORMAL.
  await tuneEmbeddedDatabase(t.db, 'file:')
  const r = await t.admin('PATCH', '/v1/admin/settings', { allowedCountries, ...settings })
  expect(r.status, r.text).toBe(200)
  return t
}

/** PUT /v1/admin/integrations/{name}, pointing the provider at a fake (or any origin). */
export async function useProvider(
  t: TestApp,
  name: ProviderName,
  baseUrl: string,
  options: { priority?: number; voice?: boolean; failoverAfterTimeout?: boolean } = {},
): Promise<Res> {
  const r = await t.admin('PUT', `/v1/admin/integrations/${name}`, {
    enabled: true,
    priority: options.priority ?? 1,
    credentials: PROVIDER_CREDENTIALS[name],
    baseUrl,
    voice: options.voice ?? false,
    failoverAfterTimeout: options.failoverAfterTimeout ?? false,
  })
  expect(r.status, r.text).toBe(200)
  return r
}

/** The code in a message a fake accepted (the last run of 4–10 digits, spaced digits joined). */
export function codeIn(text: string): string | undefined {
  return text
    .replace(/(\d)[ ,]+(?=\d)/g, '$1')
    .match(/\d{4,10}/g)
    ?.at(-1)
}

/** The newest code `fake` delivered to `phone` (each provider writes the number its own way). */
export function codeTo(fake: Fake, phone: string): string {
  const national = phone.replace(/\D/g, '').slice(-10)
  const m = fake.messages.findLast((x) => x.to.replace(/\D/g, '').endsWith(national))
  const code = m && codeIn(m.text)
  if (!code) throw new Error(`no code reached ${phone}`)
  return code
}

/** Messages `fake` accepted for `phone`. */
export function messagesTo(fake: Fake, phone: string) {
  const national = phone.replace(/\D/g, '').slice(-10)
  return fake.messages.filter((x) => x.to.replace(/\D/g, '').endsWith(national))
}

let addresses = 0
/** A client address never used before in this process (limits per address stay out of the way). */
export function freshAddress(): Record<string, string> {
  const n = ++addresses
  return { 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` }
}

let accounts = 0
/** Registers a phone account through the API in production mode (the code read from `fake`). */
export async function registerVia(t: TestApp, fake: Fake, phone: string, name = 'Asha') {
  const v = await t.call(
    'POST',
    '/v1/verifications',
    { purpose: 'register', phone },
    freshAddress(),
  )
  if (v.status !== 201) throw new Error(`start failed: ${v.text}`)
  const checked = await t.call(
    'POST',
    `/v1/verifications/${v.body.id}/check`,
    { code: codeTo(fake, phone) },
    freshAddress(),
  )
  if (checked.status !== 200) throw new Error(`check failed: ${checked.text}`)
  const u = await t.call(
    'POST',
    '/v1/users',
    {
      registrationTicket: checked.body.registrationTicket,
      name,
      // Not derived from the number: a scan for numbers in storage must find only the phone column.
      email: `user${++accounts}@example.com`,
    },
    freshAddress(),
  )
  if (u.status !== 201) throw new Error(`register failed: ${u.text}`)
  return u.body as {
    user: { id: string; phone: string }
    session: { accessToken: string; refreshToken: string }
  }
}
