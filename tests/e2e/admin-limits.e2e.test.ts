/**
 * The Policies tab's limits end to end, in Chromium, against the real server of `npm start` (fresh
 * database): every tunable limit shows its meaning, default and range from GET /v1/admin/limits;
 * an out-of-range value is refused beside its field and changes nothing; a stricter value is saved
 * and takes effect on the API at once.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverWithChromium } from '../helpers/admin-e2e.js'
import { jsonCaller, type Server } from '../helpers/server.js'

const ADMIN = 'limits-e2e-admin-token-0123456789abcdef'
let edge: Server
let browser: Browser
let page: Page

const call = jsonCaller(() => edge.url)

beforeAll(async () => {
  ;({ edge, browser } = await serverWithChromium(ADMIN, 'e'.repeat(64)))
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  await page.goto(`${edge.url}/admin/#policies`)
  await page.getByLabel('Admin token').fill(ADMIN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Limits' }).waitFor()
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await edge?.close()
})

describe('admin page, limits', () => {
  it('shows every limit with its meaning, default and range, from the server', async () => {
    const { limits } = (await call('GET', '/v1/admin/limits', undefined, ADMIN)).body as {
      limits: { setting: string | null; label: string; default: number; min: number; max: number }[]
    }
    const tunable = limits.filter((l) => l.setting)
    expect(tunable.length).toBeGreaterThanOrEqual(9)
    for (const l of tunable) {
      const input = page.locator(`#limits-form input[name="${l.setting}"]`)
      await expect.poll(() => input.inputValue()).toBe(String(l.default))
      expect([await input.getAttribute('min'), await input.getAttribute('max')]).toEqual([
        String(l.min),
        String(l.max),
      ])
      const help = await page.locator(`#limit-${l.setting}-help`).textContent()
      expect(help).toContain(`Default ${l.default}`)
      expect(help).toContain(`${l.min}–${l.max}`)
      // The label names it, so assistive technology finds the field by what it limits.
      await expect.poll(() => page.getByLabel(new RegExp(`^${l.label} \\(`)).count()).toBe(1)
    }
    const fixed = page.locator('#fixed-limits tbody tr')
    expect(await fixed.count()).toBe(limits.length - tunable.length)
    expect(await page.locator('#fixed-limits').textContent()).toContain('NIST SP 800-63B-4')
  }, 60_000)

  it('refuses an out-of-range value beside its field and changes nothing', async () => {
    const perNumber = page.getByLabel(/^Codes per phone number/)
    await perNumber.fill('11')
    await page.getByRole('button', { name: 'Save limits' }).click()
    await page.locator('#limits-form [data-field="messagesPerNumber"] .field-error').waitFor()
    expect(await perNumber.inputValue()).toBe('11')
    expect(await perNumber.getAttribute('aria-invalid')).toBe('true')
    // The divisor rule, which the browser cannot check alone.
    const failures = page.getByLabel(/^Consecutive failures per account/)
    await perNumber.fill('5')
    await failures.fill('30')
    await page.getByRole('button', { name: 'Save limits' }).click()
    await page.locator('#limits-form [data-field="lockAfterFailures"] .field-error').waitFor()
    expect(await page.locator('#limits-form .form-status').textContent()).toContain('Not saved')
    const settings = (await call('GET', '/v1/admin/settings', undefined, ADMIN)).body
    expect([settings.messagesPerNumber, settings.lockAfterFailures]).toEqual([5, 20])
    await failures.fill('20')
  }, 60_000)

  it('saves a stricter limit, which the API applies at once', async () => {
    await page.getByLabel(/^Codes per phone number/).fill('2')
    await page.getByRole('button', { name: 'Save limits' }).click()
    await expect
      .poll(() => page.locator('#limits-form .form-status').textContent())
      .toContain('codes per phone number 2')
    expect((await call('GET', '/v1/admin/settings', undefined, ADMIN)).body.messagesPerNumber).toBe(
      2,
    )
    const phone = '+919812345678'
    const starts = []
    for (let i = 0; i < 3; i++)
      starts.push((await call('POST', '/v1/verifications', { purpose: 'register', phone })).status)
    expect(starts).toEqual([201, 201, 429])
    // The breaker's switch sits with its limits and saves the same way.
    await page
      .getByRole('group', { name: 'Pumping breaker' })
      .getByLabel('The breaker is on')
      .uncheck()
    await page.getByRole('button', { name: 'Save limits' }).click()
    await expect
      .poll(() => page.locator('#limits-form .form-status').textContent())
      .toContain('pumping breaker off')
    expect((await call('GET', '/v1/admin/settings', undefined, ADMIN)).body.breakerEnabled).toBe(
      false,
    )
    // Reloaded, the page shows the value in force.
    await page.reload()
    await page.getByRole('heading', { name: 'Limits' }).waitFor()
    await expect.poll(() => page.getByLabel(/^Codes per phone number/).inputValue()).toBe('2')
    expect(await page.getByLabel('The breaker is on').isChecked()).toBe(false)
  }, 60_000)
})
