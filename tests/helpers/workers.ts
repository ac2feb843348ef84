/**
 * The Workers entry on workerd, through miniflare: edge/workers.ts bundled as the build does
 * (scripts/workers-bundle.mjs) into a temporary directory, then any number of Worker instances of
 * it, each its own workerd process with its own isolate, on one set of bindings.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { workersBundle } from '../../scripts/workers-bundle.mjs'
import { root } from './server.js'

/** Within what the installed workerd supports (its version is its date). */
export const COMPATIBILITY_DATE = '2026-04-01'

export interface Worker {
  /** `http://127.0.0.1:PORT/`, the Worker's own address. */
  url: string
  /** What the Worker wrote with console.log / console.error. */
  output(): string
  close(): Promise<void>
}

/** Builds dist/workers.js's twin; returns its path and a function removing it. */
export async function bundleWorker(): Promise<{ script: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sms-auth-workers-'))
  await build({ ...workersBundle, absWorkingDir: root, outdir: dir, sourcemap: false })
  return { script: join(dir, 'workers.js'), remove: () => rm(dir, { recursive: true }) }
}

/** One Worker instance (a workerd process) running `script` with `bindings` as its env. */
export async function startWorker(
  script: string,
  bindings: Record<string, string>,
): Promise<Worker> {
  let output = ''
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    // Module names are paths under this root; the bundle lives in a temporary directory.
    modulesRoot: dirname(script),
    compatibilityDate: COMPATIBILITY_DATE,
    bindings,
    port: 0,
    host: '127.0.0.1',
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
      stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    },
  })
  let url: string
  try {
    url = (await mf.ready).href
  } catch (err) {
    await mf.dispose().catch(() => {})
    throw new Error(`workerd did not start:\n${output}`, { cause: err })
  }
  return { url, output: () => output, close: () => mf.dispose() }
}
