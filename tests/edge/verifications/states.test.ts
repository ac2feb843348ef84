/**
 * The state machine is named once (edge/verifications/states.ts) and its guards are written twice,
 * in JavaScript (stateOf, notOwner, reasonFor) and in SQL (the WHERE clauses of store.ts). These
 * tests hold the two to the same answer on every kind of row, through the real statements.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as store from '../../../edge/verifications/store.js'
import { reasonFor } from '../../../edge/verifications/refusal.js'
import {
  OWNER_SQL,
  PENDING_SQL,
  STATES,
  TRANSITIONS,
  notOwner,
  stateOf,
  type Purpose,
} from '../../../edge/verifications/states.js'
import type { VerificationRow } from '../../../edge/verifications/store.js'
import { SENDS_PER_VERIFICATION } from '../../../edge/limits/policy.js'
import { testApp, type TestApp } from '../../helpers/app.js'

const NOW = 1_800_000_000_000
let t: TestApp
let n = 0

beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

function row(over: Partial<VerificationRow>): VerificationRow {
  return {
    id: `ver_state_${n++}`,
    purpose: 'login',
    phoneHash: `hash${n}`,
    phoneMasked: '+1 ••• ••• 0100',
    sealed: null,
    codeHash: 'x',
    userId: null,
    sessionId: null,
    ticket: null,
    channel: 'sms',
    codeLength: 6,
    attempts: 0,
    maxAttempts: 5,
    sends: 1,
    createdAt: NOW - 60_000,
    expiresAt: NOW + 60_000,
    resendAt: NOW - 1,
    approvedAt: null,
    locale: 'en',
    silent: false,
    webOtpHost: null,
    test: false,
    ...over,
  }
}

async function insert(v: VerificationRow) {
  // insertStatement runs only after a statement that changed `ifChanged` rows: here none.
  await t.db.batch(
    [
      { sql: "DELETE FROM verifications WHERE id = 'none'", args: [] },
      store.insertStatement(v, 'test', 0),
    ],
    'write',
  )
  return v
}

/** Every kind of row a state is read from: approved or not, expiry around now, attempts around max. */
const grid: Partial<VerificationRow>[] = []
for (const approvedAt of [null, NOW - 1])
  for (const expiresAt of [NOW - 1, NOW, NOW + 1])
    for (const attempts of [0, 4, 5, 6]) grid.push({ approvedAt, expiresAt, attempts })

describe('verification states', () => {
  it('names every state a transition leaves from or leads to', () => {
    for (const tr of Object.values(TRANSITIONS))
      for (const s of [...tr.from, ...tr.to]) expect(STATES).toContain(s)
    // Every state but the first is reached by some transition, and pending is left by some.
    for (const s of STATES)
      expect(Object.values(TRANSITIONS).some((tr) => tr.to.includes(s as never))).toBe(true)
  })

  it('names a store statement that exists for every transition made by one', () => {
    for (const tr of Object.values(TRANSITIONS)) {
      const named = /^store\.(\w+)/.exec(tr.by)?.[1]
      if (named) expect(typeof (store as Record<string, unknown>)[named]).toBe('function')
      else expect(tr.by).toMatch(/^time:/)
    }
  })

  it('reads the same state in SQL as in JavaScript, on every kind of row', async () => {
    for (const over of grid) {
      const v = await insert(row(over))
      const r = await t.db.execute({
        sql: `SELECT count(*) AS n FROM verifications WHERE id = :id AND ${PENDING_SQL}`,
        args: { id: v.id, now: NOW },
      })
      expect([over, Number(r.rows[0]!.n) === 1]).toEqual([over, stateOf(v, NOW) === 'pending'])
    }
  })

  it('tells the owner of a verification alike in SQL and in JavaScript', async () => {
    const purposes: Purpose[] = ['login', 'mfa', 'enroll', 'change_phone', 'reauth']
    const callers = [
      undefined,
      { userId: 'u1', sessionId: 's1' },
      { userId: 'u1', sessionId: 's2' },
      { userId: 'u2', sessionId: 's1' },
    ]
    for (const purpose of purposes)
      for (const sessionId of [null, 's1'])
        for (const userId of [null, 'u1']) {
          const v = await insert(row({ purpose, sessionId, userId }))
          for (const caller of callers) {
            const r = await t.db.execute({
              sql: `SELECT count(*) AS n FROM verifications WHERE id = :id AND ${OWNER_SQL}`,
              args: {
                id: v.id,
                session: caller?.sessionId ?? null,
                caller: caller?.userId ?? null,
              },
            })
            const sql = Number(r.rows[0]!.n) === 1
            expect([purpose, sessionId, userId, caller, sql]).toEqual([
              purpose,
              sessionId,
              userId,
              caller,
              notOwner(v, caller) === null,
            ])
          }
        }
  })

  it('refuses an attempt exactly when the row gives a reason (store.reserveAttempt)', async () => {
    for (const over of grid) {
      const v = await insert(row(over))
      const r = await store.reserveAttempt(t.db, v.id, NOW, undefined)
      const reason = reasonFor(v, NOW, { op: 'check' })
      expect([over, r.kind === 'refused']).toEqual([over, reason !== null])
      if (reason) expect(reason).toBe(stateOf(v, NOW))
    }
  })

  it('refuses a resend exactly when the row gives a reason (store.countResend)', async () => {
    const kinds = [
      ...grid,
      { sends: SENDS_PER_VERIFICATION - 1 },
      { sends: SENDS_PER_VERIFICATION },
      { resendAt: NOW },
      { resendAt: NOW + 1 },
    ]
    for (const over of kinds) {
      const v = await insert(row(over))
      const limit = { key: `msg:${v.phoneHash}`, name: 'test', limit: 5, windowMs: 60_000 }
      const r = await store.countResend(t.db, {
        id: v.id,
        now: NOW,
        nextResendAt: NOW + 1,
        channel: 'sms',
        limit,
      })
      expect([over, r === null]).toEqual([over, reasonFor(v, NOW, { op: 'resend' }) !== null])
    }
  })

  it('answers a missing verification as not found, before anything else', () => {
    expect(reasonFor(null, NOW, { op: 'check' })).toBe('not_found')
    expect(reasonFor(null, NOW, { op: 'resend' })).toBe('not_found')
  })

  it('is written by store.ts alone (maintenance deletes ended rows)', () => {
    const root = join(import.meta.dirname, '../../../edge')
    const writers = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.startsWith('db/migrations'))
      .filter((f) =>
        /(UPDATE|INSERT INTO|DELETE FROM)\s+verifications\b/.test(
          readFileSync(join(root, f), 'utf8'),
        ),
      )
    // tasks.ts deletes rows by table name (the purge of every table), reseal.ts re-keys any table.
    expect(writers).toEqual(['verifications/store.ts'])
  })
})
