/**
 * Prints the path of the Bun binary that the npm package `bun` brought in its platform package
 * (`@oven/bun-<os>-<arch>[-musl|-baseline]`). The package's own `bin/bun` is a placeholder that
 * its install script would replace, and install scripts are off here (.npmrc), so
 * `npm run start:bun` runs the platform binary through this instead.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)

export function bunBinary() {
  const base = `@oven/bun-${process.platform}-${process.arch}`
  const exe = process.platform === 'win32' ? 'bun.exe' : 'bun'
  for (const name of [base, `${base}-musl`, `${base}-baseline`, `${base}-musl-baseline`]) {
    try {
      const path = join(dirname(require.resolve(`${name}/package.json`)), 'bin', exe)
      if (existsSync(path)) return path
    } catch {
      // Not installed for this platform: try the next variant.
    }
  }
  throw new Error(`no Bun binary: install the npm package bun (it brings ${base})`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(bunBinary())
  } catch (err) {
    console.error(`sms-auth: ${err.message}`)
    process.exit(1)
  }
}
