/**
 * The account events of issue 14 written with their change: user.deleted (DELETE /v1/me and the
 * admin's delete), user.updated (the admin's edit), session.revoked (a phone change, the admin's
 * "revoke sessions" and disabling).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, check, start } from '../../helpers/extra.js'
import { events } from './fixture.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

/** A second session of the phone account (an SMS sign-in). */
async function smsSignIn(phone: string) {
  const v = await start(t, { purpose: 'login', phone })
  const r = await check(t, v.id, await lastCode(t, phone))
  expect(r.status, r.text).toBe(200)
  return r.body.session as { accessToken: string; refreshToken: string }
}

describe('account events', () => {
  it('user.deleted from DELETE /v1/me, once', async () => {
    const { user, session } = await registerByPhone(t, phoneNo(30))
    const r = await t.call('DELETE', '/v1/me', undefined, bearer(session.accessToken))
    expect(r.status, r.text).toBe(204)
    expect(await events(t, 'user.deleted')).toEqual([
      { type: 'user.deleted', data: { userId: user.id } },
    ])
  })

  it('user.deleted from the admin delete; none for a second delete', async () => {
    const { user } = await registerByPhone(t, phoneNo(31))
    expect((await t.admin('DELETE', `/v1/admin/users/${user.id}`)).status).toBe(204)
    expect((await t.admin('DELETE', `/v1/admin/users/${user.id}`)).status).toBe(404)
    expect(await events(t, 'user.deleted')).toHaveLength(1)
  })

  it('user.updated from the admin edit, naming the fields; disabling revokes with events', async () => {
    const phone = phoneNo(32)
    const { user } = await registerByPhone(t, phone)
    await smsSignIn(phone)
    const edit = await t.admin('PATCH', `/v1/admin/users/${user.id}`, { name: 'Renamed' })
    expect(edit.status, edit.text).toBe(200)
    const off = await t.admin('PATCH', `/v1/admin/users/${user.id}`, { disabled: true })
    expect(off.status, off.text).toBe(200)
    expect((await events(t, 'user.updated')).map((e) => e.data)).toEqual([
      { userId: user.id, fields: ['name'] },
      { userId: user.id, fields: ['disabled'] },
    ])
    const revoked = await events(t, 'session.revoked')
    expect(revoked).toHaveLength(2)
    expect(revoked.every((e) => e.data.reason === 'disabled')).toBe(true)
  })

  it('session.revoked for each session the admin ends', async () => {
    const phone = phoneNo(33)
    const { user, session } = await registerByPhone(t, phone)
    const other = await smsSignIn(phone)
    const r = await t.admin('POST', `/v1/admin/users/${user.id}/sessions/revoke`)
    expect(r.status, r.text).toBe(200)
    expect(r.body).toEqual({ revoked: 2 })
    const revoked = await events(t, 'session.revoked')
    expect(revoked.map((e) => e.data.reason)).toEqual(['admin', 'admin'])
    expect(new Set(revoked.map((e) => e.data.sessionId)).size).toBe(2)
    for (const s of [session, other])
      expect((await t.call('GET', '/v1/me', undefined, bearer(s.accessToken))).status).toBe(401)
    // Nothing left to end: no more events.
    expect((await t.admin('POST', `/v1/admin/users/${user.id}/sessions/revoke`)).body).toEqual({
      revoked: 0,
    })
    expect(await events(t, 'session.revoked')).toHaveLength(2)
  })

  it('session.revoked for the other sessions a phone change ends', async () => {
    const [phone, next] = [phoneNo(34), phoneNo(35)]
    const { user, session } = await registerByPhone(t, phone)
    const other = await smsSignIn(phone)
    const auth = bearer(session.accessToken)
    const change = await start(t, { purpose: 'change_phone' }, auth)
    expect((await check(t, change.id, await lastCode(t, phone), auth)).status).toBe(200)
    const enroll = await start(t, { purpose: 'enroll', phone: next }, auth)
    const moved = await check(t, enroll.id, await lastCode(t, next), auth)
    expect(moved.status, moved.text).toBe(200)
    const revoked = await events(t, 'session.revoked')
    expect(revoked).toHaveLength(1)
    expect(revoked[0]!.data).toMatchObject({ userId: user.id, reason: 'factor_change' })
    expect((await t.call('GET', '/v1/me', undefined, bearer(other.accessToken))).status).toBe(401)
    expect((await t.call('GET', '/v1/me', undefined, auth)).status).toBe(200)
  })

  it('session.revoked when the user signs a device out, and for each one "everywhere else" ends', async () => {
    const phone = phoneNo(36)
    const { user, session } = await registerByPhone(t, phone)
    const [a, b, c] = [await smsSignIn(phone), await smsSignIn(phone), await smsSignIn(phone)]
    const auth = bearer(session.accessToken)
    const list = await t.call('GET', '/v1/me/sessions', undefined, bearer(a.accessToken))
    const aId = (list.body.sessions as { id: string; current: boolean }[]).find(
      (s) => s.current,
    )!.id
    expect((await t.call('DELETE', `/v1/me/sessions/${aId}`, undefined, auth)).status).toBe(204)
    // Already ended: 404 and no second event.
    expect((await t.call('DELETE', `/v1/me/sessions/${aId}`, undefined, auth)).status).toBe(404)
    expect((await events(t, 'session.revoked')).map((e) => e.data)).toEqual([
      { userId: user.id, sessionId: aId, reason: 'user' },
    ])
    const others = await t.call('POST', '/v1/me/sessions/revoke-others', undefined, auth)
    expect(others.body).toEqual({ revoked: 2 })
    const revoked = await events(t, 'session.revoked')
    expect(revoked).toHaveLength(3)
    expect(new Set(revoked.map((e) => e.data.sessionId)).size).toBe(3)
    for (const s of [a, b, c])
      expect((await t.call('GET', '/v1/me', undefined, bearer(s.accessToken))).status).toBe(401)
    expect((await t.call('GET', '/v1/me', undefined, auth)).status).toBe(200)
  })
})
