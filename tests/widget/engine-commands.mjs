/**
 * Test-runner commands that behave the same in Chromium and Firefox, for what
 * @web/test-runner-commands does only through CDP (Firefox speaks WebDriver BiDi):
 * - `color-scheme` {colorScheme: 'light' | 'dark' | 'none'}: prefers-color-scheme for one page;
 * - `paste-text` {text}: a real paste (Ctrl+C from a scratch field, Ctrl+V into the focused one),
 *   so the page sees the browser's own paste events, clipboardData included.
 */

/** Runs privileged script in Firefox's chrome window (needs `-remote-allow-system-access`). */
async function firefoxChrome(page, expression) {
  // puppeteer-core's BiDi page keeps its WebDriver BiDi session on the browsing context.
  const session = page.mainFrame().browsingContext.userContext.browser.session
  const tree = await session.send('browsingContext.getTree', { 'moz:scope': 'chrome' })
  const context = tree.result.contexts[0].context
  const { result } = await session.send('script.evaluate', {
    expression,
    target: { context },
    awaitPromise: false,
  })
  if (result.type !== 'success') throw new Error(`chrome script failed: ${JSON.stringify(result)}`)
}

async function colorScheme(session, page, value) {
  if (session.browser.name !== 'Firefox') {
    await page.emulateMediaFeatures([
      { name: 'prefers-color-scheme', value: value === 'none' ? '' : value },
    ])
    return
  }
  // The tab's own override (what DevTools' "simulate dark" sets): other pages are unaffected.
  await firefoxChrome(
    page,
    `for (const w of Services.wm.getEnumerator('navigator:browser'))
      for (const b of w.gBrowser.browsers)
        if (b.currentURI.spec === ${JSON.stringify(page.url())})
          b.browsingContext.prefersColorSchemeOverride = ${JSON.stringify(value)}`,
  )
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
