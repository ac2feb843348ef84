/**
 * The admin page's bot challenge section end to end, in Chromium, against the real server (fresh
 * database): turning it on before its keys are set is refused beside the field; with the keys it
 * saves, the secret is never shown again (only that it is set), and /v1/config then asks for it.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverWithChromium } from '../helpers/admin-e2e.js'
import { jsonCaller, type Server } from '../helpers/server.js'

const ADMIN = 'challenge-admin-e2e-token-0123456789'
const SECRET = '0x4AAAAAAAtest-secret-key'
let edge: Server
let browser: Browser

const call = jsonCaller(() => edge.url)

beforeAll(async () => {
  ;({ edge, browser } = await serverWithChromium(ADMIN, 'd'.repeat(64)))
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await edge?.close()
})

describe('admin page, bot challenge', () => {
  it('refuses to turn it on without keys, then keys it and never shows the secret again', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    await page.goto(`${edge.url}/admin/#policies`)
    await page.getByLabel('Admin token').fill(ADMIN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Bot challenge' }).waitFor()
    const form = page.locator('#challenge-form')
    await expect
      .poll(() => form.getByLabel('Secret key').getAttribute('placeholder'))
      .toBe('not set')

    await form.getByLabel('When to ask').selectOption('adaptive')
    await form.getByRole('button', { name: 'Save bot challenge' }).click()
    await expect.poll(() => form.textContent()).toContain('set the site key')
    expect((await call('GET', '/v1/config')).body.challenge).toBeNull()

    await form.getByLabel('Provider').selectOption('hcaptcha')
    await form.getByLabel('Site key (public)').fill('10000000-ffff-ffff-ffff-000000000001')
    await form.getByLabel('Secret key').fill(SECRET)
    await form.getByRole('button', { name: 'Save bot challenge' }).click()
    await expect.poll(() => form.locator('.form-status').textContent()).toBe('Bot challenge saved.')
    expect(await form.getByLabel('Secret key').inputValue()).toBe('')
    expect(await form.getByLabel('Secret key').getAttribute('placeholder')).toMatch(/^set/)

    const cfg = (await call('GET', '/v1/config')).body
    expect(cfg.challenge).toEqual({
      provider: 'hcaptcha',
      siteKey: '10000000-ffff-ffff-ffff-000000000001',
      mode: 'adaptive',
      scriptUrl: 'https://js.hcaptcha.com/1/api.js?render=explicit',
    })
    const keys = await call('GET', '/v1/admin/challenge', undefined, ADMIN)
    expect(keys.body.secretKeySet).toBe(true)
    expect(JSON.stringify(keys.body)).not.toContain(SECRET)
    expect(await page.content()).not.toContain(SECRET)
    await page.close()
  })
})
