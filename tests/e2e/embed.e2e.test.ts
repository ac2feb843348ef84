/**
 * The snippets of the "Embed it" page (demo/embed.html) for plain HTML, React, Vue and Angular,
 * each as a page in tests/e2e/embed/ on another origin than the edge, loaded in Chromium: the
 * page's marked part is the snippet, the <sms-login> it renders upgrades, and the framework's own
 * listener receives sms-auth-login and sms-auth-register.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server as HttpServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../helpers/browser.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { root, startServer, type Server } from '../helpers/server.js'

const ADMIN = 'embed-e2e-admin-token-0123'
const PAGES = join(root, 'tests/e2e/embed')
const FRAMEWORKS = {
  react: { source: 'react.tsx', host: '<div id="app"></div>', args: ['--loader=tsx'] },
  vue: {
    source: 'vue.ts',
    host: '<div id="app"></div>',
    args: [
      '--loader=ts',
      '--alias:vue=vue/dist/vue.esm-bundler.js',
      '--define:__VUE_OPTIONS_API__=true',
      '--define:__VUE_PROD_DEVTOOLS__=false',
      '--define:__VUE_PROD_HYDRATION_MISMATCH_DETAILS__=false',
    ],
  },
  angular: { source: 'angular.ts', host: '<app-sign-in></app-sign-in>', args: ['--loader=ts'] },
} as const
type Framework = keyof typeof FRAMEWORKS
const SECTION = { plain: 'html', react: 'react', vue: 'vue', angular: 'angular' } as const

let edge: Server
let site: HttpServer
let siteOrigin: string
let browser: Browser
let out: string
const files = new Map<string, { type: string; body: string | Buffer }>()

/** The lines between `snippet:start` and `snippet:end`, trimmed, without empty ones. */
function marked(source: string): string[] {
  const lines = source.split('\n')
  const start = lines.findIndex((l) => l.includes('snippet:start'))
  const end = lines.findIndex((l) => l.includes('snippet:end'))
  expect(start).toBeGreaterThanOrEqual(0)
  expect(end).toBeGreaterThan(start)
  return lines
    .slice(start + 1, end)
    .map((l) => l.trim())
    .filter(Boolean)
}

/** The snippet of one section of demo/embed.html as text, lines trimmed, without empty ones. */
function snippet(html: string, section: string): string[] {
  const re = new RegExp(
    `<section aria-labelledby="${section}-title">[\\s\\S]*?<code data-snippet>([\\s\\S]*?)</code>`,
  )
  const code = re.exec(html)?.[1] ?? ''
  const text = code.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/widget/widget.js'))) {
    execFileSync(join(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    })
  }
  edge = await startServer({
    runtime: 'node',
    env: { SMS_AUTH_ADMIN_TOKEN: ADMIN, SMS_AUTH_SECRET: 'e'.repeat(64) },
  })
  out = await mkdtemp(join(tmpdir(), 'sms-auth-embed-'))
  const plain = await readFile(join(PAGES, 'plain.html'), 'utf8')
  files.set('/plain.html', { type: 'text/html', body: plain.replaceAll('ORIGIN', edge.url) })
  for (const [name, { source, host, args }] of Object.entries(FRAMEWORKS)) {
    const code = await readFile(join(PAGES, source), 'utf8')
    execFileSync(
      join(root, 'node_modules/.bin/esbuild'),
      [
        '--bundle',
        '--format=esm',
        '--platform=browser',
        '--jsx=automatic',
        `--tsconfig=${join(root, 'tsconfig.json')}`,
        `--sourcefile=${source}`,
        '--define:process.env.NODE_ENV="production"',
        '--log-level=warning',
        `--outfile=${join(out, `${name}.js`)}`,
        ...args,
      ],
      {
        cwd: PAGES,
        input: code.replaceAll('ORIGIN', edge.url),
        stdio: ['pipe', 'inherit', 'inherit'],
      },
    )
    files.set(`/${name}.js`, {
      type: 'text/javascript',
      body: await readFile(join(out, `${name}.js`)),
    })
    files.set(`/${name}.html`, {
      type: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8" />
        <script type="module" src="${edge.url}/widget.js"></script>
        <script type="module" src="/${name}.js"></script></head>
        <body>${host}</body></html>`,
    })
  }
  site = createServer((req, res) => {
    const file = files.get(req.url ?? '')
    res.statusCode = file ? 200 : 404
    res.setHeader('content-type', file?.type ?? 'text/plain')
    res.end(file?.body ?? 'not found')
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  const address = site.address()
  siteOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  const patch = await fetch(`${edge.url}/v1/admin/settings`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ allowedOrigins: [siteOrigin] }),
  })
  expect(patch.status).toBe(200)
  browser = await launchChromium()
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => site?.close(resolve))
  await edge?.close()
  if (out) await rm(out, { recursive: true, force: true })
})

describe('the "Embed it" snippets', () => {
  it('are the code of the test pages', async () => {
    const html = await readFile(join(root, 'demo/embed.html'), 'utf8')
    for (const [page, section] of Object.entries(SECTION)) {
      const source = page === 'plain' ? 'plain.html' : FRAMEWORKS[page as Framework].source
      const lines = marked(await readFile(join(PAGES, source), 'utf8'))
      const shown = snippet(html, section).join('\n')
      expect(`${shown}\n`, `${section} snippet`).toContain(`${lines.join('\n')}\n`)
    }
  })

  for (const page of ['plain', 'react', 'vue', 'angular'] as const) {
    it(`${page}: <sms-login> upgrades and the page's listener gets the events`, async () => {
      const tab = await browser.newPage()
      const errors: string[] = []
      tab.on('pageerror', (error) => errors.push(String(error)))
      try {
        await tab.goto(`${siteOrigin}/${page}.html`)
        const login = tab.locator('sms-login')
        // getByLabel pierces the open shadow root of <sms-login>.
        await login.getByLabel(/phone/i).first().waitFor()
        const state = await login.evaluate((el) => ({
          shadow: !!el.shadowRoot?.querySelector('input'),
          password: (el as HTMLElement & { password: unknown }).password,
          api: (el as HTMLElement & { api: unknown }).api,
        }))
        expect(state).toEqual({ shadow: true, password: true, api: edge.url })

        const fire = (type: string, name: string) =>
          login.evaluate(
            (el, [type, name]) =>
              el.dispatchEvent(
                new CustomEvent(type, {
                  detail: { user: { name }, session: { accessToken: 't' } },
                  bubbles: true,
                  composed: true,
                }),
              ),
            [type, name],
          )
        await fire('sms-auth-login', 'X')
        await expect.poll(() => tab.locator('#signed-in').textContent()).toBe('Signed in: X')
        await fire('sms-auth-register', 'Y')
        await expect.poll(() => tab.locator('#signed-in').textContent()).toBe('Signed in: Y')
        expect(errors).toEqual([])
        expect(await tab.evaluate(() => document.body.dataset.error)).toBeUndefined()
      } finally {
        await tab.close()
      }
    })
  }
})
