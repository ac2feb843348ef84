/**
 * createSmsAuth mounted under /auth: in a parent Hono app (whose own routes keep working) and in
 * an Express 5 app through @hono/node-server's getRequestListener, both on 127.0.0.1. The core
 * flows and every rule that depends on a path hold beneath the base path. The parent apps are the
 * mount guide's snippets (docs/snippets/mount/).
 */
import { createClient, type Client } from '@libsql/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmsAuth, type SmsAuth } from '../../../edge/library.js'
import { callbackUrl } from '../../../edge/messages/webhook-token.js'
import { verifyAccessToken } from '../../../edge/server/index.js'
import { shopApp as expressShop } from '../../../docs/snippets/mount/express.js'
import { shopApp as honoShop } from '../../../docs/snippets/mount/hono.js'
import { ADMIN_TOKEN, SECRET, phoneNo } from '../../helpers/app.js'
import { listen, type Listening } from '../../helpers/listen.js'

const PUBLIC_URL = 'https://shop.example/auth'
const SITE = 'https://shop.example'

interface Target {
  name: string
  db: Client
  auth: SmsAuth
  server: Listening
}

async function hono(): Promise<Target> {
  const db = createClient({ url: ':memory:' })
  const auth = await createSmsAuth({
    db,
    secret: SECRET,
    adminToken: ADMIN_TOKEN,
    publicUrl: PUBLIC_URL,
    mode: 'development',
  })
  const parent = honoShop(auth)
  return {
    name: 'hono',
    db,
    auth,
    server: await listen((req: Request, env: unknown) => parent.fetch(req, env as object)),
  }
}

async function expressApp(): Promise<Target> {
  const db = createClient({ url: ':memory:' })
  const auth = await createSmsAuth({
    db,
    secret: SECRET,
    adminToken: ADMIN_TOKEN,
    publicUrl: PUBLIC_URL,
    mode: 'development',
  })
  const app = expressShop(auth)
  return { name: 'express', db, auth, server: await listen(app, false) }
}

const targets: Target[] = []
beforeAll(async () => {
  targets.push(await hono(), await expressApp())
})
afterAll(async () => {
  for (const t of targets) {
    await t.server.close()
    t.db.close()
  }
})

describe.each([['hono'], ['express']])('mounted under /auth in %s', (name) => {
  const target = () => targets.find((t) => t.name === name)!
  let n = name === 'hono' ? 100 : 200
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const init: RequestInit = { method, headers: { ...headers } }
    if (body !== undefined) {
      init.body = JSON.stringify(body)
      ;(init.headers as Record<string, string>)['content-type'] = 'application/json'
    }
    const res = await fetch(target().server.url + path, init)
    const text = await res.text()
    await target().auth.edge.idle()
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let json: any
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    return { status: res.status, headers: res.headers, body: json, text }
  }
  const outbox = async (phone: string) =>
    (await call('GET', `/auth/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body.messages[0]
  const codeLogin = async (purpose: 'register' | 'login', phone: string) => {
    const v = await call('POST', '/auth/v1/verifications', { purpose, phone })
    expect(v.status, v.text).toBe(201)
    const msg = await outbox(phone)
    const checked = await call('POST', `/auth/v1/verifications/${v.body.id}/check`, {
      code: msg.code,
    })
    expect(checked.status, checked.text).toBe(200)
    return { checked: checked.body, msg }
  }

  it('keeps the parent’s own routes', async () => {
    expect((await call('GET', '/api/cart')).body).toEqual({ items: 2 })
    expect((await call('GET', '/')).text).toBe('shop home')
  })

  it('registers and logs in by phone, refreshes, logs out; the issuer and WebOTP line carry the base', async () => {
    const phone = phoneNo(n++)
    const { checked, msg } = await codeLogin('register', phone)
    expect(msg.body).toMatch(/\n@shop\.example #\d+$/)
    // Per-address limits count under the socket's address, read from the runtime without options.
    const counted = await target().db.execute(
      'SELECT DISTINCT client_address FROM verifications WHERE purpose = ?',
      ['register'],
    )
    expect(counted.rows.map((r) => String(r.client_address))).toEqual(['127.0.0.1'])
    const u = await call('POST', '/auth/v1/users', {
      registrationTicket: checked.registrationTicket,
      name: 'Asha',
      email: `a${n}@example.com`,
    })
    expect(u.status, u.text).toBe(201)

    const login = (await codeLogin('login', phone)).checked
    const session = login.session
    expect(session.accessToken).toBeTruthy()
    const jwksUrl = `${target().server.url}/auth/.well-known/jwks.json`
    const claims = await verifyAccessToken(session.accessToken, { jwksUrl, issuer: PUBLIC_URL })
    expect(claims.iss).toBe(PUBLIC_URL)
    expect(claims.sub).toBe(u.body.user.id)

    const me = await call('GET', '/auth/v1/me', undefined, {
      authorization: `Bearer ${session.accessToken}`,
    })
    expect(me.status, me.text).toBe(200)
    const refreshed = await call('POST', '/auth/v1/sessions/refresh', {
      refreshToken: session.refreshToken,
    })
    expect(refreshed.status, refreshed.text).toBe(200)
    const access = refreshed.body.session?.accessToken ?? refreshed.body.accessToken
    const out = await call('DELETE', '/auth/v1/sessions/current', undefined, {
      authorization: `Bearer ${access}`,
    })
    expect(out.status).toBe(204)
    const after = await call('GET', '/auth/v1/me', undefined, { authorization: `Bearer ${access}` })
    expect(after.status).toBe(401)
  })

  it('answers an admin call with the admin token, and refuses one without', async () => {
    const ok = await call('GET', '/auth/v1/admin/settings', undefined, {
      authorization: `Bearer ${ADMIN_TOKEN}`,
    })
    expect(ok.status, ok.text).toBe(200)
    expect((await call('GET', '/auth/v1/admin/settings')).status).toBe(401)
  })

  it('refuses a foreign preflight to an admin route and to introspection, and a foreign write', async () => {
    const pre = { origin: 'https://evil.example', 'access-control-request-method': 'POST' }
    for (const path of ['/auth/v1/admin/settings', '/auth/v1/sessions/introspect']) {
      const r = await call('OPTIONS', path, undefined, pre)
      expect(r.status, path).toBe(403)
      expect(r.headers.get('access-control-allow-origin')).toBeNull()
      expect(r.body.code).toBe('origin_not_allowed')
    }
    const w = await call(
      'POST',
      '/auth/v1/verifications',
      { purpose: 'login', phone: phoneNo(n++) },
      { origin: 'https://evil.example' },
    )
    expect(w.status).toBe(403)
    expect(w.body.code).toBe('origin_not_allowed')
    const own = await call('OPTIONS', '/auth/v1/verifications', undefined, { ...pre, origin: SITE })
    expect(own.status).toBe(204)
  })

  it('answers 405 with Allow for a known path, 404 for an unknown one, and JWKS at the base', async () => {
    const r = await call('DELETE', '/auth/v1/verifications')
    expect(r.status).toBe(405)
    expect(r.headers.get('allow')).toContain('POST')
    const nf = await call('GET', '/auth/v1/nothing-here')
    expect(nf.status).toBe(404)
    expect(nf.body.code).toBe('not_found')
    const jwks = await call('GET', '/auth/.well-known/jwks.json')
    expect(jwks.status).toBe(200)
    expect(jwks.body.keys[0].alg).toBe('ES256')
    expect((await call('GET', '/.well-known/jwks.json')).status).toBe(404)
    expect((await call('GET', '/auth/healthz')).status).toBe(200)
  })

  it('keeps /healthz and JWKS out of load shedding', async () => {
    const db = target().auth.edge.ctx.db as unknown as { enter(): boolean; leave(): void }
    const held: number[] = []
    while (db.enter()) held.push(1)
    try {
      expect((await call('GET', '/auth/v1/config')).status).toBe(503)
      expect((await call('GET', '/auth/.well-known/jwks.json')).status).toBe(200)
      expect((await call('GET', '/auth/healthz')).status).not.toBe(503)
    } finally {
      for (const _ of held) db.leave()
    }
  })

  it('builds provider receipt URLs under the base path, and they reach the webhook route', async () => {
    const url = callbackUrl(target().auth.edge.ctx, 'twilio')!
    expect(url.startsWith(`${PUBLIC_URL}/v1/webhooks/twilio`)).toBe(true)
    const path = new URL(url).pathname
    const r = await call('POST', path, undefined, {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expect(r.status).not.toBe(404)
    expect(r.status).toBeLessThan(500)
  })
})
