/**
 * "Forgot password?" end to end, in Chromium, on the demo's sign-in page against the real server
 * of `npm start` (fresh database): a person with an email + password account and a verified phone
 * resets the password by SMS (by the email, then by the number), is signed in on the profile page,
 * and the old password is refused. Codes come from the development outbox.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { launchChromium } from '../helpers/browser.js'
import { freePort } from '../helpers/listen.js'
import { root, jsonCaller, startServer, type Server } from '../helpers/server.js'

const PHONE = '+919876523456'
const EMAIL = 'ravi@example.com'
const OLD = 'correct horse battery staple'
let edge: Server
let browser: Browser

const call = jsonCaller(() => edge.url)

const outbox = async (): Promise<{ code: string }[]> =>
  (await call('GET', `/v1/dev/outbox?to=${encodeURIComponent(PHONE)}`)).body.messages

/** Runs `action`, then waits for the new message it sent to the phone and returns its code. */
async function codeFrom(action: () => Promise<unknown>): Promise<string> {
  const before = (await outbox()).length
  await action()
  // vi.waitFor, not expect.poll: the account is made in beforeAll.
  await vi.waitFor(async () => expect((await outbox()).length).toBeGreaterThan(before), {
    timeout: 10_000,
    interval: 100,
  })
  return (await outbox())[0].code
}

/** Email + password, then a verified phone on the profile (`enroll`). */
async function register() {
  const u = await call('POST', '/v1/users', { email: EMAIL, password: OLD, name: 'Ravi' })
  expect(u.status).toBe(201)
  const token = u.body.session.accessToken as string
  let id = ''
  const code = await codeFrom(async () => {
    const v = await call('POST', '/v1/verifications', { purpose: 'enroll', phone: PHONE }, token)
    expect(v.status).toBe(201)
    id = v.body.id
  })
  const checked = await call('POST', `/v1/verifications/${id}/check`, { code }, token)
  expect(checked.body.user.phoneVerified).toBe(true)
}

async function toForgot(page: Page) {
  await page.goto(`${edge.url}/signin.html`)
  await page.getByRole('button', { name: 'Use email and password' }).click()
}

async function enterCode(page: Page, code: string) {
  const field = page.getByLabel(/verification code/i)
  await field.waitFor()
  await field.pressSequentially(code)
}

/** The code step, then the new password: signed in on the profile page. */
async function finish(page: Page, code: string, password: string) {
  await enterCode(page, code)
  await page.getByLabel('New password').fill(password)
  await page.getByRole('button', { name: 'Set password and sign in' }).click()
  await page.waitForURL(/\/profile\.html$/)
  await expect.poll(() => page.locator('#profile-status').textContent()).toBe('Signed in as Ravi.')
}

/** A password sign-in: `invalid_credentials`, or accepted (two-step asks for the phone next). */
const signIn = (password: string) => call('POST', '/v1/sessions', { email: EMAIL, password })

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
    SMS_AUTH_ADMIN_TOKEN: 'reset-e2e-admin-token-0123456789',
    SMS_AUTH_SECRET: 'f'.repeat(64),
  }
  ;[edge, browser] = await Promise.all([startServer({ runtime: 'node', env }), launchChromium()])
  await register()
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await edge?.close()
})

describe('demo sign-in page, "Forgot password?"', () => {
  it('resets a forgotten password by SMS; the old password is refused', async () => {
    const page = await browser.newPage()
    await toForgot(page)
    await page.getByLabel(/email/i).fill(EMAIL)
    await page.getByRole('button', { name: 'Forgot password?' }).click()
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor()
    // The email typed comes along; the code goes to the account's phone, which is never shown.
    expect(await page.getByLabel(/email/i).inputValue()).toBe(EMAIL)
    const code = await codeFrom(() => page.getByRole('button', { name: 'Send code' }).click())
    await page
      .getByRole('paragraph')
      .filter({ hasText: /If an account with a verified phone/ })
      .waitFor()
    expect(await page.locator('sms-login').evaluate((e) => e.shadowRoot!.textContent)).not.toMatch(
      /•|null/,
    )
    await finish(page, code, 'plum orbit lantern seven')

    expect((await signIn(OLD)).body.code).toBe('invalid_credentials')
    const next = await signIn('plum orbit lantern seven')
    expect(next.status).toBe(200)
    expect(next.body.mfaRequired).toBe(true)
    await page.close()
  }, 90_000)

  it('by the phone number too, and a common password is refused in place first', async () => {
    const page = await browser.newPage()
    await toForgot(page)
    await page.getByRole('button', { name: 'Forgot password?' }).click()
    await page.locator('.iti__selected-dial-code').first().waitFor()
    await page.getByLabel(/phone/i).first().pressSequentially('+91 98765 23456')
    const code = await codeFrom(() => page.getByRole('button', { name: 'Send code' }).click())
    await enterCode(page, code)
    await page.getByLabel('New password').fill('password123')
    await page.getByRole('button', { name: 'Set password and sign in' }).click()
    await page.getByText(/too easy to guess/).waitFor()
    await page.getByLabel('New password').fill('quiet harbour mango kite')
    await page.getByRole('button', { name: 'Set password and sign in' }).click()
    await page.waitForURL(/\/profile\.html$/)
    expect((await signIn('plum orbit lantern seven')).body.code).toBe('invalid_credentials')
    expect((await signIn('quiet harbour mango kite')).status).toBe(200)
    await page.close()
  }, 90_000)
})
