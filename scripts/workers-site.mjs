/**
 * The static files a Worker serves through its ASSETS binding (docs/wrangler.toml): the widget
 * (dist/widget, with its precompressed twins), the admin page (demo/admin) with its libraries
 * (dist/vendor) and the API reference's script (dist/docs), under widget/, admin/, vendor/ and
 * docs/ of one directory (`workers-site/` when run as a script). edge/workers.ts reads them through site(), as the Node entry reads the disk.
 * Run after `npm run build:app`; not part of dist/, so the npm package does not carry a copy.
 */
import { cpSync, existsSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(fileURLToPath(import.meta.url), '../..')

export function assembleWorkersSite(outDir = join(root, 'workers-site')) {
  for (const built of ['dist/widget/widget.js', 'dist/docs/scalar.js', 'dist/vendor/uplot.js'])
    if (!existsSync(join(root, built)))
      throw new Error(`${built} is missing: npm run build:app first`)
  rmSync(outDir, { recursive: true, force: true })
  cpSync(join(root, 'dist/widget'), join(outDir, 'widget'), { recursive: true })
  cpSync(join(root, 'demo/admin'), join(outDir, 'admin'), { recursive: true })
  cpSync(join(root, 'dist/docs'), join(outDir, 'docs'), { recursive: true })
  cpSync(join(root, 'dist/vendor'), join(outDir, 'vendor'), { recursive: true })
  return outDir
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`sms-auth: Workers assets in ${assembleWorkersSite()}`)
}
