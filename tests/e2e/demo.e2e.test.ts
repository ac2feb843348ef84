/**
 * The demo site and the admin page end to end, in Chromium, against the real server of `npm start`
 * (fresh database): a person registers by phone, signs out and in, adds TOTP and backup codes,
 * changes phone; the site owner signs in to /admin/, sets the default country (the widget follows),
 * a policy (errors explained, nothing lost), a provider pointed at a local fake, and reads the audit.
 * Codes come from the development outbox.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../helpers/browser.js'
import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TWILIO_CREDENTIALS, startTwilio, type TwilioFake } from '../fakes/twilio.js'
import { freePort } from '../helpers/listen.js'
import { root, startServer, type Server } from '../helpers/server.js'

const ADMIN = 'demo-e2e-admin-token-0123456789'
const FIRST = '+919876500001'
const SECOND = '+919876500002'
let edge: Server
let browser: Browser
let twilio: TwilioFake

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/widget/widget.js'))) {
    execFileSync(join(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
      cwd: root,
    })
  }
  // The pages are same-origin with the API: the public URL must be the very origin they load from.
  const port = await freePort()
  const env = {
    PORT: String(port),
    SMS_AUTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
    SMS_AUTH_ADMIN_TOKEN: ADMIN,
    SMS_AUTH_SECRET: 'd'.repeat(64),
  }
  ;[edge, twilio] = await Promise.all([startServer({ runtime: 'node', env }), startTwilio()])
  expect((await admin('PATCH', '/v1/admin/settings', { defaultCountry: 'IN' })).status).toBe(200)
  browser = await launchChromium()
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await twilio?.close()
  await edge?.close()
})

function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${edge.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

async function outbox(phone: string): Promise<{ code: string }[]> {
  const r = await fetch(`${edge.url}/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
  return (await r.json()).messages
}

/** Runs `action`, then waits for the new message it sent to `phone` and returns its code. */
async function codeFrom(phone: string, action: () => Promise<unknown>): Promise<string> {
  const before = (await outbox(phone)).length
  await action()
  await expect
    .poll(async () => (await outbox(phone)).length, { timeout: 10_000 })
    .toBeGreaterThan(before)
  return (await outbox(phone))[0].code
}

async function sendCode(page: Page, national: string, phone: string): Promise<string> {
  // intl-tel-input loads lazily and wraps the field: type once its dial code is shown.
  await page.locator('.iti__selected-dial-code').first().waitFor()
  const field = page.getByLabel(/phone/i).first()
  await field.pressSequentially(national)
  return codeFrom(phone, () => page.getByRole('button', { name: /send code/i }).click())
}

async function enterCode(page: Page, code: string) {
  const field = page.getByLabel(/verification code/i).first()
  await field.waitFor()
  await field.pressSequentially(code)
}

describe('demo site', () => {
  let page: Page

  beforeAll(async () => {
    page = await browser.newPage()
  })

  it('registers by phone on signin.html; the profile shows the user', async () => {
    await page.goto(`${edge.url}/`)
    await page.getByRole('link', { name: 'Sign in or register' }).click()
    await expect.poll(() => page.url()).toMatch(/\/signin\.html$/)
    await enterCode(page, await sendCode(page, '98765 00001', FIRST))
    await page.getByLabel(/name/i).first().fill('Asha')
    await page.getByLabel(/email/i).first().fill('asha@example.com')
    await page.getByRole('button', { name: /create account/i }).click()
    await page.waitForURL(/\/profile\.html$/)
    await expect.poll(() => page.locator('#me-name').textContent()).toBe('Asha')
    expect(await page.locator('#me-phone').textContent()).toContain(FIRST)
    expect(await page.locator('#me-email').textContent()).toBe('asha@example.com')
    // The development outbox panel is on the page and shows the code it sent.
    await expect.poll(() => page.locator('aside.outbox').textContent()).toContain('#')
  }, 60_000)

  it('signs out, then signs in by phone', async () => {
    const token = await page.evaluate(
      () => JSON.parse(sessionStorage.getItem(`sms-auth:session:${location.origin}`)!).accessToken,
    )
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/signin\.html\?signed-out$/)
    const left = await page.evaluate(() =>
      sessionStorage.getItem(`sms-auth:session:${location.origin}`),
    )
    expect(left).toBeNull()
    const me = await fetch(`${edge.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(me.status).toBe(401)
    await enterCode(page, await sendCode(page, '9876500001', FIRST))
    await page.waitForURL(/\/profile\.html$/)
    await expect
      .poll(() => page.locator('#profile-status').textContent())
      .toBe('Signed in as Asha.')
  }, 60_000)

  it('adds an authenticator app and backup codes on the profile', async () => {
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click()
    const secret = (await page.locator('phone-verify code.secret').textContent())!.trim()
    const totp = new TOTP({
      secret: Secret.fromBase32(secret),
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
    })
    await page.getByLabel('Authenticator app code').fill(totp.generate())
    await page.getByRole('button', { name: 'Verify', exact: true }).click()
    await page.getByText('Authenticator app turned on.').waitFor()
    await expect
      .poll(() => page.locator('#me-twostep').textContent())
      .toContain('authenticator app on')

    await page.getByRole('button', { name: 'Make new backup codes' }).click()
    await expect.poll(() => page.locator('phone-verify ul.codes li').count()).toBe(10)
    await page.getByRole('button', { name: 'Done' }).click()
    await expect
      .poll(() => page.locator('#me-twostep').textContent())
      .toContain('10 backup codes left')
  }, 60_000)

  it('changes phone: a code to the current phone, then to the new one', async () => {
    await page.getByRole('button', { name: 'Change phone' }).click()
    const proof = await codeFrom(FIRST, () =>
      page.getByRole('button', { name: /send code/i }).click(),
    )
    await enterCode(page, proof)
    await page.getByText('Now enter your new phone number.').waitFor()
    await enterCode(page, await sendCode(page, '9876500002', SECOND))
    await page.getByText('Your phone is verified.', { exact: false }).waitFor()
    await expect.poll(() => page.locator('#me-phone').textContent()).toBe(`${SECOND} (verified)`)
  }, 60_000)

  it('signs in with email + password, then a code by SMS (sent at once: her only second factor)', async () => {
    const phone = '+919876500004'
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${edge.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      }).then((r) => r.json())
    const account = await post('/v1/users', {
      email: 'mira@example.com',
      password: 'a long enough one',
      name: 'Mira',
    })
    const token = account.session.accessToken
    const enroll = await post('/v1/verifications', { purpose: 'enroll', phone }, token)
    await post(
      `/v1/verifications/${enroll.id}/check`,
      { code: (await outbox(phone))[0]!.code },
      token,
    )

    const tab = await browser.newPage()
    await tab.goto(`${edge.url}/signin.html`)
    await tab.getByRole('button', { name: 'Use email and password' }).click()
    await tab.getByLabel(/email/i).first().fill('mira@example.com')
    await tab.getByLabel('Password').fill('a long enough one')
    const code = await codeFrom(phone, () =>
      tab.getByRole('button', { name: 'Sign in', exact: true }).click(),
    )
    await enterCode(tab, code)
    await tab.waitForURL(/\/profile\.html$/)
    await expect.poll(() => tab.locator('#me-name').textContent()).toBe('Mira')
    await tab.close()
  }, 60_000)

  it('stays on this origin after sign-in whatever ?next= says', async () => {
    const tab = await browser.newPage()
    const own = new URL(edge.url).origin
    for (const [next, lands] of [
      ['//evil.example', `${own}/profile.html`],
      // Browsers read a backslash as a slash: `/\evil` is `//evil`.
      ['/\\evil.example', `${own}/profile.html`],
      // Resolves to the path `//evil`, which location.assign would take for a host.
      ['/.//evil.example/x', `${own}//evil.example/x`],
    ]) {
      await tab.goto(`${edge.url}/signin.html?next=${encodeURIComponent(next)}`)
      // Mira's phone (the test before): her account has a password, the second factor.
      await enterCode(tab, await sendCode(tab, '9876500004', '+919876500004'))
      await tab.getByLabel('Password').fill('a long enough one')
      await tab.getByRole('button', { name: 'Continue' }).click()
      await tab.waitForURL((url) => !url.pathname.endsWith('/signin.html'))
      expect(tab.url(), next).toBe(lands)
    }
    await tab.close()
  }, 60_000)

  it('submits a verified phone in a plain form, and never an unverified one', async () => {
    const form = await browser.newPage()
    await form.goto(`${edge.url}/form.html`)
    await form.getByLabel('Your name').fill('Ravi')
    await form.getByRole('button', { name: 'Book delivery' }).click()
    expect(await form.locator('#posted').count()).toBe(0)
    const phone = '+919876500003'
    const code = await codeFrom(phone, async () => {
      await form.getByLabel(/phone/i).first().pressSequentially('9876500003')
      await form.getByRole('button', { name: 'Verify number' }).click()
    })
    await enterCode(form, code)
    await form.getByText(`${phone} is verified.`, { exact: false }).first().waitFor()
    await form.getByRole('button', { name: 'Book delivery' }).click()
    await expect
      .poll(() => form.locator('#posted').textContent())
      .toContain(`phone=${encodeURIComponent(phone)}`)
    await form.close()
  }, 60_000)
})

describe('admin page', () => {
  let page: Page

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  })

  it('signs in with the admin token only', async () => {
    await page.goto(`${edge.url}/admin`)
    const token = page.getByLabel('Admin token')
    await token.fill('not-the-token')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('This token was not accepted.').waitFor()
    expect(await token.inputValue()).toBe('not-the-token')
    await token.fill(ADMIN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('tab', { name: 'Integrations' }).waitFor()
  }, 30_000)

  it('sets the default country, and the widget phone field follows it', async () => {
    await page.getByRole('tab', { name: 'Regional' }).click()
    await expect.poll(() => page.locator('#defaultCountry').inputValue()).toBe('IN')
    const dial = page.frameLocator('#preview').locator('.iti__selected-dial-code')
    await expect.poll(() => dial.textContent()).toBe('+91')
    await page.getByLabel('Default country').selectOption('GB')
    await page.getByRole('button', { name: 'Save regional settings' }).click()
    await expect.poll(() => page.locator('#regional .form-status').textContent()).toContain('Saved')
    await expect.poll(() => dial.textContent(), { timeout: 10_000 }).toBe('+44')
    // Every other page's widget follows too.
    const shop = await browser.newPage()
    await shop.goto(`${edge.url}/signin.html`)
    await expect
      .poll(() => shop.locator('.iti__selected-dial-code').textContent(), { timeout: 10_000 })
      .toBe('+44')
    await shop.close()
    expect((await (await admin('GET', '/v1/admin/settings')).json()).defaultCountry).toBe('GB')
  }, 60_000)

  it('validates policies before saving, keeps what was typed, and previews the SMS', async () => {
    await page.getByRole('tab', { name: 'Policies' }).click()
    const length = page.getByLabel('Code length (digits)')
    await expect.poll(() => length.inputValue()).toBe('6')
    await length.fill('3')
    await page.getByRole('button', { name: 'Save policies' }).click()
    await page.locator('[data-field="codeLength"] .field-error').waitFor()
    expect(await length.inputValue()).toBe('3')
    await length.fill('8')
    await page.getByLabel('SMS text').fill('Your code is here')
    await page.getByRole('button', { name: 'Save policies' }).click()
    await page.locator('[data-field="messageTemplate"] .field-error').waitFor()
    expect(await page.locator('#policies .form-status').textContent()).toContain('Not saved')
    expect(await page.getByLabel('SMS text').inputValue()).toBe('Your code is here')
    expect((await (await admin('GET', '/v1/admin/settings')).json()).codeLength).toBe(6)
    await page.getByLabel('SMS text').fill('Your {site} code: {code}')
    await expect
      .poll(() => page.locator('#sms-preview').textContent())
      .toBe('Your sms-auth demo code: 12345678\n@127.0.0.1 #12345678')
    await page.getByRole('button', { name: 'Save policies' }).click()
    await expect.poll(() => page.locator('#policies .form-status').textContent()).toContain('Saved')
    const saved = await (await admin('GET', '/v1/admin/settings')).json()
    expect([saved.codeLength, saved.messageTemplate]).toEqual([8, 'Your {site} code: {code}'])
  }, 60_000)

  it('points Twilio at a local fake (server errors explained) and sends a test message; keys show masked', async () => {
    await page.getByRole('tab', { name: 'Integrations' }).click()
    const card = page.locator('#int-twilio')
    await card.waitFor()
    await card.getByLabel('Account SID').fill(TWILIO_CREDENTIALS.accountSid)
    await card.getByLabel('Auth token').fill(TWILIO_CREDENTIALS.authToken)
    await card.getByLabel('From').fill(TWILIO_CREDENTIALS.from)
    await card.getByLabel('Base URL (optional)').fill(twilio.baseUrl)
    // The server's refusal is explained beside its field, and nothing typed is lost.
    await card.getByLabel('From').fill('not a sender!')
    await card.getByRole('button', { name: 'Save Twilio' }).click()
    await card.locator('[data-field="from"] .field-error').waitFor()
    expect(await card.locator('.form-status').textContent()).toContain('Not saved')
    expect(await card.getByLabel('Auth token').inputValue()).toBe(TWILIO_CREDENTIALS.authToken)
    await card.getByLabel('From').fill(TWILIO_CREDENTIALS.from)
    await card.getByRole('button', { name: 'Save Twilio' }).click()
    await expect.poll(() => card.locator('.form-status').textContent()).toContain('Saved')
    expect(await card.getByLabel('Auth token').inputValue()).toBe('')
    expect(await card.getByLabel('Auth token').getAttribute('placeholder')).toMatch(/^saved: ••••/)
    expect(await page.content()).not.toContain(TWILIO_CREDENTIALS.authToken)
    const test = page.locator('#int-twilio-test')
    await test.getByLabel('Test phone number').fill('+1 415 555 2671')
    await test.getByRole('button', { name: 'Send test message' }).click()
    await expect.poll(() => test.locator('.form-status').textContent()).toContain('Sent by twilio')
    expect(twilio.messages).toHaveLength(1)
    expect(twilio.messages[0].text).toContain('@127.0.0.1 #')
  }, 60_000)

  it('shows the Clickatell and Smstools receipt URLs to paste into their portals, with a copy button', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: edge.url,
    })
    for (const provider of ['clickatell', 'smstools']) {
      const view = await (await admin('GET', `/v1/admin/integrations/${provider}`)).json()
      expect(view.callbackUrl).toMatch(
        new RegExp(`^${edge.url}/v1/webhooks/${provider}/[\\w-]{43}$`),
      )
      const box = page.getByRole('region', {
        name: new RegExp(`${provider} delivery receipts`, 'i'),
      })
      expect(await box.getByLabel('Delivery receipt URL').inputValue()).toBe(view.callbackUrl)
      await box.getByRole('button', { name: /copy/i }).click()
      await expect.poll(() => box.locator('.form-status').textContent()).toBe('Copied.')
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(view.callbackUrl)
    }
    // Twilio's callback is set on every message: nothing to paste.
    expect(await page.locator('#int-twilio-receipts').count()).toBe(0)
  }, 30_000)

  it('reads the audit, filtered by action', async () => {
    await page.getByRole('tab', { name: 'Audit' }).click()
    const rows = page.locator('#audit tbody tr')
    await expect.poll(() => rows.count()).toBeGreaterThan(3)
    expect(await page.locator('#audit tbody').textContent()).toContain('admin.settings')
    await page.getByLabel('Action').selectOption('account.register')
    await expect
      .poll(() => page.locator('#audit-form .form-status').textContent())
      .toContain('of account.register')
    const actions = await rows.locator('td:nth-child(2)').allTextContents()
    expect(actions.length).toBeGreaterThan(0)
    expect(new Set(actions)).toEqual(new Set(['account.register']))
  }, 30_000)
})
