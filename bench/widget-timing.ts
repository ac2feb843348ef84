/**
 * Widget timings in Chromium against the local edge: page load → interactive phone field, the
 * bytes loaded before the user types, and code entry → `sms-auth-login`. Figures, not tests.
 */
import { createServer } from 'node:http'
import { chromium } from 'playwright-core'
import { startServer } from '../tests/helpers/server.js'
import { printSlow, slowNetworkRun } from './widget-slow.js'
import type { SlowRun } from './widget-slow.js'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export async function widgetTimings(runs = 5, slowRuns = 3): Promise<void> {
  const edge = await startServer({
    runtime: 'node',
    env: { SMS_AUTH_TRUST_PROXY: '1', SMS_AUTH_ADMIN_TOKEN: 'bench-admin-token-0123456789' },
  })
  const page = createServer((_req, res) => {
    const from = edge.url
    res.setHeader('content-type', 'text/html')
    res.end(`<!doctype html><html lang="en"><body><script type="module" src="${from}/widget.js"></script>
      <sms-login default-country="IN"></sms-login><script>window.t0 = performance.now()
      document.addEventListener('sms-auth-login', () => (window.loggedIn = performance.now()))</script></body></html>`)
  })
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r))
  const addr = page.address()
  const origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  await fetch(`${edge.url}/v1/admin/settings`, {
    method: 'PATCH',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer bench-admin-token-0123456789',
    },
    body: JSON.stringify({ allowedOrigins: [origin] }),
  })
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  const ready: number[] = []
  const login: number[] = []
  const slow: SlowRun[] = []
  let eagerBytes = 0
  try {
    // Register one number first (so the timed flow is a sign-in), through the API.
    const phone = '+919812300001'
    const post = (path: string, body: unknown) =>
      fetch(edge.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.1.1.1' },
        body: JSON.stringify(body),
      }).then((r) => r.json())
    const outbox = async () =>
      (await (await fetch(`${edge.url}/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).json())
        .messages[0].code
    const v = await post('/v1/verifications', { purpose: 'register', phone })
    const c = await post(`/v1/verifications/${v.id}/check`, { code: await outbox() })
    await post('/v1/users', {
      registrationTicket: c.registrationTicket,
      name: 'Bench',
      email: 'bench@example.com',
    })
    for (let i = 0; i < runs; i++) {
      const ctx = await browser.newContext()
      const tab = await ctx.newPage()
      let bytes = 0
      tab.on('response', async (r) => {
        if (r.url().startsWith(edge.url) && /\.js$/.test(new URL(r.url()).pathname)) {
          const body = await r.body().catch(() => Buffer.alloc(0))
          bytes += (await import('node:zlib')).gzipSync(body, { level: 9 }).length
        }
      })
      await tab.goto(origin)
      const field = tab.getByLabel(/phone/i).first()
      await field.waitFor()
      ready.push(await tab.evaluate(() => performance.now()))
      eagerBytes = Math.max(eagerBytes, bytes)
      if (i === 0) {
        await field.pressSequentially('9812300001')
        await tab.getByRole('button', { name: /send code/i }).click()
        const code = tab.getByLabel(/code/i).first()
        await code.waitFor()
        const value = await outbox()
        const start = await tab.evaluate(() => performance.now())
        await code.fill(value)
        await tab.waitForFunction(() => (window as unknown as { loggedIn?: number }).loggedIn)
        login.push(
          (await tab.evaluate(() => (window as unknown as { loggedIn: number }).loggedIn)) - start,
        )
      }
      await ctx.close()
    }
    // New numbers (a number gets at most 5 codes per 10 minutes).
    for (let i = 0; i < slowRuns; i++) {
      const number = (n: number) => `98123${String(n).padStart(5, '0')}`
      slow.push(await slowNetworkRun(browser, origin, number(10 + i)))
    }
  } finally {
    await browser.close()
    page.close()
    await edge.close()
  }
  console.log('\nWidget in Chromium (local edge, cross-origin page)')
  console.log(
    `  page load → interactive phone field: median ${median(ready).toFixed(0)} ms over ${runs} loads`,
  )
  console.log(
    `  JavaScript from the edge before the user types: ${(eagerBytes / 1024).toFixed(1)} KiB gzip (target ≤ 40)`,
  )
  console.log(`  code entry → sms-auth-login: ${login.map((x) => x.toFixed(0)).join(', ')} ms`)
  printSlow(slow, 'as the edge serves it (brotli or gzip, precompressed by npm run build)')
}

if (import.meta.url === `file://${process.argv[1]}`) await widgetTimings()
