/**
 * What a copy of the database or of the logs gives away (SECURITY.md T23, T24): after every flow
 * in production mode, no code, backup code or TOTP seed in clear, no number of a person without an
 * account, seeds sealed, backup codes as HMACs; logs free of codes, credentials and full numbers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Secret } from 'otpauth'
import { hmacHex, sha256Hex } from '../../../edge/crypto/keys.js'
import { normalise } from '../../../edge/factors/backup-codes.js'
import { startTwilio, type TwilioFake } from '../../fakes/twilio.js'
import { startTwoFactor } from '../../fakes/twofactor.js'
import type { Fake } from '../../fakes/server.js'
import { phoneNo, type TestApp } from '../../helpers/app.js'
import { dumpDatabase, fullFlows, numberForms } from '../../helpers/flows.js'
import { codeTo, PROVIDER_SECRETS, productionApp, useProvider } from '../../helpers/production.js'

let twilio: TwilioFake
let twofactor: Fake
let t: TestApp
beforeAll(async () => {
  twilio = await startTwilio()
  twofactor = await startTwoFactor()
})
afterAll(async () => {
  await twilio.close()
  await twofactor.close()
})
afterEach(() => {
  for (const f of [twilio, twofactor]) {
    f.setMode(null)
    f.messages.length = 0
    f.requests.length = 0
  }
  t?.close()
})

/** The alphanumeric tokens of a text: a stored code would be one (`"code":"123456"`, `#123456`). */
const tokens = (text: string) => new Set(text.split(/[^0-9A-Za-z]+/))
const spaced = (code: string) => [code.split('').join(' '), code.split('').join(', ')]

describe('T23 the database after every flow', () => {
  it('T23 holds no code, backup code or seed in clear, no number of a person without an account; seeds sealed, backup codes HMACs', async () => {
    t = await productionApp()
    await useProvider(t, 'twilio', twilio.baseUrl, { voice: true })
    const got = await fullFlows(t, twilio)
    expect(got.codes.size).toBeGreaterThanOrEqual(9)
    const rows = await dumpDatabase(t)
    const all = rows.map((r) => `${r.table}: ${r.row}`).join('\n')
    const words = tokens(all)
    expect(rows.filter((r) => r.table === 'dev_outbox')).toEqual([])

    for (const code of got.codes) {
      expect(words.has(code), `code ${code} stored in clear`).toBe(false)
      for (const s of spaced(code)) expect(all).not.toContain(s)
    }
    const lower = all.toLowerCase()
    for (const c of got.backupCodes) {
      expect(lower).not.toContain(c.toLowerCase())
      expect(lower).not.toContain(normalise(c)!)
    }
    const seed = Secret.fromBase32(got.totpSecret)
    expect(seed.bytes.length * 8).toBeGreaterThanOrEqual(160)
    expect(lower).not.toContain(got.totpSecret.toLowerCase())
    expect(lower).not.toContain(seed.hex.toLowerCase())
    for (const secret of [...PROVIDER_SECRETS, ...got.tokens]) expect(all).not.toContain(secret)

    // A person without an account is in no table in clear (verifications, rate_events, tickets,
    // messages, audit, anywhere).
    for (const phone of got.noAccount)
      for (const form of numberForms(phone))
        expect(
          rows.filter((r) => r.row.includes(form)).map((r) => r.table),
          phone,
        ).toEqual([])
    // Account holders' numbers are in `users` (their phone column), nowhere else.
    const ravi = phoneNo(3)
    expect([
      ...new Set(rows.filter((r) => r.row.includes(ravi.slice(-10))).map((r) => r.table)),
    ]).toEqual(['users'])

    const users = await t.db.execute('SELECT * FROM users')
    const asha = users.rows.find((u) => u.id === got.userIds.asha)!
    expect(String(asha.totp_secret_sealed)).toMatch(/^v2\.[0-9a-f]{12}\.[\w-]+\.[\w-]+$/)
    expect(asha.totp_pending_sealed).toBeNull()
    const backup = await t.db.execute({
      sql: 'SELECT hash, used_at FROM backup_codes WHERE user_id = ?',
      args: [got.userIds.asha],
    })
    expect(backup.rows).toHaveLength(10)
    const hashes = backup.rows.map((r) => String(r.hash))
    for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{64}$/)
    // Keyed with the server's look-up key (an HMAC), not a plain hash anyone can recompute.
    const key = t.api.ctx.keys.lookupHmac
    for (const c of got.backupCodes) {
      expect(hashes).toContain(hmacHex(key, `backup|${got.userIds.asha}|${normalise(c)}`))
      expect(hashes).not.toContain(sha256Hex(normalise(c)!))
    }
    // Whatever holds a secret at rest is sealed (AES-GCM, `v2.<key id>.` prefix) or a digest.
    const sealed = await t.db.execute(`
      SELECT sealed AS v FROM verifications UNION ALL SELECT phone FROM tickets
      UNION ALL SELECT credentials_sealed FROM integrations
      UNION ALL SELECT private_jwk_sealed FROM signing_keys`)
    for (const { v } of sealed.rows)
      if (v !== null) expect(String(v)).toMatch(/^v2\.[0-9a-f]{12}\./)
    const digests = await t.db.execute(`
      SELECT code_hash AS v FROM verifications UNION ALL SELECT hash FROM tickets
      UNION ALL SELECT hash FROM refresh_tokens UNION ALL SELECT phone_hash FROM verifications`)
    for (const { v } of digests.rows) expect(String(v)).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('T24 logs and stored records with a canary code', () => {
  it('T24 no log line or row carries the code, a credential or a full number; numbers are masked', async () => {
    t = await productionApp()
    // 2Factor.in first (it takes the code and the key in its URL path) failing, then Twilio.
    await useProvider(t, 'twofactor', twofactor.baseUrl, { priority: 1 })
    await useProvider(t, 'twilio', twilio.baseUrl, { priority: 2, voice: true })
    twofactor.setMode('server-error')
    const canaryPhone = phoneNo(40)
    const v = await t.call('POST', '/v1/verifications', { purpose: 'register', phone: canaryPhone })
    expect(v.status, v.text).toBe(201)
    const canary = codeTo(twilio, canaryPhone)
    // The code went out in the provider's request body, and only there.
    expect(twofactor.requests[0]!.path).toContain(canary)
    // A provider error that echoes the number (Twilio 21211) is stored and logged cleaned. 2Factor.in
    // keeps failing: every send below fails over, and its error is recorded too.
    twilio.setMode('invalid-number')
    const foreign = '+14155552671'
    const bad = await t.call('POST', '/v1/verifications', { purpose: 'register', phone: foreign })
    expect(bad.body.code).toBe('invalid_phone')
    twilio.setMode(null)
    const got = await fullFlows(t, twilio, 100)
    await t.api.idle()

    const logs = t.logs.join('\n')
    expect(t.logs.length).toBeGreaterThan(10)
    const rows = (await dumpDatabase(t)).map((r) => `${r.table}: ${r.row}`).join('\n')
    const numbers = [
      canaryPhone,
      foreign,
      phoneNo(101),
      phoneNo(102),
      phoneNo(103),
      ...got.noAccount,
    ]
    for (const [where, text] of [
      ['logs', logs],
      ['rows', rows],
    ] as const) {
      const words = tokens(text)
      for (const code of [canary, ...got.codes])
        expect(words.has(code), `${where}: code ${code}`).toBe(false)
      for (const secret of [...PROVIDER_SECRETS, ...got.tokens, ...got.backupCodes, got.totpSecret])
        expect(text, where).not.toContain(secret)
    }
    for (const phone of numbers)
      for (const form of numberForms(phone)) expect(logs, phone).not.toContain(form)
    // Every number a log line names is masked.
    for (const line of t.logs) {
      const to = (JSON.parse(line) as { to?: string }).to
      if (to !== undefined) expect(to).toMatch(/^\+\d{1,3}•+\d{3}$/)
    }
    expect(logs).toMatch(/message\.rejected/)
    expect(rows).toMatch(/twofactor/)
  })
})
