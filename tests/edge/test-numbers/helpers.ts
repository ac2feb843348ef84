/** What the test-number tests share: listing a number and reading the audit trail. */
import { expect } from 'vitest'
import type { TestApp } from '../../helpers/app.js'

/** NANP fictional (libphonenumber: valid) and the UK drama mobile range (libphonenumber: invalid). */
export const US_TEST = '+12015550123'
export const UK_TEST = '+447700900123'

export async function listNumber(
  t: TestApp,
  phone: string,
  code?: string,
  extra: Record<string, unknown> = {},
) {
  const r = await t.admin('POST', '/v1/admin/test-numbers', { phone, code, ...extra })
  expect(r.status, r.text).toBe(201)
  return r.body.testNumber as { phone: string; code: string; description: string | null }
}

export interface AuditRow {
  action: string
  outcome: string
  phone: string | null
  detail: Record<string, unknown> | null
}

export async function auditRows(t: TestApp, action?: string): Promise<AuditRow[]> {
  const q = action ? `&action=${encodeURIComponent(action)}` : ''
  const r = await t.admin('GET', `/v1/admin/audit?limit=1000${q}`)
  expect(r.status, r.text).toBe(200)
  return r.body.events as AuditRow[]
}

/** Rows of `messages` (every send any provider took, the console's included) and of the outbox. */
export async function sendsRecorded(t: TestApp): Promise<number> {
  const m = await t.db.execute('SELECT count(*) AS n FROM messages')
  const o = await t.db.execute('SELECT count(*) AS n FROM dev_outbox')
  return Number(m.rows[0]!.n) + Number(o.rows[0]!.n)
}
