/**
 * The audit trail (SECURITY.md T25): every send, check (success and failure), lockout, resend,
 * factor change, backup-code use and step-up is in `GET /v1/admin/audit` with its time, account
 * and outcome, and no secret.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { phoneNo, type TestApp } from '../../helpers/app.js'
import { wrongCode } from '../../helpers/extra.js'
import { fullFlows, numberForms } from '../../helpers/flows.js'
import {
  codeTo,
  freshAddress,
  PROVIDER_SECRETS,
  productionApp,
  registerVia,
  useProvider,
} from '../../helpers/production.js'

let fake: TwilioFake
let t: TestApp
beforeAll(async () => {
  fake = await startTwilio()
})
afterAll(() => fake.close())
afterEach(() => t?.close())

interface Event {
  id: number
  at: string
  actor: string
  action: string
  outcome: string
  userId: string | null
  phone: string | null
  address: string | null
  detail: Record<string, unknown> | null
}

describe('T25 audit events', () => {
  it('T25 records every send, check, lockout, resend, factor change, backup-code use and step-up with time, account and outcome, without secrets', async () => {
    t = await productionApp()
    await useProvider(t, 'twilio', fake.baseUrl, { voice: true })
    const got = await fullFlows(t, fake)
    const { asha, ravi } = got.userIds
    // A third account is locked by 20 wrong login codes (4 verifications of 5).
    const lockedPhone = phoneNo(10)
    const locked = (await registerVia(t, fake, lockedPhone)).user.id
    t.clock.advance(10 * 60_000 + 1000)
    for (let v = 0; v < 4; v++) {
      const s = await t.call(
        'POST',
        '/v1/verifications',
        { purpose: 'login', phone: lockedPhone },
        freshAddress(),
      )
      for (let i = 0; i < 5; i++)
        await t.call('POST', `/v1/verifications/${s.body.id}/check`, {
          code: wrongCode(codeTo(fake, lockedPhone)),
        })
    }
    await t.api.idle()

    const r = await t.admin('GET', '/v1/admin/audit?limit=1000')
    expect(r.status, r.text).toBe(200)
    const events = r.body.events as Event[]
    for (const e of events) {
      expect(new Date(e.at).toISOString()).toBe(e.at)
      expect(e.outcome).toMatch(/^[a-z_]+$/)
      expect(e.action).toMatch(/^[a-z_.]+$/)
    }
    const find = (action: string, outcome: string, userId: string | null, detail = {}) =>
      events.filter(
        (e) =>
          e.action === action &&
          e.outcome === outcome &&
          e.userId === userId &&
          Object.entries(detail).every(([k, v]) => e.detail?.[k] === v),
      )

    // Every verification has its start, and every code message its start or resend.
    const verifications = await t.db.execute('SELECT id, user_id FROM verifications')
    const starts = events.filter((e) => e.action === 'verification.start')
    expect(starts.map((e) => e.detail?.id).sort()).toEqual(
      verifications.rows.map((v) => String(v.id)).sort(),
    )
    for (const s of starts) {
      const row = verifications.rows.find((v) => v.id === s.detail?.id)!
      expect(s.userId).toBe(row.user_id)
      expect(s.outcome).toBe('sent')
    }
    const sent = await t.db.execute(
      "SELECT verification_id AS id, count(*) AS n FROM messages WHERE kind = 'code' GROUP BY 1",
    )
    for (const m of sent.rows) {
      const resends = events.filter(
        (e) => e.action === 'verification.resend' && e.detail?.id === m.id,
      )
      expect(Number(m.n), String(m.id)).toBe(1 + resends.length)
    }
    expect(find('verification.resend', 'sent', asha, { channel: 'voice' })).toHaveLength(1)

    // Checks: successes per purpose, the wrong code, the lockout.
    for (const [purpose, user] of [
      ['login', asha],
      ['change_phone', asha],
      ['enroll', asha],
      ['enroll', ravi],
      ['mfa', ravi],
      ['register', null],
    ] as const)
      expect(find('verification.check', 'approved', user, { purpose }).length).toBeGreaterThan(0)
    expect(find('verification.check', 'invalid_code', asha, { purpose: 'login' })).toHaveLength(1)
    expect(find('verification.check', 'invalid_code', locked)).toHaveLength(19)
    expect(find('verification.check', 'locked', locked)).toHaveLength(1)

    // Factor changes, the backup code used for a step-up, sign-ins.
    expect(find('factor.totp.enable', 'ok', asha)).toHaveLength(1)
    expect(find('factor.backup_codes.new', 'ok', asha)).toHaveLength(1)
    expect(find('factor.phone.change', 'ok', asha)).toHaveLength(1)
    expect(find('factor.phone.enroll', 'ok', ravi)).toHaveLength(1)
    expect(find('reauth', 'ok', asha, { factor: 'backup_code' })).toHaveLength(1)
    expect(find('signin.mfa', 'ok', asha, { factor: 'totp' })).toHaveLength(1)
    expect(find('signin.password', 'ok', ravi)).toHaveLength(1)

    // Nothing secret: no code, backup code, seed, token, credential or full number.
    const text = r.text
    const words = new Set(text.split(/[^0-9A-Za-z]+/))
    for (const code of got.codes) expect(words.has(code), code).toBe(false)
    for (const secret of [...got.backupCodes, got.totpSecret, ...got.tokens, ...PROVIDER_SECRETS])
      expect(text).not.toContain(secret)
    for (const phone of [...got.noAccount, phoneNo(2), phoneNo(3), lockedPhone])
      for (const form of numberForms(phone)) expect(text).not.toContain(form)
    for (const e of events) if (e.phone !== null) expect(e.phone).toMatch(/^\+91•{7}\d{3}$/)
  })
})
