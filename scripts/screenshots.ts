/**
 * One-off: the README's pictures of the demo (docs/home.png, docs/profile.png, docs/admin.png),
 * taken in Chromium from a fresh server. Run after `npx vite build`: `npx tsx scripts/screenshots.ts`.
 */
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { root, startServer } from '../tests/helpers/server.js'

const ADMIN = 'screenshots-admin-token-0123456789'
const PHONE = '+919876543210'

const server = await startServer({
  runtime: 'node',
  env: { PORT: '8797', SMS_AUTH_PUBLIC_URL: 'http://127.0.0.1:8797', SMS_AUTH_ADMIN_TOKEN: ADMIN },
})
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
})
try {
  const call = async (method: string, path: string, body?: unknown, token = ADMIN) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`)
    return r.json()
  }
  await call('PATCH', '/v1/admin/settings', { siteName: 'Corner Shop', defaultCountry: 'IN' })
  // A user registered by phone, as <sms-login> does it.
  const v = await call('POST', '/v1/verifications', { purpose: 'register', phone: PHONE })
  const { messages } = await call('GET', `/v1/dev/outbox?to=${encodeURIComponent(PHONE)}`)
  const { registrationTicket } = await call('POST', `/v1/verifications/${v.id}/check`, {
    code: messages[0].code,
  })
  const signedIn = await call('POST', '/v1/users', {
    registrationTicket,
    name: 'Asha Rao',
    email: 'asha@example.com',
  })

  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
  const shot = async (name: string) => {
    await page.waitForLoadState('networkidle')
    await page.screenshot({ path: join(root, 'docs', `${name}.png`) })
  }
  await page.goto(`${server.url}/`)
  await shot('home')
  await page.evaluate((s) => sessionStorage.setItem('sms-auth-demo', JSON.stringify(s)), signedIn)
  await page.goto(`${server.url}/profile.html`)
  await page.locator('#me-name').filter({ hasText: 'Asha' }).waitFor()
  await page.getByRole('button', { name: 'Make new backup codes' }).waitFor()
  await shot('profile')
  await page.goto(`${server.url}/admin/`)
  await page.getByLabel('Admin token').fill(ADMIN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('tab', { name: 'Regional' }).click()
  await page.frameLocator('#preview').locator('.iti__selected-dial-code').filter({ hasText: '+91' }).waitFor()
  await shot('admin')
  console.log('docs/home.png, docs/profile.png, docs/admin.png')
} finally {
  await browser.close()
  await server.close()
}
