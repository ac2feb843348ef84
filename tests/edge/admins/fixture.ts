/**
 * Named admins for the tests: an account with a password and a verified phone, signed in with
 * both (password, then the SMS code: the session's amr is password + sms), made an admin by the
 * admin token; and the same account's SMS-only sign-in (one factor) for the refusals.
 */
import { expect } from 'vitest'
import { lastCode, phoneNo, type TestApp } from '../../helpers/app.js'
import { bearer, check, enroll, signUp, start } from '../../helpers/extra.js'

export const PASSWORD = 'correct horse battery staple'

let n = 0
/** A distinct client address per sign-in, so the per-address limits do not interfere. */
const address = () => ({ 'x-forwarded-for': `198.18.${(++n >> 8) & 255}.${n & 255}` })

export interface Named {
  userId: string
  email: string
  phone: string
  /** `authorization` headers of a password + SMS session. */
  auth: Record<string, string>
  accessToken: string
  refreshToken: string
}

/** An account that can be an admin (password + verified phone), not one yet. */
export async function candidate(t: TestApp, i: number, name = `Admin ${i}`) {
  const email = `admin${i}@example.com`
  const phone = phoneNo(3000 + i)
  const u = await signUp(t, email, PASSWORD, name)
  await enroll(t, u.session.accessToken, phone)
  return { userId: u.user.id, email, phone }
}

/** Password, then the SMS code: a session with both factors. */
export async function signInBoth(t: TestApp, email: string, phone: string) {
  const pw = await t.call('POST', '/v1/sessions', { email, password: PASSWORD }, address())
  expect(pw.body?.mfaRequired, pw.text).toBe(true)
  const v = await start(t, { purpose: 'mfa', mfaTicket: pw.body.mfaTicket }, address())
  const r = await check(t, v.id, await lastCode(t, phone), address())
  expect(r.status, r.text).toBe(200)
  return r.body.session as { accessToken: string; refreshToken: string }
}

/** The SMS code alone (the account has no authenticator app: a passwordless, one-factor sign-in). */
export async function signInSmsOnly(t: TestApp, phone: string) {
  const v = await start(t, { purpose: 'login', phone }, address())
  const r = await check(t, v.id, await lastCode(t, phone), address())
  expect(r.body?.session, r.text).toBeDefined()
  return r.body.session as { accessToken: string; refreshToken: string }
}

/** A named admin of `role`, made by the admin token, signed in with both factors. */
export async function namedAdmin(t: TestApp, i: number, role: 'owner' | 'support'): Promise<Named> {
  const c = await candidate(t, i)
  const made = await t.admin('POST', '/v1/admin/admins', { userId: c.userId, role })
  expect(made.status, made.text).toBe(201)
  const s = await signInBoth(t, c.email, c.phone)
  return { ...c, auth: bearer(s.accessToken), ...s }
}
