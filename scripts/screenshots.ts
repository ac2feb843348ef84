/**
 * One-off: the README's pictures of the demo (docs/home.png, docs/profile.png, docs/admin.png,
 * docs/picker.png, docs/arabic.png), taken in Chromium from a fresh server. Run after
 * `npx vite build`: `npx tsx scripts/screenshots.ts [name …]` (no names: all of them). The flags
 * are emoji and the Arabic needs a font: Debian's fonts-noto-color-emoji and fonts-noto-core.
 */
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { root, startServer } from '../tests/helpers/server.js'

const ADMIN = 'screenshots-admin-token-0123456789'
const PHONE = '+919876543210'
const only = process.argv.slice(2)
const want = (name: string) => only.length === 0 || only.includes(name)

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
  const taken: string[] = []
  const shot = async (
    name: string,
    clip?: { x: number; y: number; width: number; height: number },
  ) => {
    await page.waitForLoadState('networkidle')
    await page.screenshot({ path: join(root, 'docs', `${name}.png`), clip })
    taken.push(`docs/${name}.png`)
  }
  if (want('home')) {
    await page.goto(`${server.url}/`)
    await shot('home')
  }
  if (want('profile')) {
    await page.goto(`${server.url}/`)
    await page.evaluate((s) => sessionStorage.setItem('sms-auth-demo', JSON.stringify(s)), signedIn)
    await page.goto(`${server.url}/profile.html`)
    await page.locator('#me-name').filter({ hasText: 'Asha' }).waitFor()
    await page.getByRole('button', { name: 'Make new backup codes' }).waitFor()
    await shot('profile')
    await page.evaluate(() => sessionStorage.clear())
  }
  if (want('admin')) {
    await page.goto(`${server.url}/admin/`)
    await page.getByLabel('Admin token').fill(ADMIN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('tab', { name: 'Regional' }).click()
    await page
      .frameLocator('#preview')
      .locator('.iti__selected-dial-code')
      .filter({ hasText: '+91' })
      .waitFor()
    await shot('admin')
  }
  // The country picker open, with its flags, on the sign-in page; then the same in Arabic on a
  // phone-sized screen, a number typed (it reads left to right) and the list inside the screen.
  const openPicker = async () => {
    await page.locator('sms-login .iti__selected-country').click()
    await page.locator('sms-login .iti__country-list').waitFor()
  }
  if (want('picker')) {
    await page.setViewportSize({ width: 1000, height: 720 })
    await page.goto(`${server.url}/signin.html`)
    await page.locator('sms-login #phone').pressSequentially('98765 43210')
    await openPicker()
    const box = (await page.locator('sms-login').boundingBox())!
    await shot('picker', { x: box.x - 16, y: box.y - 16, width: box.width + 32, height: 470 })
  }
  if (want('arabic')) {
    await page.setViewportSize({ width: 375, height: 740 })
    await page.goto(`${server.url}/signin.html`)
    await page.evaluate(() => document.querySelector('sms-login')?.setAttribute('locale', 'ar'))
    await page.locator('sms-login .box[dir="rtl"] .iti[dir="ltr"]').waitFor()
    await page.locator('sms-login #phone').pressSequentially('+1 650 253 0000')
    await page.locator('sms-login').evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await openPicker()
    await shot('arabic')
  }
  console.log(taken.join(', '))
} finally {
  await browser.close()
  await server.close()
}
