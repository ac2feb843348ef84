/**
 * The demo's profile page end to end, in Chromium, against the real server of `npm start` (fresh
 * database): `<phone-verify profile>` lists the devices signed in (this one marked), edits the
 * name, signs every other device out (its token then refused), and deletes the account after the
 * typed confirmation (back on the sign-in page; the password no longer signs in).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/browser.js'
import { freePort } from '../helpers/listen.js'
import { root, jsonCaller, startServer, type Server } from '../helpers/server.js'

const EMAIL = 'meera@example.com'
const PASSWORD = 'velvet canyon ribbon'
let edge: Server
let browser: Browser

const call = jsonCaller(() => edge.url)

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/widget/widget.js'))) {
    execFileSync(join(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
      cwd: root,
    })
  }
  const port = await freePort()
  const env = {
    PORT: String(port),
    SMS_AUTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
    SMS_AUTH_ADMIN_TOKEN: 'profile-e2e-admin-token-0123456789',
    SMS_AUTH_SECRET: 'c'.repeat(64),
  }
  ;[edge, browser] = await Promise.all([startServer({ runtime: 'node', env }), launchChromium()])
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await edge?.close()
})

const devices = (page: Page) => page.locator('phone-verify .devices li')

describe('demo profile page, <phone-verify profile>', () => {
  it('devices, name, "sign out everywhere else" and deleting the account', async () => {
    const made = await call('POST', '/v1/users', {
      email: EMAIL,
      password: PASSWORD,
      name: 'Meera',
    })
    expect(made.status).toBe(201)
    const other = made.body.session.accessToken as string

    const page = await browser.newPage()
    await page.goto(`${edge.url}/signin.html`)
    await page.getByRole('button', { name: 'Use email and password' }).click()
    await page.getByLabel(/email/i).fill(EMAIL)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL(/\/profile\.html$/)

    // Two sessions: this browser's and the one the registration opened.
    await expect.poll(() => devices(page).count()).toBe(2)
    expect(await devices(page).filter({ hasText: 'This device' }).count()).toBe(1)

    await page.getByRole('button', { name: 'Edit name and email' }).click()
    await page.getByLabel('Your name').fill('Meera Iyer')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.locator('#me-name').textContent()).toBe('Meera Iyer')

    await page.getByRole('button', { name: 'Sign out everywhere else' }).click()
    await expect.poll(() => devices(page).count()).toBe(1)
    expect((await call('GET', '/v1/me', undefined, other)).status).toBe(401)

    // Signed in a moment ago: the deletion needs no other proof than the typed word.
    await page.getByRole('button', { name: 'Delete my account…' }).click()
    await page.getByLabel('Type DELETE to confirm').fill('DELETE')
    await page.getByRole('button', { name: 'Delete my account for good' }).click()
    await page.waitForURL(/\/signin\.html\?deleted$/)
    await expect
      .poll(() => page.locator('#signed-in').textContent())
      .toBe('Your account was deleted.')
    expect((await call('POST', '/v1/sessions', { email: EMAIL, password: PASSWORD })).status).toBe(
      401,
    )
    await page.close()
  }, 90_000)
})
