/** What the Activity tests share: reading GET /v1/admin/stats and starting codes. */
import { expect } from 'vitest'
import type { TestApp } from '../../helpers/app.js'

export const DAY = 86_400_000

/** GET /v1/admin/stats with the query given, insisting on 200 JSON. */
export async function stats(t: TestApp, query = '') {
  const r = await t.admin('GET', `/v1/admin/stats${query ? `?${query}` : ''}`)
  expect(r.status, r.text).toBe(200)
  expect(r.headers.get('content-type')).toMatch(/^application\/json/)
  return r.body as {
    from: string
    to: string
    groupBy: string
    caps: { daily: number | null; monthly: number | null }
    rows: (Figures & { key: string | null })[]
    totals: Figures
  }
}

export interface Figures {
  started: number
  sent: number
  delivered: number
  undelivered: number
  failed: number
  verified: number
  conversion: number | null
  spend: number
  refused: Record<string, number>
  trips: { prefix: number; country: number }
}

/** The row of `key` (throws when there is none). */
export function rowOf<T extends { key: string | null }>(rows: T[], key: string | null): T {
  const row = rows.find((r) => r.key === key)
  if (!row) throw new Error(`no row ${key} in ${JSON.stringify(rows.map((r) => r.key))}`)
  return row
}

/** The day of the test clock (UTC). */
export const today = (t: TestApp) => new Date(t.clock.now).toISOString().slice(0, 10)

/** What the ledger says the sends cost (the figures' spend must equal it). */
export async function ledgerSum(t: TestApp): Promise<number> {
  const r = await t.db.execute('SELECT coalesce(sum(micros), 0) AS s FROM spend_events')
  return Number(r.rows[0]!.s)
}
