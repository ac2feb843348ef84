/**
 * The admin page's Users tab end to end, in Chromium, against the real server of `npm start`
 * (fresh database): support staff find a user by the last digits of the phone, open the user's
 * page and disable the account (confirming it), and the session that user had open fails at once.
 */
import { createServer } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser.js'
import { startServer, type Server } from '../helpers/server.js'

const ADMIN = 'users-e2e-admin-token-0123456789'
const PHONE = '+919876512345'
let edge: Server
let browser: Browser

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

async function call(method: string, path: string, body?: unknown, token?: string) {
  const r = await fetch(`${edge.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await r.text()
  return { status: r.status, body: text ? JSON.parse(text) : undefined }
}

/** Registers a phone account through the API, reading the code from the development outbox. */
async function registerByPhone(name: string, email: string) {
  const v = await call('POST', '/v1/verifications', { purpose: 'register', phone: PHONE })
  expect(v.status).toBe(201)
  let code: string | undefined
  await expect
    .poll(async () => {
      code = (await call('GET', `/v1/dev/outbox?to=${encodeURIComponent(PHONE)}`)).body.messages[0]
        ?.code
      return code
    })
    .toBeTruthy()
  const checked = await call('POST', `/v1/verifications/${v.body.id}/check`, { code })
  const u = await call('POST', '/v1/users', {
    registrationTicket: checked.body.registrationTicket,
    name,
    email,
  })
  expect(u.status).toBe(201)
  return u.body.session as { accessToken: string; refreshToken: string }
}

beforeAll(async () => {
  const port = await freePort()
  const env = {
    PORT: String(port),
    SMS_AUTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
    SMS_AUTH_ADMIN_TOKEN: ADMIN,
    SMS_AUTH_SECRET: 'e'.repeat(64),
  }
  ;[edge, browser] = await Promise.all([startServer({ runtime: 'node', env }), launchChromium()])
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await edge?.close()
})

describe('admin page, Users tab', () => {
  it('support staff find a user by phone digits and disable them; the open session fails', async () => {
    const session = await registerByPhone('Kiran Shah', 'kiran@example.com')
    await call('POST', '/v1/users', {
      name: 'Other Person',
      email: 'other@example.com',
      password: 'correct horse battery staple',
    })
    expect((await call('GET', '/v1/me', undefined, session.accessToken)).status).toBe(200)

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    await page.goto(`${edge.url}/admin/#users`)
    await page.getByLabel('Admin token').fill(ADMIN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('tab', { name: 'Users' }).click()
    const rows = page.locator('#users tbody tr')
    await expect.poll(() => rows.count()).toBe(2)

    await page.getByLabel(/last digits of the phone/).fill('12345')
    await page.getByRole('button', { name: 'Search' }).click()
    await expect.poll(() => rows.count()).toBe(1)
    await page.getByRole('button', { name: 'Kiran Shah' }).click()
    await page.getByRole('heading', { name: 'Kiran Shah' }).waitFor()
    await expect.poll(() => page.locator('#user-facts').textContent()).toContain('Active')

    // The destructive action asks first: dismissed, nothing happens; accepted, the account is off.
    page.once('dialog', (d) => void d.dismiss())
    await page.getByRole('button', { name: 'Disable' }).click()
    await page.getByRole('button', { name: 'Disable' }).waitFor()
    expect((await call('GET', '/v1/me', undefined, session.accessToken)).status).toBe(200)
    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: 'Disable' }).click()
    await page.getByRole('button', { name: 'Enable' }).waitFor()
    await expect.poll(() => page.locator('#user-facts').textContent()).toContain('Disabled since')

    expect((await call('GET', '/v1/me', undefined, session.accessToken)).status).toBe(401)
    const refreshed = await call('POST', '/v1/sessions/refresh', {
      refreshToken: session.refreshToken,
    })
    expect(refreshed.status).toBe(401)
    await page.close()
  }, 60_000)
})
