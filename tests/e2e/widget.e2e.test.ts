/**
 * The widget end to end: the real edge on a port, a page on another origin with only the script
 * tag and <sms-login>, a new number registered and then signed in, in Chromium; codes from the
 * development outbox.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../helpers/browser.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type Server } from '../helpers/server.js'

const ADMIN = 'widget-e2e-admin-token-0123'
let edge: Server
let site: HttpServer
let siteOrigin: string
let browser: Browser

beforeAll(async () => {
  edge = await startServer({
    runtime: 'node',
    env: { SMS_AUTH_ADMIN_TOKEN: ADMIN, SMS_AUTH_SECRET: 'e'.repeat(64) },
  })
  site = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html')
    res.end(`<!doctype html><html lang="en"><body>
      <script type="module" src="${edge.url}/widget.js"></script>
      <sms-login></sms-login>
      <script>
        window.events = []
        for (const type of ['sms-auth-login', 'sms-auth-register', 'sms-auth-error'])
          document.addEventListener(type, (e) => window.events.push({ type, detail: e.detail }))
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

async function enterPhone(page: Page, national: string) {
  await page.goto(siteOrigin)
  // intl-tel-input loads lazily and wraps the field: type once its dial code is shown.
  await page.locator('.iti__selected-dial-code').first().waitFor()
  const phone = page.getByLabel(/phone/i).first()
  await phone.waitFor()
  await phone.pressSequentially(national)
  await page.getByRole('button', { name: /send code/i }).click()
}

describe('<sms-login> from another origin', () => {
  it('registers a new number, then signs it in', async () => {
    const page = await browser.newPage()
    await enterPhone(page, '9876512345')
    const codeField = page.getByLabel(/code/i).first()
    await codeField.waitFor()
    await codeField.pressSequentially(await code('+919876512345'))
    await page.getByLabel(/name/i).first().fill('Asha')
    await page.getByLabel(/email/i).first().fill('asha@example.com')
    await page.getByRole('button', { name: /create account/i }).click()
    await page.waitForFunction(() =>
      (window as unknown as { events: { type: string }[] }).events.some(
        (e) => e.type === 'sms-auth-register',
      ),
    )
    const registered = await page.evaluate(() =>
      (
        window as unknown as { events: { type: string; detail: { user: { phone: string } } }[] }
      ).events.find((e) => e.type === 'sms-auth-register'),
    )
    expect(registered?.detail.user.phone).toBe('+919876512345')

    const again = await browser.newPage()
    await enterPhone(again, '98765 12345')
    const field = again.getByLabel(/code/i).first()
    await field.waitFor()
    await field.pressSequentially(await code('+919876512345'))
    await again.waitForFunction(() =>
      (window as unknown as { events: { type: string }[] }).events.some(
        (e) => e.type === 'sms-auth-login',
      ),
    )
    const login = await again.evaluate(() =>
      (
        window as unknown as {
          events: {
            type: string
            detail: { user: { name: string }; session: { accessToken: string } }
          }[]
        }
      ).events.find((e) => e.type === 'sms-auth-login'),
    )
    expect(login?.detail.user.name).toBe('Asha')
    const me = await fetch(`${edge.url}/v1/me`, {
      headers: { authorization: `Bearer ${login?.detail.session.accessToken}` },
    })
    expect(me.status).toBe(200)
  }, 90_000)
})
