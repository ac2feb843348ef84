/**
 * The server as plain JavaScript: one ES module per runtime entry (dist/node.js, dist/deno.js;
 * Bun runs dist/node.js), with source maps. Packages stay imports (they are dependencies, installed
 * beside it), so the libSQL native binding and WebAssembly files resolve as they do in
 * development. The Workers entry (dist/workers.js) is one self-contained module instead
 * (scripts/workers-bundle.mjs).
 */
import { build } from 'esbuild'
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { workersBundle } from './workers-bundle.mjs'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

await build({
  entryPoints: { node: 'edge/node.ts', deno: 'edge/deno.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
})
await build({ ...workersBundle, outdir: 'dist' })
// The widget's files precompressed once here (the server sends the variant a browser accepts),
// so no request pays for compression: the phone metadata chunk is 183 KB raw, 31 KB in brotli.
function precompress(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) precompress(path)
    else if (/\.(js|css|json|svg)$/.test(name)) {
      const bytes = readFileSync(path)
      writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }))
      writeFileSync(
        `${path}.br`,
        brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      )
    }
  }
}
precompress('dist/widget')

// GET /docs runs Scalar's standalone bundle from our own origin, never a CDN (edge/docs/reference.ts).
mkdirSync('dist/docs', { recursive: true })
copyFileSync('node_modules/@scalar/api-reference/dist/browser/standalone.js', 'dist/docs/scalar.js')
precompress('dist/docs')

// The admin page's Activity charts: uPlot (MIT), served from our own origin at /admin/vendor/
// (edge/site.ts), loaded only when the tab opens.
mkdirSync('dist/vendor', { recursive: true })
copyFileSync('node_modules/uplot/dist/uPlot.esm.js', 'dist/vendor/uplot.js')
copyFileSync('node_modules/uplot/dist/uPlot.min.css', 'dist/vendor/uplot.css')
copyFileSync('node_modules/uplot/LICENSE', 'dist/vendor/uplot.LICENSE.txt')

// What scripts/start.mjs compares against the sources to know whether to build again.
writeFileSync('dist/.built', `${new Date().toISOString()}\n`)
