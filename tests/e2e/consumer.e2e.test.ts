/**
 * The package as a new developer gets it: `npm pack`, then fresh projects that install the tarball
 * with nothing but their framework's usual tools (versions pinned to our lockfile's, so npm's cache
 * serves them) and no configuration for sms-auth:
 * - a plain TypeScript project (NodeNext, skipLibCheck off) using every entry and its types;
 * - a Vite + React 19 app (tests/e2e/consumer/react): `<SmsLogin/>` from sms-auth/react and
 *   `useSession()`, type-checked and built;
 * - a Vue 3 app (tests/e2e/consumer/vue) built with Vite;
 * - the shop's backend (server.mjs): the built app, the API mounted in-process with sms-auth/edge,
 *   and `/api/me` trusting the tokens through sms-auth/server.
 * Chromium signs up in the React app, reloads and is still signed in, has the backend verify the
 * token, signs out and signs in again; the Vue app's element sends a code.
 */
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../helpers/browser.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { root } from '../helpers/server.js'
import { spawnGuarded, type GuardedProcess } from '../helpers/spawn.js'

const run = promisify(execFile)
const FIXTURES = join(root, 'tests/e2e/consumer')
/** What a new app installs beside the tarball, at the versions our lockfile holds. */
const PACKAGES = [
  'react',
  'react-dom',
  '@types/react',
  '@types/react-dom',
  'vite',
  '@vitejs/plugin-react',
  '@vitejs/plugin-vue',
  'vue',
  'typescript',
  '@libsql/client',
  '@hono/node-server',
]
const ENV = { SMS_AUTH_SECRET: 'c'.repeat(64), SMS_AUTH_ADMIN_TOKEN: 'consumer-admin-token-0123' }

let dir: string
let browser: Browser
const shops: GuardedProcess[] = []

function locked(name: string): string {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
  const version = lock.packages[`node_modules/${name}`]?.version
  if (!version) throw new Error(`${name} is not in package-lock.json`)
  return `${name}@${version}`
}

/** Runs a command in the consumer project; its output is the error message when it fails. */
async function sh(cwd: string, command: string, args: string[]): Promise<void> {
  try {
    await run(command, args, { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 })
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string }
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`,
    )
  }
}

const bin = (name: string) => join(dir, 'node_modules/.bin', name)

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/lib/widget/index.js')))
    throw new Error('dist/lib is missing: npm test builds first (npm run build)')
  dir = mkdtempSync(join(tmpdir(), 'sms-auth-consumer-'))
  await sh(root, 'npm', ['pack', '--silent', '--pack-destination', dir])
  writeFileSync(join(dir, '.npmrc'), 'ignore-scripts=true\n')
  writeFileSync(
    join(dir, 'package.json'),
    '{ "name": "shop", "private": true, "type": "module" }\n',
  )
  cpSync(FIXTURES, dir, { recursive: true })
  const tarball = `./sms-auth-${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}.tgz`
  await sh(dir, 'npm', [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    tarball,
    ...PACKAGES.map(locked),
  ])
  browser = await launchChromium()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await Promise.all(shops.map((s) => s.close()))
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Starts the shop's backend over a built app; resolves with its origin. */
async function shop(app: string): Promise<string> {
  const p = spawnGuarded(process.execPath, ['server.mjs', join(dir, app, 'dist')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...ENV },
  })
  shops.push(p)
  return new Promise((resolve, reject) => {
    let seen = ''
    p.onStdout((chunk) => {
      seen += chunk
      const m = /shop listening on (http:\/\/\S+)/.exec(seen)
      if (m) resolve(m[1]!)
    })
    void p.exited.then((code) => reject(new Error(`the shop exited (${code}):\n${p.output()}`)))
  })
}

async function code(origin: string, phone: string): Promise<string> {
  const r = await fetch(`${origin}/v1/dev/outbox?to=${encodeURIComponent(phone)}`)
  return (await r.json()).messages[0].code
}

async function sendCode(page: Page, phone: string): Promise<void> {
  await page.locator('.iti__selected-dial-code').first().waitFor()
  await page.getByLabel(/phone/i).first().pressSequentially(phone)
  await page.getByRole('button', { name: /send code/i }).click()
  await page.getByLabel(/code/i).first().waitFor()
}

describe('a new app installs the packed tarball', () => {
  it('types every entry in a plain TypeScript project (skipLibCheck off)', async () => {
    await sh(join(dir, 'types'), bin('tsc'), ['-p', '.'])
  }, 120_000)

  it('type-checks and builds a Vite + React 19 app with no configuration', async () => {
    await sh(join(dir, 'react'), bin('tsc'), ['-p', '.'])
    await sh(join(dir, 'react'), bin('vite'), ['build', '--logLevel', 'warn'])
    expect(existsSync(join(dir, 'react/dist/index.html'))).toBe(true)
  }, 120_000)

  it('builds a Vue 3 app', async () => {
    await sh(join(dir, 'vue'), bin('vite'), ['build', '--logLevel', 'warn'])
    expect(existsSync(join(dir, 'vue/dist/index.html'))).toBe(true)
  }, 120_000)

  it('React: sign up, reload and still signed in, the backend verifies the token, sign out, sign in', async () => {
    const origin = await shop('react')
    const page = await browser.newPage()
    const phone = '+919876500088'
    await page.goto(origin)
    await sendCode(page, phone)
    await page
      .getByLabel(/code/i)
      .first()
      .pressSequentially(await code(origin, phone))
    await page.getByLabel(/name/i).first().fill('Asha')
    await page.getByLabel(/email/i).first().fill('asha@example.com')
    await page.getByRole('button', { name: /create account/i }).click()
    await page.getByText('Signed in as Asha').waitFor()

    await page.reload()
    await page.getByText('Signed in as Asha').waitFor()
    await page.getByRole('button', { name: 'Ask the backend' }).click()
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toMatch(/^Your backend knows you as \S+$/)
    const unsigned = await fetch(`${origin}/api/me`, { headers: { authorization: 'Bearer x.y.z' } })
    expect(unsigned.status).toBe(401)

    // Signed out stays signed out after a reload; signing in again is a login (no details step).
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel(/phone/i).first().waitFor()
    await page.reload()
    await sendCode(page, phone)
    await page
      .getByLabel(/code/i)
      .first()
      .pressSequentially(await code(origin, phone))
    await page.getByText('Signed in as Asha').waitFor()
    await page.close()
  }, 120_000)

  it('Vue: the element upgrades and sends a code', async () => {
    const origin = await shop('vue')
    const page = await browser.newPage()
    await page.goto(origin)
    await sendCode(page, '+919876500099')
    expect(await code(origin, '+919876500099')).toMatch(/^\d{4,8}$/)
    await page.close()
  }, 60_000)
})
