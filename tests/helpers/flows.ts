/**
 * Every flow of the product once, in production mode through one provider fake, collecting every
 * secret it showed on the way (codes, backup codes, the TOTP seed, tokens, tickets) and the
 * numbers of people with and without an account: for the storage, log and audit scans
 * (SECURITY.md T23–T25).
 */
import { Secret, TOTP } from 'otpauth'
import { expect } from 'vitest'
import type { TwilioFake } from '../fakes/twilio.js'
import { phoneNo, type TestApp } from './app.js'
import { bearer, wrongCode } from './extra.js'
import { codeIn, codeTo, freshAddress, registerVia } from './production.js'

export interface Collected {
  codes: Set<string>
  backupCodes: string[]
  totpSecret: string
  tokens: string[]
  /** E.164 numbers of people who have no account (never registered, or changed away from). */
  noAccount: string[]
  userIds: Record<'asha' | 'ravi', string>
}

export const totpAt = (secret: string, ms: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: ms })

/** Register, SMS login with TOTP, password + SMS MFA, TOTP set-up, backup codes (and one used),
 * phone change, a voice resend, a wrong code, registers never completed, a silent login. */
export async function fullFlows(t: TestApp, fake: TwilioFake, base = 0): Promise<Collected> {
  const [asha, ashaNew, ravi] = [phoneNo(base + 1), phoneNo(base + 2), phoneNo(base + 3)]
  const [started, checked, silent] = [phoneNo(base + 4), phoneNo(base + 5), phoneNo(base + 6)]
  const tokens: string[] = []
  const totpCodes: string[] = []
  const call = async (method: string, path: string, body?: unknown, h = {}) => {
    const r = await t.call(method, path, body, { ...freshAddress(), ...h })
    expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300)
    for (const v of [r.body?.session?.accessToken, r.body?.session?.refreshToken])
      if (v) tokens.push(v)
    for (const v of [r.body?.mfaTicket, r.body?.registrationTicket]) if (v) tokens.push(v)
    return r
  }

  // Asha registers by phone, sets up TOTP and backup codes, spends one on a step-up.
  const a = await registerVia(t, fake, asha)
  tokens.push(a.session.accessToken, a.session.refreshToken)
  const as = bearer(a.session.accessToken)
  const setup = await call('POST', '/v1/me/totp', undefined, as)
  const totpSecret = setup.body.secret as string
  totpCodes.push(totpAt(totpSecret, t.clock.now))
  await call('POST', '/v1/me/totp/verify', { code: totpCodes.at(-1) }, as)
  const backupCodes = (await call('POST', '/v1/me/backup-codes', undefined, as)).body
    .codes as string[]
  await call('POST', '/v1/me/reauth', { backupCode: backupCodes[0] }, as)

  // She signs in by SMS (one wrong code first), then TOTP, 30 s later (a new step).
  const login = await call('POST', '/v1/verifications', { purpose: 'login', phone: asha })
  const loginCode = codeTo(fake, asha)
  const wrong = await t.call('POST', `/v1/verifications/${login.body.id}/check`, {
    code: wrongCode(loginCode),
  })
  expect(wrong.body.code).toBe('invalid_code')
  const first = await call('POST', `/v1/verifications/${login.body.id}/check`, { code: loginCode })
  t.clock.advance(30_000)
  totpCodes.push(totpAt(totpSecret, t.clock.now))
  const signed = await call('POST', '/v1/mfa/totp', {
    mfaTicket: first.body.mfaTicket,
    code: totpCodes.at(-1),
  })
  const as2 = bearer(signed.body.session.accessToken)

  // She changes her phone: a code to the current one (resent by voice), then to the new one.
  const change = await call('POST', '/v1/verifications', { purpose: 'change_phone' }, as2)
  t.clock.advance(31_000)
  await call('POST', `/v1/verifications/${change.body.id}/resend`, { channel: 'voice' }, as2)
  expect(fake.messages.at(-1)!.channel).toBe('voice')
  await call('POST', `/v1/verifications/${change.body.id}/check`, { code: codeTo(fake, asha) }, as2)
  const enroll = await call('POST', '/v1/verifications', { purpose: 'enroll', phone: ashaNew }, as2)
  const moved = await call(
    'POST',
    `/v1/verifications/${enroll.body.id}/check`,
    { code: codeTo(fake, ashaNew) },
    as2,
  )
  expect(moved.body.user.phone).toBe(ashaNew)

  // Ravi signs up with a password, adds a phone, and signs in with password + SMS.
  const password = 'correct horse battery staple'
  const r = await call('POST', '/v1/users', { email: 'ravi@example.com', password, name: 'Ravi' })
  const rs = bearer(r.body.session.accessToken)
  const add = await call('POST', '/v1/verifications', { purpose: 'enroll', phone: ravi }, rs)
  await call('POST', `/v1/verifications/${add.body.id}/check`, { code: codeTo(fake, ravi) }, rs)
  const pw = await call('POST', '/v1/sessions', { email: 'ravi@example.com', password })
  const mfa = await call('POST', '/v1/verifications', {
    purpose: 'mfa',
    mfaTicket: pw.body.mfaTicket,
  })
  await call('POST', `/v1/verifications/${mfa.body.id}/check`, { code: codeTo(fake, ravi) })

  // People without an account: a register started only, one approved but never finished, and
  // a login to a number nobody has (answered alike, nothing sent).
  await call('POST', '/v1/verifications', { purpose: 'register', phone: started })
  const half = await call('POST', '/v1/verifications', { purpose: 'register', phone: checked })
  await call('POST', `/v1/verifications/${half.body.id}/check`, { code: codeTo(fake, checked) })
  await call('POST', '/v1/verifications', { purpose: 'login', phone: silent })
  await t.api.idle()

  const codes = new Set<string>(totpCodes)
  for (const m of fake.messages) {
    const c = codeIn(m.text)
    if (c) codes.add(c)
  }
  return {
    codes,
    backupCodes,
    totpSecret,
    tokens,
    noAccount: [asha, started, checked, silent],
    userIds: { asha: a.user.id, ravi: r.body.user.id },
  }
}

/** Every row of every table, as `table: JSON` lines. */
export async function dumpDatabase(t: TestApp): Promise<{ table: string; row: string }[]> {
  const tables = await t.db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  )
  const out: { table: string; row: string }[] = []
  for (const { name } of tables.rows) {
    const rows = await t.db.execute(`SELECT * FROM "${String(name)}"`)
    for (const row of rows.rows) out.push({ table: String(name), row: JSON.stringify(row) })
  }
  return out
}

/** The forms a number can take in storage: E.164, digits only, national digits. */
export const numberForms = (e164: string) => [e164, e164.slice(1), e164.slice(-10)]
