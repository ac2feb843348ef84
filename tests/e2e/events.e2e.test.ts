/**
 * The real server delivers events by itself: on its own timer (edge/maintenance/schedule.ts), a
 * registration through its HTTP API reaches a receiver on 127.0.0.1 as a user.created whose
 * signature verifies with standardwebhooks. Nothing calls deliverEvents(): the server does.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startServer, type Server } from '../helpers/server.js'
import { receiver } from '../edge/events/receiver.js'

const ADMIN = 'events-e2e-admin-token-0123'
let edge: Server
let hook: Awaited<ReturnType<typeof receiver>>

beforeAll(async () => {
  hook = await receiver()
  edge = await startServer({
    runtime: 'node',
    env: { SMS_AUTH_ADMIN_TOKEN: ADMIN, SMS_AUTH_SECRET: 'e'.repeat(64) },
  })
})
afterAll(async () => {
  await edge?.close()
  await hook?.close()
})

async function api(method: string, path: string, body?: unknown, admin = false) {
  const res = await fetch(`${edge.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(admin ? { authorization: `Bearer ${ADMIN}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300)
  return text ? JSON.parse(text) : undefined
}

async function until<T>(probe: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out:\n${edge.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

it('a registration reaches the site backend as a signed user.created', async () => {
  const made = await api('POST', '/v1/admin/event-endpoints', { url: hook.url }, true)
  hook.secrets.push(made.secret)
  const phone = '+919833377001'
  const v = await api('POST', '/v1/verifications', { purpose: 'register', phone })
  const box = await api('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
  const checked = await api('POST', `/v1/verifications/${v.id}/check`, {
    code: box.messages[0].code,
  })
  const { user } = await api('POST', '/v1/users', {
    registrationTicket: checked.registrationTicket,
    name: 'Meera',
    email: 'meera-events@example.com',
  })
  // The server's timer runs the delivery every 5 s.
  const got = await until(
    () => hook.received.find((r) => r.verified[0]?.type === 'user.created'),
    15_000,
  )
  expect(got.verified[0]).toMatchObject({ data: { userId: user.id, phone } })
  expect(got.id).toMatch(/^evt_/)
  // The secret, the code and the number never reach the server's log.
  expect(edge.output()).not.toContain(made.secret.slice(6))
  expect(edge.output()).not.toContain(phone)
}, 40_000)
