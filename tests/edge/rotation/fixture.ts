/**
 * What the rotation tests share: instances in production mode on one database (one per secret
 * configuration, as a rolling restart has them), one clock, the Twilio fake, and a reader of
 * every sealed value the database holds.
 */
import type { Client } from '@libsql/client'
import { expect } from 'vitest'
import { decodeSecret } from '../../../edge/config.js'
import { deriveKeySet } from '../../../edge/crypto/keys.js'
import type { TwilioFake } from '../../fakes/twilio.js'
import { SECRET, testApp, type TestApp } from '../../helpers/app.js'
import { bearer } from '../../helpers/extra.js'
import { codeTo, freshAddress } from '../../helpers/production.js'
import { totpAt } from '../security/fixture.js'

export const OLD = SECRET
export const NEW = 'b'.repeat(64)
export const THIRD = 'c'.repeat(64)

export const keyId = async (secret: string) => (await deriveKeySet(decodeSecret(secret))).id

export const newClock = (): TestApp['clock'] => ({
  now: Date.parse('2026-11-23T12:00:00Z'),
  advance(ms: number) {
    this.now += ms
  },
})

/** An instance on `db` with `secrets` (SMS_AUTH_SECRET and, during a rotation, the others). */
export function instance(
  db: Client,
  clock: TestApp['clock'],
  secrets: {
    SMS_AUTH_SECRET: string
    SMS_AUTH_SECRET_PREVIOUS?: string
    SMS_AUTH_SECRET_NEXT?: string
  },
): Promise<TestApp> {
  return testApp({
    db,
    clock,
    env: { SMS_AUTH_MODE: 'production', SMS_AUTH_ALLOW_PRIVATE_BASE_URLS: '1', ...secrets },
  })
}

/** Every sealed value (of live rows, where only those matter), named by table, column and row. */
export async function sealedValues(db: Client, now: number): Promise<Map<string, string>> {
  const r = await db.execute({
    sql: `SELECT 'signing_keys.' || kid AS at, private_jwk_sealed AS v FROM signing_keys
          UNION ALL SELECT 'integrations.' || provider, credentials_sealed FROM integrations
          UNION ALL SELECT 'totp_secret.' || id, totp_secret_sealed FROM users
          UNION ALL SELECT 'totp_pending.' || id, totp_pending_sealed FROM users
          UNION ALL SELECT 'verifications.' || id, sealed FROM verifications WHERE expires_at > ?
          UNION ALL SELECT 'tickets.' || hash, phone FROM tickets WHERE expires_at > ?
          UNION ALL SELECT 'event_outbox.' || id, data_sealed FROM event_outbox
          UNION ALL SELECT 'event_endpoints.' || id, secret_sealed FROM event_endpoints
          UNION ALL SELECT 'event_endpoints.previous.' || id, previous_secret_sealed FROM event_endpoints`,
    args: [now, now],
  })
  const out = new Map<string, string>()
  for (const row of r.rows) if (row.v !== null) out.set(String(row.at), String(row.v))
  return out
}

/** The events of one name an instance logged, parsed. */
export function events(t: TestApp, event: string): Record<string, unknown>[] {
  return t.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((e) => e.event === event)
}

export async function ok(t: TestApp, method: string, path: string, body?: unknown, h = {}) {
  const r = await t.call(method, path, body, { ...freshAddress(), ...h })
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300)
  return r
}

/** A phone account with an authenticator app on (or only set up): its session, its TOTP seed. */
export async function withTotp(t: TestApp, fake: TwilioFake, phone: string, enable = true) {
  const v = await ok(t, 'POST', '/v1/verifications', { purpose: 'register', phone })
  const checked = await ok(t, 'POST', `/v1/verifications/${v.body.id}/check`, {
    code: codeTo(fake, phone),
  })
  const u = await ok(t, 'POST', '/v1/users', {
    registrationTicket: checked.body.registrationTicket,
    name: 'Asha',
    email: `${phone.replace(/\D/g, '')}@example.com`,
  })
  const token = u.body.session.accessToken as string
  const setup = await ok(t, 'POST', '/v1/me/totp', undefined, bearer(token))
  const seed = setup.body.secret as string
  if (enable) {
    await ok(t, 'POST', '/v1/me/totp/verify', { code: totpAt(seed, t.clock.now) }, bearer(token))
  }
  return { token, seed, userId: u.body.user.id as string }
}

/** A smstools receipt (for no message we sent: it is answered 200 once authenticated). */
export function receipt(t: TestApp, path: string) {
  const body = new URLSearchParams({ messageid: 'none', status: 'delivered' }).toString()
  return t.call('POST', path, body, {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(body.length),
  })
}

export async function hookPath(t: TestApp): Promise<string> {
  const view = await t.admin('GET', '/v1/admin/integrations/smstools')
  return new URL(view.body.callbackUrl as string).pathname
}
