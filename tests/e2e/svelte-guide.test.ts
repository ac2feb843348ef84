/**
 * The Svelte guide's component (docs/snippets/svelte/SignIn.svelte) type-checks with svelte-check
 * against the built package (its `sms-auth/*` imports resolve to dist/lib through the exports map):
 * the element's attributes and `onsms-auth-login` listener are typed by sms-auth/svelte, and a
 * listener of the wrong type is refused.
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { root } from '../helpers/server.js'

const run = promisify(execFile)
const SNIPPET = join(root, 'docs/snippets/svelte')
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** svelte-check's machine output over `dir`: its COMPLETED line and the errors. */
async function check(dir: string): Promise<string> {
  const args = ['--workspace', dir, '--tsconfig', join(dir, 'tsconfig.json'), '--output', 'machine']
  const r = await run(join(root, 'node_modules/.bin/svelte-check'), args, { cwd: root }).catch(
    (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
  )
  return r.stdout
}

describe('the Svelte guide', () => {
  it('type-checks with sms-auth/svelte, and a listener of the wrong type does not', async () => {
    expect(await check(SNIPPET)).toMatch(/COMPLETED \d+ FILES 0 ERRORS 0 WARNINGS/)

    // The same component with a listener that expects another detail: inside the repository, so
    // `sms-auth/*` resolves the same way.
    const bad = mkdtempSync(join(root, 'docs/snippets/.svelte-check-'))
    dirs.push(bad)
    cpSync(SNIPPET, bad, { recursive: true })
    const source = readFileSync(join(bad, 'SignIn.svelte'), 'utf8')
    const wrong = source.replace(
      'onsms-auth-login={signedIn}',
      'onsms-auth-login={(e: CustomEvent<number>) => e.detail}',
    )
    expect(wrong).not.toBe(source)
    writeFileSync(join(bad, 'SignIn.svelte'), wrong)
    expect(await check(bad)).toMatch(
      /ERROR "SignIn\.svelte" \d+:\d+ "Type '\(e: CustomEvent<number>\)/,
    )
  }, 60_000)
})
