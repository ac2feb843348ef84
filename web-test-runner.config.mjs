import { fileURLToPath } from 'node:url'
import { esbuildPlugin } from '@web/dev-server-esbuild'
import { chromeLauncher } from '@web/test-runner-chrome'
import * as puppeteer from 'puppeteer-core'
import { engineCommands } from './tests/widget/engine-commands.mjs'

// Widget tests in the system Chromium and Firefox ESR (nothing downloads a browser). Run with:
//   web-test-runner --config web-test-runner.config.mjs
// WTR_BROWSERS=chromium or WTR_BROWSERS=firefox runs one engine only.
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'
const only = process.env.WTR_BROWSERS?.split(',')

const chromium = chromeLauncher({
  launchOptions: {
    executablePath: chromePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  },
})

// puppeteer-core drives Firefox over WebDriver BiDi; passing it as `puppeteer` makes the
// launcher honour `browser: 'firefox'` instead of looking for Chrome.
const firefox = chromeLauncher({
  puppeteer,
  launchOptions: {
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
  },
  // tests/widget/engine-commands.mjs sets prefers-color-scheme through this extension (Firefox's
  // WebDriver BiDi has no media emulation), installed for the run only.
  async createBrowserContext({ browser }) {
    await browser.installExtension(
      fileURLToPath(new URL('./tests/widget/firefox-color-scheme', import.meta.url)),
    )
    return browser.defaultBrowserContext()
  },
  // Firefox ESR 140.12 answers `unknown command` to WebDriver BiDi's
  // emulation.setScreenOrientationOverride, which puppeteer-core 25 sends with every viewport
  // change (the runner sets one on each test page). No test depends on the orientation: tolerate
  // that one refusal, as puppeteer already does for setTouchOverride.
  async createPage({ context }) {
    const page = await context.newPage()
    const tab = page.mainFrame().browsingContext
    const setOrientation = tab.setScreenOrientationOverride.bind(tab)
    tab.setScreenOrientationOverride = (orientation) =>
      setOrientation(orientation).catch((error) => {
        if (String(error?.message).includes('unknown command')) return
        throw error
      })
    return page
  },
})

export default {
  files: ['tests/widget/**/*.test.ts'],
  nodeResolve: true,
  // One file at a time per engine: both engines run side by side, so two pages share the 2 cores.
  concurrency: 1,
  testsFinishTimeout: 180_000,
  browserStartTimeout: 60_000,
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    engineCommands(),
  ],
  browsers: [
    ...(!only || only.includes('chromium') ? [chromium] : []),
    ...(!only || only.includes('firefox') ? [firefox] : []),
  ],
  testFramework: { config: { timeout: 20_000 } },
}
