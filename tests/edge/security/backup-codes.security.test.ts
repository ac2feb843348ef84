/**
 * The backup-code lifecycle (SECURITY.md T33): 10 codes shown once behind a fresh proof, each
 * single use, a new set replaces the old one, and both a use and a new set are notified to the
 * account's phone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { noticeText } from '../../../edge/messages/text.js'
import { phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, outbox } from '../../helpers/extra.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

describe('T33 backup codes', () => {
  it('T33 shows 10 codes once; each works once; a new set ends the old; use and new set notify the phone', async () => {
    const phone = phoneNo(1)
    const { session } = await registerByPhone(t, phone)
    const auth = bearer(session.accessToken)
    const settings = (await t.admin('GET', '/v1/admin/settings')).body
    const notices = async () =>
      (await outbox(t, phone)).filter((m) => m.code === null).map((m) => m.body)
    const reauth = (backupCode: string) => t.call('POST', '/v1/me/reauth', { backupCode }, auth)
    const remaining = async () =>
      (await t.call('GET', '/v1/me/backup-codes', undefined, auth)).body.remaining

    const made = await t.call('POST', '/v1/me/backup-codes', undefined, auth)
    expect(made.status, made.text).toBe(201)
    const codes = made.body.codes as string[]
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    for (const c of codes) expect(c).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/)
    expect(await notices()).toEqual([noticeText('backup_codes_new', settings, 'en')])
    // Shown once: reading them back gives a count, never the codes.
    const read = await t.call('GET', '/v1/me/backup-codes', undefined, auth)
    expect(read.body).toEqual({ remaining: 10 })
    for (const c of codes) expect(read.text).not.toContain(c)

    // Single use, whatever the spelling; each use is notified.
    expect((await reauth(codes[0]!)).status).toBe(200)
    expect((await reauth(codes[0]!)).body.code).toBe('invalid_credentials')
    const loose = codes[1]!.replace(/-/g, ' ').toUpperCase()
    expect((await reauth(loose)).status).toBe(200)
    expect((await reauth(codes[1]!)).body.code).toBe('invalid_credentials')
    expect(await remaining()).toBe(8)
    const used = noticeText('backup_code_used', settings, 'en')
    expect((await notices()).slice(0, 2)).toEqual([used, used])

    // A new set: the unused old codes stop working at once, the new ones work.
    const again = await t.call('POST', '/v1/me/backup-codes', undefined, auth)
    expect(again.status).toBe(201)
    const fresh = again.body.codes as string[]
    expect(fresh.filter((c) => codes.includes(c))).toEqual([])
    expect(await remaining()).toBe(10)
    expect((await notices())[0]).toBe(noticeText('backup_codes_new', settings, 'en'))
    for (const old of codes.slice(2, 5))
      expect((await reauth(old)).body.code).toBe('invalid_credentials')
    expect((await reauth(fresh[9]!)).status).toBe(200)
    expect(await remaining()).toBe(9)

    // Making a set needs a proof within the last 5 minutes in this session.
    t.clock.advance(5 * 60_000 + 1000)
    const stale = await t.call('POST', '/v1/me/backup-codes', undefined, auth)
    expect(stale.status).toBe(403)
    expect(stale.body.code).toBe('reauthentication_required')
    expect(await remaining()).toBe(9)
  })
})
