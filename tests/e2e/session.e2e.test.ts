/**
 * Browser sessions end to end: the real edge, a page on another origin with the script tag and
 * `<sms-login storage="local">`, in Chromium. Sign in, reload (still signed in), a second tab of
 * the same context sees the session, signing out there ends it in the first tab and revokes it
 * server-side (the old refresh token is refused).
 */
import { createServer, type Server as HttpServer } from 'node:http'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../helpers/browser.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type Server } from '../helpers/server.js'

const ADMIN = 'session-e2e-admin-token-0123'
let edge: Server
let site: HttpServer
let siteOrigin: string
let browser: Browser

type Win = {
  sms: typeof import('../../widget/define.js')
  changes: { reason: string; session: { user: { name: string } } | null }[]
}

beforeAll(async () => {
  edge = await startServer({
    runtime: 'node',
    env: { SMS_AUTH_ADMIN_TOKEN: ADMIN, SMS_AUTH_SECRET: 'f'.repeat(64) },
  })
  site = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html')
    res.end(`<!doctype html><html lang="en"><body>
      <sms-login storage="local"></sms-login>
      <script type="module">
        import * as sms from '${edge.url}/widget.js'
        window.changes = []
        sms.onSessionChange((c) => window.changes.push(c))
        window.sms = sms
      </script></body></html>`)
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  const address = site.address()
  siteOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  const patch = await fetch(`${edge.url}/v1/admin/settings`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ allowedOrigins: [siteOrigin], defaultCountry: 'IN' }),
  })
  expect(patch.status).toBe(200)
  browser = await launchChromium()
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => site?.close(resolve))
  await edge?.close()
})

async function code(phone: string): Promise<string> {
  const r = await fetch(`${edge.url}/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
  return (await r.json()).messages[0].code
}

async function open(page: Page): Promise<void> {
  await page.goto(siteOrigin)
  await page.waitForFunction(() => 'sms' in window)
}

const userName = (page: Page) =>
  page.evaluate(() => (window as unknown as Win).sms.getSession()?.user.name ?? null)

describe('sessions in the browser', () => {
  it('survive a reload, show in a second tab, and a sign-out there revokes them', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await open(page)
    await page.locator('.iti__selected-dial-code').first().waitFor()
    await page.getByLabel(/phone/i).first().pressSequentially('9876500077')
    await page.getByRole('button', { name: /send code/i }).click()
    const codeField = page.getByLabel(/code/i).first()
    await codeField.waitFor()
    await codeField.pressSequentially(await code('+919876500077'))
    await page.getByLabel(/name/i).first().fill('Ravi')
    await page.getByLabel(/email/i).first().fill('ravi@example.com')
    await page.getByRole('button', { name: /create account/i }).click()
    await page.waitForFunction(() =>
      (window as unknown as Win).changes.some((c) => c.reason === 'start'),
    )
    const key = `sms-auth:session:${edge.url}`
    const stored = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), key)) ?? '{}')
    expect(typeof stored.refreshToken).toBe('string')

    await page.reload()
    await page.waitForFunction(() => 'sms' in window)
    expect(await userName(page)).toBe('Ravi')
    const token = await page.evaluate(() => (window as unknown as Win).sms.getAccessToken())
    const me = await fetch(`${edge.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(me.status).toBe(200)

    // The typed client (its own chunk): a rotation through the store, then /v1/me with the new token.
    const rotated = await page.evaluate(async () => {
      const client = (window as unknown as Win).sms.getClient()
      const s = await client.refresh()
      return { token: s?.accessToken, name: (await client.me()).name }
    })
    expect(rotated.name).toBe('Ravi')
    expect(rotated.token).not.toBe(token)
    const latest = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), key)) ?? '{}')
    expect(latest.refreshToken).not.toBe(stored.refreshToken)

    const tab = await context.newPage()
    await open(tab)
    expect(await userName(tab)).toBe('Ravi')
    await tab.evaluate(() => (window as unknown as Win).sms.signOut())
    // The first tab is in the background now, where requestAnimationFrame (Playwright's default
    // polling) does not run: poll on a timer instead.
    await page.waitForFunction(() => (window as unknown as Win).sms.getSession() === null, null, {
      polling: 100,
    })
    expect(await page.evaluate(() => (window as unknown as Win).changes.at(-1)?.reason)).toBe('end')
    expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBe(null)

    const refused = await fetch(`${edge.url}/v1/sessions/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: latest.refreshToken }),
    })
    expect(refused.status).toBe(401)
    const after = await fetch(`${edge.url}/v1/me`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(after.status).toBe(401)
    await context.close()
  }, 90_000)
})
