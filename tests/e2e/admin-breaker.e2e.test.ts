/**
 * The admin page's Fraud tab end to end, in Chromium, against the real server of `npm start`
 * (fresh database): two prefixes trip the pumping breaker through the API (codes sent, almost none
 * entered), the tab lists both with their conversion, the owner releases one (confirming; a
 * dismissed dialog changes nothing, a refused call is shown) and codes go to it again, then marks
 * the other safe and it is unblocked too; a prefix that never tripped is marked safe from the form.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverWithChromium } from '../helpers/admin-e2e.js'
import { jsonCaller, type Server } from '../helpers/server.js'

const ADMIN = 'breaker-e2e-admin-token-0123456789'
/** Two Indian mobile prefixes (the number less its last 4 digits). */
const RELEASED = '+91987100'
const SAFE = '+91987200'
let edge: Server
let browser: Browser

const call = jsonCaller(() => edge.url)
const start = (phone: string) => call('POST', '/v1/verifications', { purpose: 'register', phone })

/** The code sent to `phone` (the development outbox of the console provider). */
async function codeTo(phone: string): Promise<string> {
  const inbox = async () =>
    (await call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).body.messages as {
      code: string
    }[]
  await expect.poll(async () => (await inbox()).length, { timeout: 10_000 }).toBeGreaterThan(0)
  return (await inbox())[0]!.code
}

/** `verified` codes sent to the prefix and entered, then `unverified` sent and never entered. */
async function pump(prefix: string, verified: number, unverified: number) {
  for (let i = 0; i < verified + unverified; i++) {
    const phone = `${prefix}${String(i).padStart(4, '0')}`
    const v = await start(phone)
    expect(v.status, JSON.stringify(v.body)).toBe(201)
    if (i >= verified) continue
    const ok = await call('POST', `/v1/verifications/${v.body.id}/check`, {
      code: await codeTo(phone),
    })
    expect(ok.status).toBe(200)
  }
}

/** The breaker's entry for `scope` once it is there (the trip is judged after the answer). */
async function entryOf(scope: string) {
  const find = async () =>
    (await call('GET', '/v1/admin/breaker', undefined, ADMIN)).body.entries.find(
      (e: { scope: string }) => e.scope === scope,
    )
  await expect.poll(find, { timeout: 10_000 }).toBeTruthy()
  return find()
}

beforeAll(async () => {
  ;({ edge, browser } = await serverWithChromium(ADMIN, 'b'.repeat(64)))
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await edge?.close()
})

const rowOf = (page: Page, scope: string) =>
  page.locator(`#breaker tbody tr[data-scope="${scope}"]`)

describe('admin page, Fraud tab', () => {
  it('lists tripped prefixes with their conversion; the owner releases one and marks one safe', async () => {
    // The smallest sample the settings allow, so that a few sends trip a prefix.
    const s = await call('PATCH', '/v1/admin/settings', { breakerMinSends: 5 }, ADMIN)
    expect(s.status).toBe(200)
    // 1 of 6 entered (16.7 %, under 20 %), and 0 of 5.
    await pump(RELEASED, 1, 5)
    await pump(SAFE, 0, 5)
    expect(await entryOf(RELEASED)).toMatchObject({ blocked: true, sent: 6, verified: 1 })
    expect(await entryOf(SAFE)).toMatchObject({ blocked: true, sent: 5, verified: 0 })
    expect((await start(`${RELEASED}0001`)).status).toBe(429)

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    await page.goto(`${edge.url}/admin/#fraud`)
    await page.getByLabel('Admin token').fill(ADMIN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Pumping breaker' }).waitFor()
    expect(await page.getByRole('tab', { name: 'Fraud' }).getAttribute('aria-selected')).toBe(
      'true',
    )
    await expect.poll(() => page.locator('#breaker tbody tr').count()).toBe(2)
    const released = rowOf(page, RELEASED)
    await expect.poll(() => released.textContent()).toContain('16.7 %: 1 of 6 verified')
    expect(await released.textContent()).toContain('Blocked until')
    expect(await rowOf(page, SAFE).textContent()).toContain('0 %: 0 of 5 verified')
    await expect
      .poll(() => page.locator('#breaker-rules').textContent())
      .toContain('at least 5 first codes')

    // A refusal shows in the section's status line, and the row stays as it was. (The answer is
    // the 503 problem the server gives when its database is away, routed in the browser once.)
    await page.route(
      '**/release',
      (r) =>
        void r.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          headers: { 'retry-after': '5' },
          body: JSON.stringify({
            status: 503,
            code: 'database_unavailable',
            detail: 'The database is not answering. Try again shortly.',
          }),
        }),
      { times: 1 },
    )
    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: `Release ${RELEASED}` }).click()
    const line = page.locator('#breaker-section .form-status')
    await expect.poll(() => line.textContent()).toContain('database_unavailable')
    expect(await line.getAttribute('role')).toBe('alert')
    expect(await released.textContent()).toContain('Blocked until')

    // Releasing asks first: dismissed, the block stays.
    page.once('dialog', (d) => void d.dismiss())
    await page.getByRole('button', { name: `Release ${RELEASED}` }).click()
    expect((await entryOf(RELEASED)).blocked).toBe(true)
    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: `Release ${RELEASED}` }).click()
    await expect.poll(() => released.textContent()).toContain('Released or expired')
    await expect.poll(() => line.textContent()).toContain(`Released ${RELEASED}.`)
    expect(await page.getByRole('button', { name: `Release ${RELEASED}` }).count()).toBe(0)
    expect((await entryOf(RELEASED)).blocked).toBe(false)
    expect((await start(`${RELEASED}0001`)).status).toBe(201)

    // Marking safe ends the other block, and offers the undo.
    expect((await start(`${SAFE}0001`)).status).toBe(429)
    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: `Mark safe ${SAFE}` }).click()
    await expect.poll(() => rowOf(page, SAFE).textContent()).toContain('Marked safe')
    await page.getByRole('button', { name: `Undo safe ${SAFE}` }).waitFor()
    expect(await entryOf(SAFE)).toMatchObject({ safe: true, blocked: false })
    expect((await start(`${SAFE}0001`)).status).toBe(201)

    // A prefix that never tripped can be marked safe beforehand; a scope the server cannot read
    // is refused with its reason.
    const scope = page.getByLabel('Prefix or country to mark safe')
    await scope.fill('abc')
    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: 'Mark safe', exact: true }).click()
    await expect.poll(() => line.textContent()).toContain('invalid_request')
    await scope.fill('+44791234')
    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: 'Mark safe', exact: true }).click()
    await expect.poll(() => rowOf(page, '+44791234').textContent()).toContain('Marked safe')
    expect(await rowOf(page, '+44791234').textContent()).toContain('GB')
    expect(await scope.inputValue()).toBe('')

    // The actions are in the audit trail.
    const audit = async (action: string) =>
      (await call('GET', `/v1/admin/audit?action=${action}`, undefined, ADMIN)).body.events
    expect(await audit('admin.breaker.release')).toHaveLength(1)
    expect(await audit('admin.breaker.safe')).toHaveLength(2)
    await page.close()
  }, 60_000)
})
