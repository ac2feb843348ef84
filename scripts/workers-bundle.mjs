/**
 * esbuild's options for the Workers entry (edge/workers.ts → workers.js): one self-contained
 * module, since workerd resolves no packages, with the packages' `workerd`/`worker`/`browser`
 * exports (`@libsql/client` then is its HTTP client), and hash-wasm replaced. scripts/build-server.mjs builds it into
 * dist/; tests/e2e/workers.test.ts builds the same into a temporary directory.
 */
export const workersBundle = {
  entryPoints: { workers: 'edge/workers.ts' },
  bundle: true,
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser', 'import'],
  mainFields: ['module', 'main'],
  format: 'esm',
  target: 'es2022',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  // hash-wasm compiles WebAssembly at run time, which workerd forbids: the same Argon2id from
  // @noble/hashes in its place (edge/workers/argon2.ts).
  alias: { 'hash-wasm': './edge/workers/argon2.ts' },
}
