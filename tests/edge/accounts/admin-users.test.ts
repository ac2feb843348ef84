/**
 * The site owner's users API (issue 14): list and search with keyset pages and a total, a user's
 * page, PATCH name/email/disabled, ending a user's sessions, deletion; every refusal; and the
 * plans SQLite makes for the list and the searches (an index each, no scan of users).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  openDb,
  phoneNo,
  registerByPhone,
  testApp,
  ADMIN_TOKEN,
  type TestApp,
} from '../../helpers/app.js'
import { recordingClient, type Recorded } from '../../helpers/recorder.js'
import { bearer, expectProblem, signUp } from '../../helpers/extra.js'

const PASSWORD = 'correct horse battery staple'
let t: TestApp
let rec: { statements: Recorded[] }
let cleanup: () => void
beforeEach(async () => {
  const opened = openDb()
  const recorded = recordingClient(opened.db)
  rec = recorded
  cleanup = opened.cleanup
  t = await testApp({ db: recorded.db })
})
afterEach(() => {
  t.close()
  cleanup()
})

async function people() {
  const made = []
  for (const [i, name] of ['Asha Rao', 'Ravi Kumar', 'asher Bell', 'Zed'].entries()) {
    made.push(
      await registerByPhone(t, phoneNo(400 + i), name, `${name.split(' ')[0]}${i}@example.com`),
    )
    t.clock.advance(1_000)
  }
  return made
}

describe('GET /v1/admin/users', () => {
  it('lists newest first in keyset pages that stay stable when users are added', async () => {
    const made = await people()
    const first = await t.admin('GET', '/v1/admin/users?limit=2')
    expect(first.status, first.text).toBe(200)
    expect(first.body.total).toBe(4)
    expect(first.body.users.map((u: { name: string }) => u.name)).toEqual(['Zed', 'asher Bell'])
    expect(first.body.users[0]).toMatchObject({
      id: made[3]!.user.id,
      email: 'Zed3@example.com',
      phoneVerified: true,
      disabled: false,
    })
    expect(first.body.users[0].phone).not.toBe(phoneNo(403))
    expect(first.body.users[0].phone.slice(-2)).toBe(phoneNo(403).slice(-2))
    // A user added between the pages sorts before them: the next page is unchanged.
    await signUp(t, 'late@example.com')
    const second = await t.admin('GET', `/v1/admin/users?limit=2&cursor=${first.body.nextCursor}`)
    expect(second.body.users.map((u: { name: string }) => u.name)).toEqual([
      'Ravi Kumar',
      'Asha Rao',
    ])
    expect(second.body.nextCursor).toBeNull()
    expect(second.body.total).toBe(5)
  })

  it('searches by name or email prefix, any case, and by the phone’s last digits', async () => {
    const made = await people()
    const names = async (q: string) =>
      (await t.admin('GET', `/v1/admin/users?query=${encodeURIComponent(q)}`)).body
    const ash = await names('ASH')
    expect(ash.users.map((u: { name: string }) => u.name)).toEqual(['asher Bell', 'Asha Rao'])
    expect(ash.total).toBe(2)
    expect((await names('ravi1@')).users.map((u: { id: string }) => u.id)).toEqual([
      made[1]!.user.id,
    ])
    const tail = phoneNo(402).slice(-6)
    expect((await names(tail)).users.map((u: { id: string }) => u.id)).toEqual([made[2]!.user.id])
    expect(await names('nobody')).toEqual({ users: [], nextCursor: null, total: 0 })
  })

  it('plans each form on an index, never a scan of users or a sort of all of them', async () => {
    await people()
    rec.statements.length = 0
    for (const q of ['', '&query=ash', `&query=${phoneNo(401).slice(-5)}`])
      expect((await t.admin('GET', `/v1/admin/users?limit=2${q}`)).status).toBe(200)
    const first = await t.admin('GET', '/v1/admin/users?limit=1')
    await t.admin('GET', `/v1/admin/users?limit=1&cursor=${first.body.nextCursor}`)
    const pages = rec.statements.filter(
      (s) => /FROM users\s+WHERE/.test(s.sql) && /LIMIT/.test(s.sql),
    )
    expect(pages.length).toBe(5)
    for (const s of pages) {
      const plan = (
        await t.db.execute({ sql: `EXPLAIN QUERY PLAN ${s.sql}`, args: s.args ?? [] })
      ).rows
        .map((r) => String(r.detail))
        .join(' | ')
      expect(plan, s.sql).not.toMatch(/SCAN users/)
      expect(plan).toMatch(/users_created|users_name|users_phone_tail|email_norm|autoindex/)
      if (!s.sql.includes(':q')) expect(plan).not.toContain('TEMP B-TREE')
    }
  })

  it('refuses a bad cursor or limit (400), a missing token (401) and a plain user (403)', async () => {
    expectProblem(await t.admin('GET', '/v1/admin/users?cursor=nope'), 400, 'invalid_request')
    expectProblem(await t.admin('GET', '/v1/admin/users?limit=0'), 400, 'invalid_request')
    expectProblem(await t.admin('GET', '/v1/admin/users?limit=101'), 400, 'invalid_request')
    expectProblem(await t.call('GET', '/v1/admin/users'), 401, 'unauthorized')
    const user = (await signUp(t, 'u@example.com')).session
    expectProblem(
      await t.call('GET', '/v1/admin/users', undefined, bearer(user.accessToken)),
      403,
      'forbidden',
    )
  })
})

describe('GET /v1/admin/users/{id}', () => {
  it("shows the user's factors, sessions, last sign-in and lock state", async () => {
    const { user } = await signUp(t, 'page@example.com')
    t.clock.advance(5_000)
    await t.call('POST', '/v1/sessions', { email: 'page@example.com', password: PASSWORD })
    const r = await t.admin('GET', `/v1/admin/users/${user.id}`)
    expect(r.status, r.text).toBe(200)
    expect(r.body.user).toMatchObject({
      id: user.id,
      email: 'page@example.com',
      factors: ['password'],
      sessionsCount: 2,
      lastSignInAt: new Date(t.clock.now).toISOString(),
      lockedUntil: null,
      disabled: false,
      disabledAt: null,
    })
    expect(r.body.user.sessions).toHaveLength(2)
    expectProblem(await t.admin('GET', '/v1/admin/users/usr_nobody'), 404, 'not_found')
    expectProblem(await t.call('GET', `/v1/admin/users/${user.id}`), 401, 'unauthorized')
  })
})

describe('PATCH /v1/admin/users/{id}', () => {
  it('changes name and email; a taken email is 409, an empty or bad body 400, an unknown id 404', async () => {
    const { user } = await signUp(t, 'edit@example.com')
    await signUp(t, 'taken@example.com')
    const r = await t.admin('PATCH', `/v1/admin/users/${user.id}`, {
      name: 'Edited',
      email: 'New@Example.com',
    })
    expect(r.status, r.text).toBe(200)
    expect(r.body.user).toMatchObject({ name: 'Edited', email: 'New@Example.com' })
    const signIn = await t.call('POST', '/v1/sessions', {
      email: 'new@example.com',
      password: PASSWORD,
    })
    expect(signIn.status).toBe(200)
    expectProblem(
      await t.admin('PATCH', `/v1/admin/users/${user.id}`, { email: 'TAKEN@example.com' }),
      409,
      'email_taken',
    )
    expectProblem(await t.admin('PATCH', `/v1/admin/users/${user.id}`, {}), 400, 'invalid_request')
    expectProblem(
      await t.admin('PATCH', `/v1/admin/users/${user.id}`, { email: 'no' }),
      400,
      'invalid_request',
    )
    expectProblem(
      await t.admin('PATCH', `/v1/admin/users/${user.id}`, { role: 'x' }),
      400,
      'invalid_request',
    )
    expectProblem(
      await t.admin('PATCH', '/v1/admin/users/usr_nobody', { name: 'X' }),
      404,
      'not_found',
    )
    expectProblem(
      await t.call('PATCH', `/v1/admin/users/${user.id}`, { name: 'X' }),
      401,
      'unauthorized',
    )
  })

  it('disabled: sessions end at once, no sign-in by password or SMS, no refresh; enabled again it works', async () => {
    const phone = phoneNo(450)
    const { user, session } = await registerByPhone(t, phone, 'Dis', 'dis@example.com')
    const off = await t.admin('PATCH', `/v1/admin/users/${user.id}`, { disabled: true })
    expect(off.status, off.text).toBe(200)
    expect(off.body.user).toMatchObject({ disabled: true, sessionsCount: 0 })
    expectProblem(
      await t.call('GET', '/v1/me', undefined, bearer(session.accessToken)),
      401,
      'unauthorized',
    )
    expectProblem(
      await t.call('POST', '/v1/sessions/refresh', { refreshToken: session.refreshToken }),
      401,
      'unauthorized',
    )
    const intro = await t.call(
      'POST',
      '/v1/sessions/introspect',
      { token: session.accessToken },
      bearer(ADMIN_TOKEN),
    )
    expect(intro.body.active).toBe(false)
    // An SMS login to the disabled account is answered like one to a number without an account:
    // the same 201, nothing sent, and no code can pass.
    const outbox = async () =>
      (await t.call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body.messages
    const sentBefore = (await outbox()).length
    const v = await t.call('POST', '/v1/verifications', { purpose: 'login', phone })
    const none = await t.call('POST', '/v1/verifications', {
      purpose: 'login',
      phone: phoneNo(451),
    })
    expect(v.status, v.text).toBe(201)
    expect(Object.keys(v.body).sort()).toEqual(Object.keys(none.body).sort())
    await t.api.idle()
    expect(await outbox()).toHaveLength(sentBefore)
    const code = (await outbox())[0].code
    expectProblem(
      await t.call('POST', `/v1/verifications/${v.body.id}/check`, { code }),
      400,
      'invalid_code',
    )

    const pw = await signUp(t, 'pw@example.com')
    await t.admin('PATCH', `/v1/admin/users/${pw.user.id}`, { disabled: true })
    // Like a wrong password (SECURITY.md R-66): the answer tells nothing of the account.
    const refused = await t.call('POST', '/v1/sessions', {
      email: 'pw@example.com',
      password: PASSWORD,
    })
    const wrong = await t.call('POST', '/v1/sessions', { email: 'pw@example.com', password: 'x' })
    expectProblem(refused, 401, 'invalid_credentials')
    expect(refused.body).toEqual(wrong.body)
    const on = await t.admin('PATCH', `/v1/admin/users/${pw.user.id}`, { disabled: false })
    expect(on.body.user).toMatchObject({ disabled: false, disabledAt: null })
    expect(
      (await t.call('POST', '/v1/sessions', { email: 'pw@example.com', password: PASSWORD }))
        .status,
    ).toBe(200)
    const actions = (await t.admin('GET', '/v1/admin/audit?action=admin.user.update')).body.events
    expect(actions).toHaveLength(3)
    expect(actions[0]).toMatchObject({
      actor: 'admin:token',
      userId: pw.user.id,
      detail: { disabled: false },
    })
  })
})

describe('POST /v1/admin/users/{id}/sessions/revoke and DELETE /v1/admin/users/{id}', () => {
  it('ends every session of the user, who stays enabled', async () => {
    const { user, session } = await signUp(t, 'rev@example.com')
    const r = await t.admin('POST', `/v1/admin/users/${user.id}/sessions/revoke`)
    expect(r.status, r.text).toBe(200)
    expect(r.body).toEqual({ revoked: 1 })
    expectProblem(
      await t.call('POST', '/v1/sessions/refresh', { refreshToken: session.refreshToken }),
      401,
      'unauthorized',
    )
    expect(
      (await t.call('POST', '/v1/sessions', { email: 'rev@example.com', password: PASSWORD }))
        .status,
    ).toBe(200)
    expectProblem(
      await t.admin('POST', '/v1/admin/users/usr_nobody/sessions/revoke'),
      404,
      'not_found',
    )
    expectProblem(
      await t.call('POST', `/v1/admin/users/${user.id}/sessions/revoke`),
      401,
      'unauthorized',
    )
  })

  it('deletes the account like DELETE /v1/me, with a tombstone naming the admin', async () => {
    const { user, session } = await signUp(t, 'del@example.com')
    const r = await t.admin('DELETE', `/v1/admin/users/${user.id}`)
    expect(r.status, r.text).toBe(204)
    expectProblem(
      await t.call('GET', '/v1/me', undefined, bearer(session.accessToken)),
      401,
      'unauthorized',
    )
    expectProblem(await t.admin('GET', `/v1/admin/users/${user.id}`), 404, 'not_found')
    expectProblem(await t.admin('DELETE', `/v1/admin/users/${user.id}`), 404, 'not_found')
    const tomb = (await t.admin('GET', '/v1/admin/audit?action=user.deleted')).body.events
    expect(tomb).toEqual([
      expect.objectContaining({ actor: 'admin:token', userId: user.id, phone: null, detail: null }),
    ])
    expect((await signUp(t, 'del@example.com')).user.id).not.toBe(user.id)
    expectProblem(await t.call('DELETE', `/v1/admin/users/${user.id}`), 401, 'unauthorized')
  })
})
