/**
 * Issue 13: GET /docs, an interactive reference of /v1/openapi.json. Its script comes from our own
 * origin (dist/docs/scalar.js, written by `npm run build`), never a CDN; the page's
 * Content-Security-Policy allows nothing else; in Chromium it renders the operations while
 * requesting nothing from another origin. And the other way round, docs/guides/script-tag.md:
 * a site on another origin embeds the widget under the CSP the guide gives
 * (docs/snippets/script-tag/csp.txt).
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type Server as HttpServer } from 'node:http'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../helpers/browser.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { root, startServer, type Server } from '../helpers/server.js'

const ADMIN = 'reference-admin-token-0123456789'
let edge: Server
let browser: Browser
let site: HttpServer | undefined
beforeAll(async () => {
  edge = await startServer({
    runtime: 'node',
    env: { SMS_AUTH_ADMIN_TOKEN: ADMIN, SMS_AUTH_SECRET: 'c'.repeat(64) },
  })
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)))
  await edge?.close()
})

describe('GET /docs', () => {
  it('serves the page and its script from this origin, under a strict CSP', async () => {
    const res = await fetch(`${edge.url}/docs`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await res.text()
    expect(html).toContain('<script src="docs/scalar.js">')
    expect(html).toContain('"url": "v1/openapi.json"')
    // No absolute URL at all: nothing a browser could fetch from elsewhere.
    expect(html.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/gi) ?? []).toEqual([])
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)/)
    expect(csp).toContain("connect-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toMatch(/https?:|unsafe-eval|\*/)

    const script = await fetch(`${edge.url}/docs/scalar.js`, {
      headers: { 'accept-encoding': 'br' },
    })
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(script.headers.get('content-encoding')).toBe('br')
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000)
  })

  it('renders the operations in Chromium, asking nothing of another origin', async () => {
    const page = await browser.newPage()
    try {
      const elsewhere: string[] = []
      const refused: string[] = []
      page.on('request', (r) => {
        const url = r.url()
        if (!url.startsWith(edge.url) && !/^(data|blob):/.test(url)) elsewhere.push(url)
      })
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) refused.push(m.text())
      })
      await page.goto(`${edge.url}/docs`)
      // Summaries and operationIds of the document, drawn by the reference.
      await page.getByText('Check a code').first().waitFor({ timeout: 30_000 })
      await page.getByText('Send a code (register, login, mfa').first().waitFor()
      expect(await page.title()).toBe('sms-auth API reference')
      expect(elsewhere).toEqual([])
      expect(refused).toEqual([])
    } finally {
      await page.close()
    }
  }, 60_000)

  it("lets a site embed the widget under the guide's CSP", async () => {
    // The embed page of tests/e2e/embed (the guide's snippet), served from another origin with
    // the guide's policy: the API's origin for the edge, plus the hash of the page's own script.
    const page = (await readFile(join(root, 'tests/e2e/embed/plain.html'), 'utf8')).replaceAll(
      'ORIGIN',
      edge.url,
    )
    const inline = /<script type="module">([\s\S]*?)<\/script>/.exec(page)![1]!
    const hash = createHash('sha256').update(inline).digest('base64')
    const policy = (await readFile(join(root, 'docs/snippets/script-tag/csp.txt'), 'utf8'))
      .trim()
      .replaceAll('https://auth.example.com', edge.url)
      .replace("script-src 'self'", `script-src 'self' 'sha256-${hash}'`)
    site = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8')
      res.setHeader('content-security-policy', policy)
      res.end(page)
    })
    await new Promise<void>((resolve) => site!.listen(0, '127.0.0.1', resolve))
    const address = site.address()
    const origin = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`
    const patch = await fetch(`${edge.url}/v1/admin/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ allowedOrigins: [origin] }),
    })
    expect(patch.status).toBe(200)
    const tab = await browser.newPage()
    try {
      const refused: string[] = []
      tab.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) refused.push(m.text())
      })
      tab.on('pageerror', (e) => refused.push(String(e)))
      await tab.goto(`${origin}/plain.html`)
      const login = tab.locator('sms-login')
      await login.getByLabel(/phone/i).first().fill('+14155552677')
      // Sending a code is a call to the API (connect-src): the code step follows.
      await login.getByRole('button', { name: /code/i }).first().click()
      await login.getByLabel(/code/i).first().waitFor()
      expect(refused).toEqual([])
    } finally {
      await tab.close()
    }
  }, 60_000)
})
