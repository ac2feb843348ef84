/**
 * The bot challenge end to end in adaptive mode (issue 15's "done when"): the real edge on a port,
 * a page on another origin with the script tag and <sms-login>, a local siteverify fake serving
 * the provider's script and its siteverify API, in Chromium. The first starts from the address go
 * through with no challenge and nothing of the provider fetched; once the address has started to
 * 3 numbers (risk), the next start is answered challenge_required, the widget loads the script,
 * shows the challenge, the user ticks it, the edge verifies the token and the start goes; the
 * code then signs the new number up.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECRET_KEY, SITE_KEY, startSiteverify, type SiteverifyFake } from '../fakes/siteverify.js'
import { launchChromium } from '../helpers/browser.js'
import { startServer, type Server } from '../helpers/server.js'

const ADMIN = 'challenge-e2e-admin-token-0123'
let edge: Server
let site: HttpServer
let siteOrigin: string
let browser: Browser
let fake: SiteverifyFake

async function admin(method: string, path: string, body: unknown) {
  const r = await fetch(`${edge.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(r.status, await r.clone().text()).toBe(200)
}

beforeAll(async () => {
  fake = await startSiteverify()
  edge = await startServer({
    runtime: 'node',
    env: { SMS_AUTH_ADMIN_TOKEN: ADMIN, SMS_AUTH_SECRET: 'c'.repeat(64) },
  })
  site = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html')
    res.end(`<!doctype html><html lang="en"><body>
      <script type="module" src="${edge.url}/widget.js"></script>
      <sms-login></sms-login>
      <script>
        window.events = []
        for (const type of ['sms-auth-register', 'sms-auth-error'])
          document.addEventListener(type, (e) => window.events.push({ type, detail: e.detail }))
      </script></body></html>`)
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  const address = site.address()
  siteOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  await admin('PUT', '/v1/admin/challenge', { secretKey: SECRET_KEY, baseUrl: fake.baseUrl })
  await admin('PATCH', '/v1/admin/settings', {
    allowedOrigins: [siteOrigin],
    defaultCountry: 'IN',
    challengeProvider: 'turnstile',
    challengeSiteKey: SITE_KEY,
    challengeMode: 'adaptive',
  })
  browser = await launchChromium()
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => site?.close(resolve))
  await edge?.close()
  await fake?.close()
})

async function code(phone: string): Promise<string> {
  const r = await fetch(`${edge.url}/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
  return (await r.json()).messages[0].code
}

async function enterPhone(page: Page, national: string) {
  await page.goto(siteOrigin)
  await page.locator('.iti__selected-dial-code').first().waitFor()
  const phone = page.getByLabel(/phone/i).first()
  await phone.waitFor()
  await phone.pressSequentially(national)
  await page.getByRole('button', { name: /send code/i }).click()
}

const providerScripts = (page: Page) =>
  page.evaluate(
    (origin) => [...document.scripts].filter((s) => s.src.startsWith(origin)).length,
    fake.baseUrl,
  )

describe('bot challenge, adaptive mode, in Chromium', () => {
  it('passes the first starts untouched, then challenges the risky one and lets it go with the token', async () => {
    // Three numbers from one address: no challenge, nothing of the provider fetched.
    for (const national of ['9876511001', '9876511002', '9876511003']) {
      const page = await browser.newPage()
      await enterPhone(page, national)
      await page.getByLabel(/code/i).first().waitFor()
      expect(await providerScripts(page)).toBe(0)
      await page.close()
    }
    expect(fake.scriptLoads()).toBe(0)
    expect(fake.verifications()).toHaveLength(0)

    // The fourth: the address now shows risk.
    const page = await browser.newPage()
    await enterPhone(page, '9876511004')
    const box = page.getByRole('button', { name: 'I am human' })
    await box.waitFor()
    expect(fake.scriptLoads()).toBe(1)
    expect(await providerScripts(page)).toBe(1)
    await expect(page.getByRole('dialog').textContent()).resolves.toMatch(/not a robot/i)
    const errors = await page.evaluate(() =>
      (window as unknown as { events: { type: string; detail: { code: string } }[] }).events
        .filter((e) => e.type === 'sms-auth-error')
        .map((e) => e.detail.code),
    )
    expect(errors).toEqual([])
    await box.click()

    // The token went to siteverify with the secret; the start went and the code signs up.
    const codeField = page.getByLabel(/code/i).first()
    await codeField.waitFor()
    const [sent] = fake.verifications()
    expect(sent!.get('secret')).toBe(SECRET_KEY)
    expect(sent!.get('response')).toMatch(/^fake\./)
    expect(fake.verifications()).toHaveLength(1)
    await codeField.pressSequentially(await code('+919876511004'))
    await page.getByLabel(/name/i).first().fill('Ravi')
    await page.getByLabel(/email/i).first().fill('ravi@example.com')
    await page.getByRole('button', { name: /create account/i }).click()
    await page.waitForFunction(() =>
      (window as unknown as { events: { type: string }[] }).events.some(
        (e) => e.type === 'sms-auth-register',
      ),
    )
    await page.close()
  })
})
