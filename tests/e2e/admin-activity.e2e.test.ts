/**
 * The admin page's Activity tab end to end, in Chromium, against the real server of `npm start`
 * (fresh database): codes sent, verified and refused through the API; the tab draws its four
 * charts on canvas with those figures and their tables, uPlot loads only when the tab opens, and
 * "Download CSV" saves the same rows.
 */
import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverWithChromium } from '../helpers/admin-e2e.js'
import { jsonCaller, type Server } from '../helpers/server.js'

const ADMIN = 'activity-e2e-admin-token-0123456789'
let edge: Server
let browser: Browser

const call = jsonCaller(() => edge.url)
const phone = (i: number) => `+91987650${String(1000 + i)}`

beforeAll(async () => {
  ;({ edge, browser } = await serverWithChromium(ADMIN, 'e'.repeat(64)))
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await edge?.close()
})

/** Three verified, two never entered, and a sixth code to one number (refused). */
async function someActivity() {
  expect(
    (await call('PATCH', '/v1/admin/settings', { spendCapDaily: 5_000_000 }, ADMIN)).status,
  ).toBe(200)
  for (let i = 0; i < 5; i++) {
    const v = await call('POST', '/v1/verifications', { purpose: 'register', phone: phone(i) })
    expect(v.status).toBe(201)
    if (i >= 3) continue
    const out = await call('GET', `/v1/dev/outbox?to=${encodeURIComponent(phone(i))}`)
    const code = out.body.messages[0].code
    expect((await call('POST', `/v1/verifications/${v.body.id}/check`, { code })).status).toBe(200)
  }
  for (let i = 0; i < 4; i++)
    await call('POST', '/v1/verifications', { purpose: 'register', phone: phone(0) })
  const refused = await call('POST', '/v1/verifications', { purpose: 'register', phone: phone(0) })
  expect(refused.body.code).toBe('rate_limited')
}

describe('admin page, Activity tab', () => {
  it('draws the charts and tables of the figures, loading uPlot only then, and downloads the CSV', async () => {
    await someActivity()
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    })
    const vendor: string[] = []
    page.on('request', (r) => {
      if (r.url().includes('/admin/vendor/')) vendor.push(new URL(r.url()).pathname)
    })
    await page.goto(`${edge.url}/admin/#audit`)
    await page.getByLabel('Admin token').fill(ADMIN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Audit' }).waitFor()
    expect(vendor).toEqual([])
    expect(await page.evaluate(() => 'uPlot' in window || !!document.querySelector('.uplot'))).toBe(
      false,
    )

    await page.getByRole('tab', { name: 'Activity' }).click()
    await page.locator('#chart-trips canvas').waitFor()
    expect(vendor.sort()).toEqual(['/admin/vendor/uplot.css', '/admin/vendor/uplot.js'])
    expect(await page.locator('.uplot canvas').count()).toBe(4)
    await expect.poll(() => page.locator('#activity-summary').textContent()).toContain('9 started')
    const summary = await page.locator('#activity-summary').textContent()
    expect(summary).toContain('3 verified (33.3 %)')
    expect(summary).toContain('1 refused')

    // The charts have drawn something: each canvas has painted pixels (lines, bars, axes).
    const painted = await page.$$eval('.uplot canvas', (canvases) =>
      (canvases as HTMLCanvasElement[]).map((c) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
        let n = 0
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++
        return n
      }),
    )
    expect(
      painted.every((n) => n > 500),
      String(painted),
    ).toBe(true)
    // Each chart's legend names its series; the spend chart has the cap line.
    expect(await page.locator('#chart-verifications .u-legend').textContent()).toContain(
      'Conversion',
    )
    expect(await page.locator('#chart-spend .u-legend').textContent()).toContain('Daily cap')
    expect(await page.locator('#chart-refusals .u-legend').textContent()).toContain(
      'messages_per_number',
    )

    const india = page.locator('#activity-by-country tbody tr[data-key="IN"]')
    expect(await india.locator('td').allTextContents()).toEqual(
      expect.arrayContaining(['9', '3', '33.3 %']),
    )
    expect(
      await page.locator('#activity-by-provider tbody tr[data-key="console"] th').textContent(),
    ).toBe('console')
    expect(await page.locator('#activity-by-channel tbody tr[data-key="sms"]').count()).toBe(1)

    await page.getByLabel('CSV rows per').selectOption('country')
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    expect(file.suggestedFilename()).toMatch(
      /^sms-auth-stats-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}-by-country\.csv$/,
    )
    const csv = (await readFile((await file.path())!, 'utf8')).split('\r\n')
    expect(csv[0]).toMatch(/^country,started,sent,delivered,/)
    expect(csv[1]).toMatch(/^IN,9,9,9,0,0,3,0.333,\d+,/)

    // A range the server refuses shows why, beside the field.
    await page.getByLabel('From (UTC)').fill('2020-01-01')
    await page.getByRole('button', { name: 'Show' }).click()
    await expect.poll(() => page.locator('#activity-form').textContent()).toContain('at most 366')
    await page.close()
  }, 60_000)
})
