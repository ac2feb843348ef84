/**
 * The real server delivers events by itself: on its own timer (edge/maintenance/schedule.ts), a
 * registration through its HTTP API reaches a receiver on 127.0.0.1 as a user.created whose
 * signature verifies with standardwebhooks. Nothing calls deliverEvents(): the server does. Then
 * the admin page's Events tab, in Chromium: add an endpoint, read its deliveries, resend one.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser.js'
import { freePort } from '../helpers/listen.js'
import { startServer, type Server } from '../helpers/server.js'
import { receiver } from '../edge/events/receiver.js'

const ADMIN = 'events-e2e-admin-token-0123'
let edge: Server
let hook: Awaited<ReturnType<typeof receiver>>
let browser: Browser | undefined

beforeAll(async () => {
  hook = await receiver()
  // The admin page is same-origin with the API: the public URL is the origin it loads from.
  const port = await freePort()
  edge = await startServer({
    runtime: 'node',
    env: {
      PORT: String(port),
      SMS_AUTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
      SMS_AUTH_ADMIN_TOKEN: ADMIN,
      SMS_AUTH_SECRET: 'e'.repeat(64),
    },
  })
})
afterAll(async () => {
  await browser?.close()
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

async function register(phone: string, email: string) {
  const v = await api('POST', '/v1/verifications', { purpose: 'register', phone })
  const box = await api('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
  const checked = await api('POST', `/v1/verifications/${v.id}/check`, {
    code: box.messages[0].code,
  })
  return api('POST', '/v1/users', {
    registrationTicket: checked.registrationTicket,
    name: 'Meera',
    email,
  })
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

it('the admin page adds an endpoint, shows its deliveries and resends one', async () => {
  // Only the endpoint this test adds: the first test's would get the same events (same ids).
  for (const e of (await api('GET', '/v1/admin/event-endpoints', undefined, true)).endpoints)
    await api('DELETE', `/v1/admin/event-endpoints/${e.id}`, undefined, true)
  browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  await page.goto(`${edge.url}/admin#events`)
  await page.getByLabel('Admin token').fill(ADMIN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('tab', { name: 'Events' }).click()
  // A URL the server refuses: the field says why.
  await page.getByLabel('Endpoint URL').fill('http://example.com/hooks')
  await page.getByRole('button', { name: 'Add endpoint' }).click()
  await page.getByText('must be https (http only for 127.0.0.1 or localhost)').waitFor()
  await page.getByLabel('Endpoint URL').fill(`${hook.url}?admin`)
  await page.getByLabel(/Event types/).fill('user.created')
  await page.getByRole('button', { name: 'Add endpoint' }).click()
  const secret = (await page.locator('#event-secret code').textContent())!
  expect(secret).toMatch(/^whsec_/)
  hook.secrets.length = 0
  hook.secrets.push(secret)
  const from = hook.received.length
  const { user } = await register('+919833377002', 'meera2-events@example.com')
  const got = await until(
    () =>
      hook.received
        .slice(from)
        .find((r) => r.verified[0]?.type === 'user.created' && r.body.includes(user.id)),
    15_000,
  )
  const row = page.getByRole('row', { name: new RegExp(`${hook.url}\\?admin`) })
  const delivery = page.locator('#event-delivery-table tbody tr')
  // The table is read when opened: open it again until the attempt is recorded.
  await expect
    .poll(async () => {
      await row.getByRole('button', { name: 'Deliveries' }).click()
      return delivery
        .first()
        .textContent({ timeout: 2_000 })
        .catch(() => '')
    })
    .toContain('succeeded')
  expect(await delivery.first().textContent()).toContain(got.id)
  await delivery.first().getByRole('button', { name: 'Resend' }).click()
  await page.getByRole('button', { name: 'Queued' }).waitFor()
  const again = await until(() => hook.received.filter((r) => r.id === got.id)[1], 15_000)
  expect(again.verified[0]).toMatchObject({ id: got.id, type: 'user.created' })
}, 60_000)
