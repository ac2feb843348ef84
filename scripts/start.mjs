/**
 * `npm start`: builds the server and the widget in dist/ (`npm run build:app`; the npm package's
 * library build is not needed to run) when they are missing or older than the sources (in a
 * checkout with the dev tools), then runs the built server in this same process, so signals
 * reach it directly.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(fileURLToPath(import.meta.url), '../..')
const SOURCES = ['edge', 'shared', 'widget', 'demo/admin', 'package.json', 'vite.config.ts']

function newest(path) {
  if (!existsSync(path)) return 0
  const s = statSync(path)
  if (!s.isDirectory()) return s.mtimeMs
  let max = 0
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)))
  return max
}

const stamp = join(root, 'dist/.built')
const built = existsSync(stamp) && existsSync(join(root, 'dist/widget/widget.js'))
const sources = Math.max(...SOURCES.map((p) => newest(join(root, p))))
const canBuild = existsSync(join(root, 'node_modules/.bin/vite'))
if (canBuild && existsSync(join(root, 'edge')) && (!built || statSync(stamp).mtimeMs < sources)) {
  console.log('sms-auth: building dist/ …')
  execFileSync('npm', ['run', '--silent', 'build:app'], { cwd: root, stdio: 'inherit' })
} else if (!built) {
  console.error('sms-auth: dist/ is missing and cannot be built here (npm install first)')
  process.exit(1)
}
await import(pathToFileURL(join(root, 'dist/node.js')).href)
