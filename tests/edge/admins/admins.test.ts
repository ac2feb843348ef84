/**
 * Named admin accounts (docs/api.md "Admin accounts and roles"): /v1/admin/me, the owners' CRUD of
 * /v1/admin/admins and its refusals, sessions that end (logout, disabled account, access removed)
 * failing at once, and the audit naming the admin who acted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lastCode, phoneNo, registerByPhone, testApp, type TestApp } from '../../helpers/app.js'
import { bearer, check, enroll, expectProblem, signUp, start } from '../../helpers/extra.js'
import { totpAt } from '../../helpers/flows.js'
import { candidate, namedAdmin, PASSWORD, signInBoth } from './fixture.js'

let t: TestApp
beforeEach(async () => {
  t = await testApp()
})
afterEach(() => t.close())

const auditOf = async (action: string) =>
  (await t.admin('GET', `/v1/admin/audit?action=${action}`)).body.events as {
    actor: string
    userId: string | null
    detail: Record<string, unknown> | null
  }[]

describe('GET /v1/admin/me', () => {
  it('the admin token is an owner; a named admin is named with their role', async () => {
    const me = await t.admin('GET', '/v1/admin/me')
    expect(me.status).toBe(200)
    expect(me.body).toEqual({ actor: 'admin:token', role: 'owner' })
    const support = await namedAdmin(t, 1, 'support')
    const named = await t.call('GET', '/v1/admin/me', undefined, support.auth)
    expect(named.body).toEqual({
      actor: `admin:${support.userId}`,
      role: 'support',
      userId: support.userId,
      name: 'Admin 1',
    })
  })
})

describe('/v1/admin/admins', () => {
  it('an owner adds an admin by email, lists, changes the role and removes them', async () => {
    const owner = await namedAdmin(t, 1, 'owner')
    const c = await candidate(t, 2, 'Meera Support')
    const made = await t.call(
      'POST',
      '/v1/admin/admins',
      { email: c.email.toUpperCase(), role: 'support' },
      owner.auth,
    )
    expect(made.status, made.text).toBe(201)
    expect(made.body.admin).toMatchObject({
      userId: c.userId,
      name: 'Meera Support',
      email: c.email,
      role: 'support',
      createdBy: `admin:${owner.userId}`,
    })
    expect(made.body.admin.phone).toMatch(/•/)
    expect(made.body.admin.phone).not.toBe(c.phone)

    const list = await t.call('GET', '/v1/admin/admins', undefined, owner.auth)
    expect(list.body.admins.map((a: { userId: string }) => a.userId)).toEqual([
      owner.userId,
      c.userId,
    ])
    const s = await signInBoth(t, c.email, c.phone)
    const theirs = bearer(s.accessToken)
    expectProblem(
      await t.call('PATCH', '/v1/admin/settings', { siteName: 'X' }, theirs),
      403,
      'forbidden',
    )

    const promoted = await t.call(
      'PATCH',
      `/v1/admin/admins/${c.userId}`,
      { role: 'owner' },
      owner.auth,
    )
    expect(promoted.body.admin.role).toBe('owner')
    // The role is read on every request: the same session may now change settings.
    const patched = await t.call('PATCH', '/v1/admin/settings', { siteName: 'Shop' }, theirs)
    expect(patched.status, patched.text).toBe(200)

    const removed = await t.call('DELETE', `/v1/admin/admins/${c.userId}`, undefined, owner.auth)
    expect(removed.status).toBe(204)
    expectProblem(await t.call('GET', '/v1/admin/me', undefined, theirs), 403, 'forbidden')
    // The account itself stays and signs in as before.
    expect((await t.call('GET', '/v1/me', undefined, theirs)).status).toBe(200)

    const actions = ['admin.admin.create', 'admin.admin.update', 'admin.admin.delete']
    for (const action of actions)
      expect((await auditOf(action)).filter((e) => e.userId === c.userId)).toEqual([
        expect.objectContaining({ actor: `admin:${owner.userId}` }),
      ])
  })

  it('refuses unknown accounts, admins twice, accounts that cannot sign in with two factors', async () => {
    const c = await candidate(t, 1)
    const post = (body: unknown) => t.admin('POST', '/v1/admin/admins', body)
    expectProblem(await post({ userId: 'usr_nobody', role: 'owner' }), 404, 'not_found')
    expectProblem(await post({ email: 'nobody@example.com', role: 'owner' }), 404, 'not_found')
    expectProblem(await post({ userId: c.userId, role: 'root' }), 400, 'invalid_request')
    expectProblem(
      await post({ userId: c.userId, email: c.email, role: 'owner' }),
      400,
      'invalid_request',
    )
    expectProblem(await post({ role: 'owner' }), 400, 'invalid_request')
    // Of two grants at once, one wins.
    const both = await Promise.all([
      post({ userId: c.userId, role: 'owner' }),
      post({ userId: c.userId, role: 'support' }),
    ])
    expect(both.map((r) => r.status).sort()).toEqual([201, 409])
    expectProblem(
      both.find((r) => r.status === 409)!,
      409,
      'admin_exists',
    )
    expect(await auditOf('admin.admin.create')).toHaveLength(1)

    // A phone-only account signs in with the SMS code alone; a password-only one has no phone.
    const phoneOnly = await registerByPhone(t, phoneNo(3500))
    const r1 = await post({ userId: phoneOnly.user.id, role: 'support' })
    expectProblem(r1, 409, 'policy_violation')
    expect(r1.body.detail).toMatch(/password or an authenticator app/)
    const pwOnly = await signUp(t, 'pw-only@example.com')
    const r2 = await post({ userId: pwOnly.user.id, role: 'support' })
    expectProblem(r2, 409, 'policy_violation')
    expect(r2.body.detail).toMatch(/verified phone/)
    const off = await candidate(t, 2)
    await t.admin('PATCH', `/v1/admin/users/${off.userId}`, { disabled: true })
    expectProblem(await post({ userId: off.userId, role: 'support' }), 409, 'policy_violation')

    expectProblem(
      await t.admin('PATCH', '/v1/admin/admins/usr_nobody', { role: 'owner' }),
      404,
      'not_found',
    )
    expectProblem(await t.admin('DELETE', `/v1/admin/admins/${off.userId}`), 404, 'not_found')
    const admins = (await t.admin('GET', '/v1/admin/admins')).body.admins
    expect(admins.map((a: { userId: string }) => a.userId)).toEqual([c.userId])
  })

  it('a named owner cannot change or remove their own admin account, and needs a fresh proof', async () => {
    const owner = await namedAdmin(t, 1, 'owner')
    const other = await namedAdmin(t, 2, 'owner')
    expectProblem(
      await t.call('PATCH', `/v1/admin/admins/${owner.userId}`, { role: 'support' }, owner.auth),
      403,
      'forbidden',
    )
    expectProblem(
      await t.call('DELETE', `/v1/admin/admins/${owner.userId}`, undefined, owner.auth),
      403,
      'forbidden',
    )
    // Six minutes after signing in, the proof is no longer fresh (the step-up rule).
    t.clock.advance(6 * 60_000)
    const stale = await t.call(
      'PATCH',
      `/v1/admin/admins/${other.userId}`,
      { role: 'support' },
      owner.auth,
    )
    expectProblem(stale, 403, 'reauthentication_required')
    expect((await t.admin('GET', '/v1/admin/admins')).body.admins[1].role).toBe('owner')
    // Other admin work goes on in the same session; the token needs no proof.
    expect((await t.call('GET', '/v1/admin/admins', undefined, owner.auth)).status).toBe(200)
    const byToken = await t.admin('DELETE', `/v1/admin/admins/${owner.userId}`)
    expect(byToken.status).toBe(204)
    expect(await auditOf('admin.admin.delete')).toEqual([
      expect.objectContaining({ actor: 'admin:token', userId: owner.userId }),
    ])
  })
})

describe('named admin sessions', () => {
  it('a session that ended (logout), a disabled account and a deleted one fail at once: 401', async () => {
    const a = await namedAdmin(t, 1, 'owner')
    const b = await namedAdmin(t, 2, 'support')
    expect((await t.call('GET', '/v1/admin/users', undefined, a.auth)).status).toBe(200)
    expect((await t.call('DELETE', '/v1/sessions/current', undefined, a.auth)).status).toBe(204)
    expectProblem(await t.call('GET', '/v1/admin/users', undefined, a.auth), 401, 'unauthorized')

    expect((await t.call('GET', '/v1/admin/users', undefined, b.auth)).status).toBe(200)
    await t.admin('PATCH', `/v1/admin/users/${b.userId}`, { disabled: true })
    expectProblem(await t.call('GET', '/v1/admin/users', undefined, b.auth), 401, 'unauthorized')

    // Deleting the account takes its admin row with it.
    await t.admin('DELETE', `/v1/admin/users/${b.userId}`)
    const rows = await t.db.execute({
      sql: 'SELECT count(*) AS n FROM admins WHERE user_id = ?',
      args: [b.userId],
    })
    expect(Number(rows.rows[0]!.n)).toBe(0)
  })

  it('phone + authenticator app is an admin sign-in; password + authenticator app (no phone) is not', async () => {
    const phone = phoneNo(3600)
    const reg = await registerByPhone(t, phone, 'Tara')
    const own = bearer(reg.session.accessToken)
    const setup = await t.call('POST', '/v1/me/totp', undefined, own)
    expect(setup.status, setup.text).toBe(200)
    const secret = setup.body.secret as string
    const on = await t.call(
      'POST',
      '/v1/me/totp/verify',
      { code: totpAt(secret, t.clock.now) },
      own,
    )
    expect(on.status, on.text).toBe(200)
    expect(
      (await t.admin('POST', '/v1/admin/admins', { userId: reg.user.id, role: 'support' })).status,
    ).toBe(201)
    // The SMS code, then the authenticator app (a later step: a code is never used twice).
    const v = await start(t, { purpose: 'login', phone })
    const first = await check(t, v.id, await lastCode(t, phone))
    expect(first.body.methods).toContain('totp')
    t.clock.advance(30_000)
    const done = await t.call('POST', '/v1/mfa/totp', {
      mfaTicket: first.body.mfaTicket,
      code: totpAt(secret, t.clock.now),
    })
    expect(done.status, done.text).toBe(200)
    const me = await t.call('GET', '/v1/admin/me', undefined, bearer(done.body.session.accessToken))
    expect(me.body).toMatchObject({ role: 'support', name: 'Tara' })

    // An admin with a password, a phone and TOTP who signs in with password then TOTP: no phone.
    const u = await signUp(t, 'pat@example.com', PASSWORD, 'Pat')
    const pat = bearer(u.session.accessToken)
    await enroll(t, u.session.accessToken, phoneNo(3601))
    const patSecret = (await t.call('POST', '/v1/me/totp', undefined, pat)).body.secret as string
    await t.call('POST', '/v1/me/totp/verify', { code: totpAt(patSecret, t.clock.now) }, pat)
    await t.admin('POST', '/v1/admin/admins', { userId: u.user.id, role: 'support' })
    t.clock.advance(30_000)
    const pw = await t.call('POST', '/v1/sessions', {
      email: 'pat@example.com',
      password: PASSWORD,
    })
    expect(pw.body.methods).toContain('totp')
    const both = await t.call('POST', '/v1/mfa/totp', {
      mfaTicket: pw.body.mfaTicket,
      code: totpAt(patSecret, t.clock.now),
    })
    expect(both.status, both.text).toBe(200)
    const noPhone = await t.call(
      'GET',
      '/v1/admin/me',
      undefined,
      bearer(both.body.session.accessToken),
    )
    expectProblem(noPhone, 403, 'forbidden')
    expect(noPhone.body.detail).toContain('password + totp')
  })

  it("support cannot change an admin's account (disable it, end its sessions); an owner can", async () => {
    const support = await namedAdmin(t, 1, 'support')
    const owner = await namedAdmin(t, 2, 'owner')
    for (const target of [owner, support]) {
      const patch = await t.call(
        'PATCH',
        `/v1/admin/users/${target.userId}`,
        { disabled: true },
        support.auth,
      )
      expectProblem(patch, 403, 'forbidden')
      expectProblem(
        await t.call('POST', `/v1/admin/users/${target.userId}/sessions/revoke`, {}, support.auth),
        403,
        'forbidden',
      )
    }
    // Nothing changed: the owner's session still works.
    expect((await t.call('GET', '/v1/admin/me', undefined, owner.auth)).status).toBe(200)
    const r = await t.call(
      'PATCH',
      `/v1/admin/users/${support.userId}`,
      { disabled: true },
      owner.auth,
    )
    expect(r.status, r.text).toBe(200)
    expectProblem(await t.call('GET', '/v1/admin/me', undefined, support.auth), 401, 'unauthorized')
  })

  it("every admin action's audit row names who did it", async () => {
    const support = await namedAdmin(t, 1, 'support')
    const owner = await namedAdmin(t, 2, 'owner')
    const victim = await signUp(t, 'victim@example.com')
    const id = victim.user.id
    const patch = await t.call('PATCH', `/v1/admin/users/${id}`, { disabled: true }, support.auth)
    expect(patch.status, patch.text).toBe(200)
    await t.call('POST', `/v1/admin/users/${id}/unlock`, {}, support.auth)
    await t.admin('POST', `/v1/admin/users/${id}/sessions/revoke`, {})
    await t.call('PATCH', '/v1/admin/settings', { siteName: 'Shop' }, owner.auth)
    expectProblem(
      await t.call('DELETE', `/v1/admin/users/${id}`, {}, support.auth),
      403,
      'forbidden',
    )
    await t.call('DELETE', `/v1/admin/users/${id}`, {}, owner.auth)
    const actor = async (action: string) => (await auditOf(action)).map((e) => e.actor)
    expect(await actor('admin.user.update')).toEqual([`admin:${support.userId}`])
    expect(await actor('admin.user.unlock')).toEqual([`admin:${support.userId}`])
    expect(await actor('admin.user.sessions_revoke')).toEqual(['admin:token'])
    expect(await actor('admin.settings')).toEqual([`admin:${owner.userId}`])
    expect(await actor('user.deleted')).toEqual([`admin:${owner.userId}`])
  })
})
