/** Helpers of the spend tests: a start from its own address, and the ledger as rows. */
import { phoneNo, type TestApp } from '../../helpers/app.js'

/** Starts a registration to phoneNo(i) from an address of its own; returns the status. */
export async function start(
  t: TestApp,
  i: number,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const r = await t.call(
    'POST',
    '/v1/verifications',
    { purpose: 'register', phone: phoneNo(i), ...extra },
    { 'x-forwarded-for': `198.51.100.${i % 250}` },
  )
  return r.status
}

export async function ledger(t: TestApp) {
  const r = await t.db.execute(
    'SELECT micros, channel, country, period_day, verification_id FROM spend_events ORDER BY rowid',
  )
  return r.rows.map((row) => ({
    micros: Number(row.micros),
    channel: String(row.channel),
    country: String(row.country),
    day: String(row.period_day),
    id: String(row.verification_id),
  }))
}

export async function count(t: TestApp, sql: string): Promise<number> {
  return Number((await t.db.execute(sql)).rows[0]!.n)
}
