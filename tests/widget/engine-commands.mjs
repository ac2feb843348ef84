/**
 * Test-runner commands that behave the same in Chromium and Firefox, for what
 * @web/test-runner-commands does only through CDP (Firefox speaks WebDriver BiDi):
 * - `color-scheme` {colorScheme: 'light' | 'dark' | 'none'}: prefers-color-scheme for the page (in Firefox: for
 *   the browser, one page runs at a time);
 * - `paste-text` {text}: a real paste (Ctrl+C from a scratch field, Ctrl+V into the focused one),
 *   so the page sees the browser's own paste events, clipboardData included.
 */

/**
 * Firefox: its WebDriver BiDi has no media emulation, and since ESR 140.12 no privileged
 * ("chrome") script either, so a small extension the config installs at launch
 * (tests/widget/firefox-color-scheme/) sets browserSettings.overrideContentColorScheme. That is
 * browser-wide; Firefox runs one test page at a time (concurrency 1), and each test resets it.
 * The page asks by postMessage; the command returns once the page's media query agrees.
 */
async function firefoxColorScheme(page, value) {
  const result = await page.evaluate(
    (value) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ error: 'no answer from the extension' }), 5000)
        window.addEventListener('message', function done(event) {
          if (event.source !== window || event.data?.type !== 'sms-auth-test:color-scheme-set')
            return
          window.removeEventListener('message', done)
          clearTimeout(timer)
          resolve(event.data)
        })
        window.postMessage({ type: 'sms-auth-test:color-scheme', value }, '*')
      }),
    value,
  )
  if (result.error) throw new Error(`color-scheme ${value}: ${result.error}`)
  if (value === 'none') return
  await page.waitForFunction(
    (value) => matchMedia(`(prefers-color-scheme: ${value})`).matches,
    { timeout: 5000 },
    value,
  )
}

async function colorScheme(session, page, value) {
  if (session.browser.name !== 'Firefox') {
    await page.emulateMediaFeatures([
      { name: 'prefers-color-scheme', value: value === 'none' ? '' : value },
    ])
    return
  }
  await firefoxColorScheme(page, value)
}

// One paste at a time: pages run in parallel but share the browser's clipboard.
let clipboard = Promise.resolve()

async function pasteText(page, text) {
  const chord = async (key) => {
    await page.keyboard.down('Control')
    await page.keyboard.press(key)
    await page.keyboard.up('Control')
  }
  await page.evaluate((value) => {
    let el = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    const scratch = document.createElement('textarea')
    scratch.value = value
    document.body.append(scratch)
    window.__pasteTarget = { el, start: el?.selectionStart, end: el?.selectionEnd, scratch }
    scratch.focus()
    scratch.select()
  }, text)
  await chord('c')
  await page.evaluate(() => {
    const { el, start, end, scratch } = window.__pasteTarget
    scratch.remove()
    el?.focus()
    if (start != null) el.setSelectionRange(start, end)
  })
  await chord('v')
}

export function engineCommands() {
  return {
    name: 'sms-auth-engine-commands',
    async executeCommand({ command, payload, session }) {
      if (command !== 'color-scheme' && command !== 'paste-text') return undefined
      const page = session.browser.getPage(session.id)
      if (command === 'color-scheme') {
        await colorScheme(session, page, payload.colorScheme)
        return true
      }
      const run = clipboard.then(() => pasteText(page, String(payload.text)))
      clipboard = run.catch(() => undefined)
      await run
      return true
    },
  }
}
