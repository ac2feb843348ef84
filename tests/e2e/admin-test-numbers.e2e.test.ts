/**
 * The admin page's test numbers end to end, in Chromium, against the real server of `npm start`
 * (fresh database): the admin adds a test number on the Policies tab, a reviewer signs up with it
 * and its code (nothing reaches the development outbox), and removing it (confirmed) refuses it.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverWithChromium } from '../helpers/admin-e2e.js'
import { jsonCaller, type Server } from '../helpers/server.js'

const ADMIN = 'test-numbers-e2e-admin-token-0123456789'
const PHONE = '+12015550142'
let edge: Server
let browser: Browser

const call = jsonCaller(() => edge.url)

beforeAll(async () => {
  ;({ edge, browser } = await serverWithChromium(ADMIN, 'f'.repeat(64)))
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await edge?.close()
})

describe('admin page, test numbers', () => {
  it('the admin adds one, a reviewer signs up with its code, and removing it refuses it', async () => {
    const refused = await call('POST', '/v1/verifications', { purpose: 'register', phone: PHONE })
    expect(refused.body.code).toBe('invalid_phone')

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    await page.goto(`${edge.url}/admin/#policies`)
    await page.getByLabel('Admin token').fill(ADMIN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Test numbers' }).waitFor()
    await page.getByLabel('Test number', { exact: true }).fill(PHONE)
    await page.getByLabel(/^Fixed code/).fill('1234')
    await page.getByRole('button', { name: 'Add test number' }).click()
    // The server's refusal shows beside the field, and nothing is listed.
    await expect.poll(() => page.locator('#test-number-form').textContent()).toContain('6 digits')
    await page.getByLabel(/^Fixed code/).fill('424242')
    await page.getByLabel('Description', { exact: true }).fill('App Store review')
    await page.getByRole('button', { name: 'Add test number' }).click()
    const rows = page.locator('#test-numbers tbody tr')
    await expect.poll(() => rows.count()).toBe(1)
    expect(await rows.first().textContent()).toContain('424242')
    expect(await rows.first().textContent()).toContain('App Store review')

    const v = await call('POST', '/v1/verifications', { purpose: 'register', phone: PHONE })
    expect(v.status).toBe(201)
    const checked = await call('POST', `/v1/verifications/${v.body.id}/check`, { code: '424242' })
    expect(checked.status).toBe(200)
    expect(checked.body.registrationTicket).toEqual(expect.any(String))
    expect((await call('GET', '/v1/dev/outbox?limit=200')).body.messages).toEqual([])

    // Removing asks first: dismissed, it stays; accepted, it goes, and the number is refused.
    page.once('dialog', (d) => void d.dismiss())
    await page.getByRole('button', { name: `Remove ${PHONE}` }).click()
    expect(await rows.count()).toBe(1)
    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: `Remove ${PHONE}` }).click()
    await expect.poll(() => rows.count()).toBe(0)
    const again = await call('POST', '/v1/verifications', { purpose: 'register', phone: PHONE })
    expect(again.body.code).toBe('invalid_phone')
    await page.close()
  }, 60_000)
})
