/**
 * The server as plain JavaScript: one ES module per runtime entry (dist/node.js, dist/deno.js),
 * with source maps. Packages stay imports (they are dependencies, installed beside it), so the
 * libSQL native binding and WebAssembly files resolve as they do in development.
 */
import { build } from 'esbuild'
import { writeFileSync } from 'node:fs'

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
// What scripts/start.mjs compares against the sources to know whether to build again.
writeFileSync('dist/.built', `${new Date().toISOString()}\n`)
