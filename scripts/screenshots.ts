/**
 * One-off: the README's pictures of the demo (docs/home.png, docs/profile.png, docs/admin.png,
 * docs/picker.png, docs/arabic.png, docs/account.png, docs/reset.png, docs/users.png,
 * docs/events.png, docs/fraud.png, docs/activity.png), taken in Chromium from a fresh server. Run after
 * `npx vite build`: `npx tsx scripts/screenshots.ts [name …]` (no names: all of them). The flags
 * are emoji and the Arabic needs a font: Debian's fonts-noto-color-emoji and fonts-noto-core.
 */
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { fromSignedIn } from '../widget/client/session.js'
import { storageKey } from '../widget/client/registry.js'
import { root, startServer } from '../tests/helpers/server.js'
import { seedActivity } from './activity-seed.js'

const ADMIN = 'screenshots-admin-token-0123456789'
const PHONE = '+919876543210'
const only = process.argv.slice(2)
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'
const DESKTOP =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const want = (name: string) => only.length === 0 || only.includes(name)

const server = await startServer({
  runtime: 'node',
  env: {
    PORT: '8797',
    SMS_AUTH_PUBLIC_URL: 'http://127.0.0.1:8797',
    SMS_AUTH_ADMIN_TOKEN: ADMIN,
    // The fraud picture's pumping comes from many addresses (X-Forwarded-For), as a script's does.
    SMS_AUTH_TRUST_PROXY: '1',
  },
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
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    token = ADMIN,
    ua = DESKTOP,
  ) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        // The devices list names a session's device from it.
        'user-agent': ua,
      },
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

  const page = await browser.newPage({
    viewport: { width: 1280, height: 860 },
    userAgent: DESKTOP,
  })
  // The session as the widget's store keeps it (widget/client/session.ts), for the API's origin.
  const keepSession = () =>
    page.evaluate(({ key, value }) => sessionStorage.setItem(key, JSON.stringify(value)), {
      key: storageKey(server.url),
      value: fromSignedIn(signedIn, Date.now()),
    })
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
    await keepSession()
    await page.goto(`${server.url}/profile.html`)
    await page.locator('#me-name').filter({ hasText: 'Asha' }).waitFor()
    await page.getByRole('button', { name: 'Make new backup codes' }).waitFor()
    await shot('profile')
    await page.evaluate(() => sessionStorage.clear())
  }
  // The account part of the profile: devices (a second one signed in by SMS) and deletion.
  if (want('account')) {
    const v2 = await call('POST', '/v1/verifications', { purpose: 'login', phone: PHONE })
    const { messages: m2 } = await call('GET', `/v1/dev/outbox?to=${encodeURIComponent(PHONE)}`)
    await call('POST', `/v1/verifications/${v2.id}/check`, { code: m2[0].code }, ADMIN, IPHONE)
    await page.goto(`${server.url}/`)
    await keepSession()
    await page.goto(`${server.url}/profile.html`)
    await page.getByText('This device').waitFor()
    const devices = page.getByRole('heading', { name: 'Your devices' })
    await devices.evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await page.evaluate(() => window.scrollBy(0, -24))
    await shot('account')
    await page.evaluate(() => sessionStorage.clear())
  }
  // "Forgot password?": the code step of a reset asked by email (no number is shown).
  if (want('reset')) {
    await page.setViewportSize({ width: 1000, height: 720 })
    await page.goto(`${server.url}/signin.html`)
    const login = page.locator('sms-login')
    await login.getByRole('button', { name: 'Use email and password' }).click()
    await login.getByRole('button', { name: 'Forgot password?' }).click()
    await login.getByRole('button', { name: 'Use your email address instead' }).click()
    await login.locator('#email').fill('asha@example.com')
    await login.locator('button[type="submit"]').click()
    await login.locator('input[autocomplete="one-time-code"]').first().waitFor()
    const box = (await page.locator('sms-login').boundingBox())!
    await shot('reset', {
      x: box.x - 16,
      y: box.y - 16,
      width: box.width + 32,
      height: box.height + 32,
    })
    await page.setViewportSize({ width: 1280, height: 860 })
  }
  const adminSignIn = async () => {
    // Signed out first: the admin page keeps its token in the tab.
    await page.goto(`${server.url}/admin/`)
    await page.evaluate(() => sessionStorage.clear())
    await page.reload()
    await page.getByLabel('Admin token').fill(ADMIN)
    await page.locator('#signin-form button[type="submit"]').click()
    await page.getByRole('tab', { name: 'Users' }).waitFor()
  }
  if (want('users')) {
    for (const [name, email, phone] of [
      ['Ravi Kumar', 'ravi@example.com', '+919812345670'],
      ['Meera Iyer', 'meera@example.com', '+919812345671'],
    ]) {
      const r = await call('POST', '/v1/verifications', { purpose: 'register', phone })
      const { messages: m } = await call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
      const t = await call('POST', `/v1/verifications/${r.id}/check`, { code: m[0].code })
      await call('POST', '/v1/users', { registrationTicket: t.registrationTicket, name, email })
    }
    await adminSignIn()
    await page.getByRole('tab', { name: 'Users' }).click()
    await page.getByRole('cell', { name: 'Asha Rao' }).first().click()
    await page
      .getByRole('button', { name: /end sessions|sign out/i })
      .first()
      .waitFor()
    await shot('users')
  }
  if (want('events')) {
    await call('POST', '/v1/admin/event-endpoints', {
      url: 'https://shop.example/webhooks/sms-auth',
      description: 'The shop backend',
    })
    await adminSignIn()
    await page.getByRole('tab', { name: 'Events' }).click()
    await page.getByText('https://shop.example/webhooks/sms-auth').first().waitFor()
    await shot('events')
  }
  if (want('fraud')) {
    // Three Indian prefixes pumped (20 first codes each, 3, 0 and 1 of them entered) trip the
    // breaker, and with them their country; a UK prefix is marked safe beforehand.
    await call('POST', `/v1/admin/breaker/${encodeURIComponent('+44791234')}/safe`)
    let address = 0
    const from = async (method: string, path: string, body: unknown) => {
      const r = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.0.${++address}` },
        body: JSON.stringify(body),
      })
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`)
      return r.json()
    }
    for (const [prefix, entered] of [
      ['+91987100', 3],
      ['+91987200', 0],
      ['+91987300', 1],
    ] as const) {
      for (let i = 0; i < 20; i++) {
        const phone = `${prefix}${String(i % 10).padStart(4, '0')}`
        const r = await from('POST', '/v1/verifications', { purpose: 'register', phone })
        if (i >= entered) continue
        const { messages: m } = await call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
        await from('POST', `/v1/verifications/${r.id}/check`, { code: m[0].code })
      }
    }
    await adminSignIn()
    await page.getByRole('tab', { name: 'Fraud' }).click()
    await page.locator('#breaker tbody tr[data-scope="IN"]').waitFor()
    await shot('fraud')
  }
  // The Activity tab: today's figures are the flows above; the month before is seeded.
  if (want('activity')) {
    await seedActivity(join(server.dir, 'sms-auth.db'))
    await call('PATCH', '/v1/admin/settings', { spendCapDaily: 12_000_000 })
    // Today so far: 24 codes, 21 of them entered.
    for (let i = 0; i < 24; i++) {
      const to = `+9198223${String(10000 + i)}`
      const r = await call('POST', '/v1/verifications', { purpose: 'register', phone: to })
      if (i % 8 === 7) continue
      const { messages: m } = await call('GET', `/v1/dev/outbox?to=${encodeURIComponent(to)}`)
      await call('POST', `/v1/verifications/${r.id}/check`, { code: m[0].code })
    }
    await page.setViewportSize({ width: 1280, height: 1290 })
    await adminSignIn()
    await page.getByRole('tab', { name: 'Activity' }).click()
    await page.locator('#chart-trips canvas').waitFor()
    await shot('activity')
    await page.setViewportSize({ width: 1280, height: 860 })
  }
  if (want('admin')) {
    await adminSignIn()
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
