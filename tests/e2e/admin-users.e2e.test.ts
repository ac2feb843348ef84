/**
 * The admin page's Users tab end to end, in Chromium, against the real server of `npm start`
 * (fresh database): a named support admin signs in to the admin page with their own account (phone,
 * then password, through the embedded <sms-login>), finds a user by the last digits of the phone,
 * opens the user's page and disables the account (confirming it), and the session that user had
 * open fails at once. Support sees Users, Audit and Fraud (read only) only, and the server refuses
 * them the rest.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverWithChromium } from '../helpers/admin-e2e.js'
import { jsonCaller, type Server } from '../helpers/server.js'

const ADMIN = 'users-e2e-admin-token-0123456789'
const PHONE = '+919876512345'
const STAFF_PHONE = '+919876523456'
const STAFF_PASSWORD = 'support staff passphrase 42'
let edge: Server
let browser: Browser

const call = jsonCaller(() => edge.url)

/** The newest code sent to `phone` once there are more than `before` messages to it. */
async function codeTo(phone: string, before = 0): Promise<string> {
  const inbox = async () =>
    (await call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body.messages as {
      code: string
    }[]
  await expect.poll(async () => (await inbox()).length, { timeout: 10_000 }).toBeGreaterThan(before)
  return (await inbox())[0]!.code
}

/** Registers a phone account through the API, reading the code from the development outbox. */
async function registerByPhone(name: string, email: string) {
  const v = await call('POST', '/v1/verifications', { purpose: 'register', phone: PHONE })
  expect(v.status).toBe(201)
  const code = await codeTo(PHONE)
  const checked = await call('POST', `/v1/verifications/${v.body.id}/check`, { code })
  const u = await call('POST', '/v1/users', {
    registrationTicket: checked.body.registrationTicket,
    name,
    email,
  })
  expect(u.status).toBe(201)
  return u.body.session as { accessToken: string; refreshToken: string }
}

/** Support staff: an email + password account with a verified phone, made a support admin. */
async function supportStaff() {
  // The widget's phone field defaults to the site's country.
  expect((await call('PATCH', '/v1/admin/settings', { defaultCountry: 'IN' }, ADMIN)).status).toBe(
    200,
  )
  const u = await call('POST', '/v1/users', {
    name: 'Sam Support',
    email: 'sam@example.com',
    password: STAFF_PASSWORD,
  })
  expect(u.status).toBe(201)
  const token = u.body.session.accessToken
  const v = await call(
    'POST',
    '/v1/verifications',
    { purpose: 'enroll', phone: STAFF_PHONE },
    token,
  )
  expect(v.status).toBe(201)
  const ok = await call(
    'POST',
    `/v1/verifications/${v.body.id}/check`,
    { code: await codeTo(STAFF_PHONE) },
    token,
  )
  expect(ok.status).toBe(200)
  const made = await call(
    'POST',
    '/v1/admin/admins',
    { email: 'sam@example.com', role: 'support' },
    ADMIN,
  )
  expect(made.status).toBe(201)
}

beforeAll(async () => {
  ;({ edge, browser } = await serverWithChromium(ADMIN, 'e'.repeat(64)))
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await edge?.close()
})

describe('admin page, Users tab', () => {
  it('a support admin signs in with their account, finds a user by phone digits and disables them; the open session fails', async () => {
    await supportStaff()
    const session = await registerByPhone('Kiran Shah', 'kiran@example.com')
    await call('POST', '/v1/users', {
      name: 'Other Person',
      email: 'other@example.com',
      password: 'correct horse battery staple',
    })
    expect((await call('GET', '/v1/me', undefined, session.accessToken)).status).toBe(200)

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    await page.goto(`${edge.url}/admin/#users`)
    // Their own account in the embedded widget: the phone, the SMS code, then the password.
    const login = page.locator('sms-login')
    await login.locator('.iti__selected-dial-code').waitFor()
    await login.getByLabel(/phone/i).first().pressSequentially('9876523456')
    const sent = (await call('GET', `/v1/dev/outbox?to=${encodeURIComponent(STAFF_PHONE)}`)).body
      .messages.length
    await login.getByRole('button', { name: /send code/i }).click()
    await login
      .getByLabel(/verification code/i)
      .first()
      .pressSequentially(await codeTo(STAFF_PHONE, sent))
    await login.getByLabel('Password').fill(STAFF_PASSWORD)
    await login.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('tab', { name: 'Users' }).click()
    await expect
      .poll(() => page.locator('#site-name').textContent())
      .toContain('Sam Support (support)')
    // Support sees Users, Audit, Fraud (the breaker's list, read only) and Activity only.
    for (const hidden of ['Integrations', 'Regional', 'Policies', 'Events', 'Admins'])
      expect(await page.getByRole('tab', { name: hidden }).count(), hidden).toBe(0)
    await page.getByRole('tab', { name: 'Audit' }).waitFor()
    await page.getByRole('tab', { name: 'Fraud' }).click()
    await page.getByText('Releasing a block or marking safe is for owners.').waitFor()
    await expect.poll(() => page.locator('#breaker tbody').textContent()).toContain('No prefix')
    expect(await page.locator('#breaker thead').textContent()).not.toContain('Actions')
    // and the Activity figures (counts only), charts and all.
    await page.getByRole('tab', { name: 'Activity' }).click()
    await page.locator('#chart-trips canvas').waitFor()
    await expect.poll(() => page.locator('#activity-summary').textContent()).toMatch(/\d+ started/)
    await page.getByRole('tab', { name: 'Users' }).click()
    const rows = page.locator('#users tbody tr')
    await expect.poll(() => rows.count()).toBe(3) // Kiran, Other and Sam

    await page.getByLabel(/last digits of the phone/).fill('12345')
    await page.getByRole('button', { name: 'Search' }).click()
    await expect.poll(() => rows.count()).toBe(1)
    await page.getByRole('button', { name: 'Kiran Shah' }).click()
    await page.getByRole('heading', { name: 'Kiran Shah' }).waitFor()
    await expect.poll(() => page.locator('#user-facts').textContent()).toContain('Active')
    expect(await page.getByRole('button', { name: 'Delete' }).isVisible()).toBe(false)

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

    // The audit names who did it; the server refuses support what the page does not show.
    const audit = await call('GET', '/v1/admin/audit?action=admin.user.update', undefined, ADMIN)
    expect(audit.body.events[0].actor).toMatch(/^admin:usr_/)
    // The page's own session (a string: vitest would rewrite an import() in a function).
    const staffToken: string = await page.evaluate(
      "import('/widget.js').then((w) => w.getAccessToken({ storage: 'memory' }))",
    )
    expect((await call('GET', '/v1/admin/me', undefined, staffToken)).body).toMatchObject({
      role: 'support',
      name: 'Sam Support',
    })
    const patch = await call('PATCH', '/v1/admin/settings', { siteName: 'Taken over' }, staffToken)
    expect(patch).toMatchObject({ status: 403, body: { code: 'forbidden' } })
    await page.getByRole('tab', { name: 'Audit' }).click()
    await expect
      .poll(() => page.locator('#audit tbody').textContent())
      .toContain('Sam Support (admin)')
    await page.close()
  }, 60_000)
})

describe('admin page, Admins tab', () => {
  it('an owner adds an admin by email (refused for an account without a phone), changes the role and removes them, confirming each', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    await page.goto(`${edge.url}/admin/#admins`)
    await page.getByLabel('Admin token').fill(ADMIN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('tab', { name: 'Admins' }).click()
    const rows = page.locator('#admins tbody tr')
    // Sam, made support by the test before.
    await expect.poll(() => rows.count()).toBe(1)
    expect(await page.getByLabel('Role of Sam Support').inputValue()).toBe('support')

    // Other Person has a password but no phone: the server says why, nothing is added.
    await page.getByLabel('Email of the account to add').fill('other@example.com')
    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: 'Add admin' }).click()
    await expect
      .poll(() => page.locator('#admins-form .form-status').textContent())
      .toContain('policy_violation')
    expect(await rows.count()).toBe(1)

    page.once('dialog', (d) => void d.accept())
    await page.getByLabel('Role of Sam Support').selectOption('owner')
    await expect
      .poll(() => page.locator('#admins-form .form-status').textContent())
      .toContain('Role changed')
    const list = await call('GET', '/v1/admin/admins', undefined, ADMIN)
    expect(list.body.admins[0].role).toBe('owner')

    // Removing asks first: dismissed, Sam stays; accepted, Sam's admin access is gone.
    page.once('dialog', (d) => void d.dismiss())
    await page.getByRole('button', { name: 'Remove Sam Support' }).click()
    expect(await rows.count()).toBe(1)
    expect((await call('GET', '/v1/admin/admins', undefined, ADMIN)).body.admins).toHaveLength(1)
    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: 'Remove Sam Support' }).click()
    await expect.poll(() => rows.count()).toBe(0)
    expect((await call('GET', '/v1/admin/admins', undefined, ADMIN)).body.admins).toEqual([])
    await page.close()
  }, 60_000)
})
