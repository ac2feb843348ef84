/** What the account-recovery and profile tests share: the outbox's events, audit rows, TOTP. */
import { Secret, TOTP } from 'otpauth'
import { expect } from 'vitest'
import { open } from '../../../edge/crypto/seal.js'
import { lastCode, type TestApp } from '../../helpers/app.js'
import { bearer, outbox } from '../../helpers/extra.js'

export const PASSWORD = 'correct horse battery staple'
export const NEW_PASSWORD = 'violet tugboat harmonica 58'

export interface OutboxEvent {
  type: string
  data: Record<string, unknown>
}

/** Every event in the outbox, oldest first, its data opened. */
export async function events(t: TestApp, type?: string): Promise<OutboxEvent[]> {
  const r = await t.db.execute('SELECT type, data_sealed FROM event_outbox ORDER BY rowid')
  const all = await Promise.all(
    r.rows.map(async (row) => ({
      type: String(row.type),
      data: JSON.parse(await open(t.api.ctx.keys, String(row.data_sealed))),
    })),
  )
  return type ? all.filter((e) => e.type === type) : all
}

/** Audit rows of one action, as stored (actor, outcome, detail text). */
export async function auditRows(t: TestApp, action: string) {
  const r = await t.db.execute({
    sql: 'SELECT actor, outcome, user_id, detail, phone_masked FROM audit WHERE action = ?',
    args: [action],
  })
  return r.rows.map((row) => ({ ...row }))
}

export const totpAt = (secret: string, ms: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: ms })

/** Turns TOTP on for a freshly signed-in account; returns the seed. */
export async function enableTotp(t: TestApp, accessToken: string): Promise<string> {
  const setup = await t.call('POST', '/v1/me/totp', undefined, bearer(accessToken))
  expect(setup.status, setup.text).toBe(200)
  const on = await t.call(
    'POST',
    '/v1/me/totp/verify',
    { code: totpAt(setup.body.secret, t.clock.now) },
    bearer(accessToken),
  )
  expect(on.status, on.text).toBe(200)
  return setup.body.secret as string
}

/** Starts a reset by phone and approves its code: the check's body. */
export async function resetTicketFor(t: TestApp, phone: string, headers = {}) {
  const v = await t.call('POST', '/v1/verifications', { purpose: 'password_reset', phone }, headers)
  expect(v.status, v.text).toBe(201)
  const r = await t.call(
    'POST',
    `/v1/verifications/${v.body.id}/check`,
    { code: await lastCode(t, phone) },
    headers,
  )
  expect(r.status, r.text).toBe(200)
  return r.body as { status: string; resetTicket: string; methods: string[] }
}

/** How many messages the console provider sent in all. */
export const sentCount = async (t: TestApp) => (await outbox(t)).length
