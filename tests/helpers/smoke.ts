/**
 * The smoke test every runtime entry passes (tests/e2e/deno.test.ts, bun.test.ts): register by
 * phone and sign in, and the password policy's dictionaries load there too. On its embedded
 * database, or `over` a real sqld (the entry's kept streams, edge/db/kept-streams.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type Runtime, type Server } from './server.js'
import { startSqld, type Sqld } from './sqld.js'

export function smokeTest(runtime: Runtime, over?: 'sqld'): void {
  let s: Server
  let sqld: Sqld | undefined
  beforeAll(async () => {
    sqld = over ? await startSqld({ metrics: true }) : undefined
    const database = sqld ? { DATABASE_URL: sqld.url } : {}
    s = await startServer({
      runtime,
      env: { SMS_AUTH_PUBLIC_URL: 'http://auth.test', ...database },
    })
  }, 90_000)
  afterAll(async () => {
    await s?.close()
    await sqld?.close()
  })

  async function post(path: string, body: unknown) {
    const res = await fetch(s.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
  }
  /** SQLite connections sqld has opened: one for each new Hrana stream. */
  const connectionsOpened = () =>
    sqld ? sqld.metric('libsql_server_connection_create_time_count') : Promise.resolve(0)
  async function code(phone: string): Promise<string> {
    const res = await fetch(`${s.url}/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
    return (await res.json()).messages[0].code
  }

  describe(`on ${runtime}${over ? ` over ${over}` : ''}`, () => {
    it('registers a phone, then signs in with it', async () => {
      const opened = await connectionsOpened()
      const phone = '+14155552671'
      const v = await post('/v1/verifications', { purpose: 'register', phone })
      expect(v.status).toBe(201)
      const checked = await post(`/v1/verifications/${v.body.id}/check`, {
        code: await code(phone),
      })
      const user = await post('/v1/users', {
        registrationTicket: checked.body.registrationTicket,
        name: 'Dee',
        email: 'dee@example.com',
      })
      expect(user.status).toBe(201)
      const login = await post('/v1/verifications', { purpose: 'login', phone })
      const signed = await post(`/v1/verifications/${login.body.id}/check`, {
        code: await code(phone),
      })
      expect(signed.body.user.id).toBe(user.body.user.id)
      const me = await fetch(`${s.url}/v1/me`, {
        headers: { authorization: `Bearer ${signed.body.session.accessToken}` },
      })
      expect((await me.json()).user.phone).toBe(phone)
      if (sqld) {
        // The statements of those requests ran on a few kept streams, not a new one each.
        const sqlite = (await connectionsOpened()) - opened
        expect(sqlite).toBeLessThanOrEqual(3)
      }
      expect(s.output()).not.toContain(await code(phone))
    })

    it('checks passwords with the zxcvbn dictionaries (loaded on first use)', async () => {
      const weak = await post('/v1/users', {
        email: 'weak@example.com',
        password: 'password1',
        name: 'Weak',
      })
      expect(weak.status).toBe(400)
      expect(weak.body.errors[0].path).toBe('password')
      const strong = await post('/v1/users', {
        email: 'strong@example.com',
        password: 'violet tugboat harmonica 58',
        name: 'Strong',
      })
      expect(strong.status).toBe(201)
      expect(strong.body.user.hasPassword).toBe(true)
    })
  })
}
