/**
 * Issue 13: GET /docs, an interactive reference of /v1/openapi.json. Its script comes from our own
 * origin (dist/docs/scalar.js, written by `npm run build`), never a CDN; the page's
 * Content-Security-Policy allows nothing else; in Chromium it renders the operations while
 * requesting nothing from another origin.
 */
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type Server } from '../helpers/server.js'

let edge: Server
let browser: Browser
beforeAll(async () => {
  edge = await startServer({ runtime: 'node' })
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  })
}, 60_000)
afterAll(async () => {
  await browser?.close()
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
})
