/**
 * The Workers entry on workerd, through miniflare: edge/workers.ts bundled as the build does
 * (scripts/workers-bundle.mjs) into a temporary directory, then any number of Worker instances of
 * it, each its own workerd process with its own isolate, on one set of bindings.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { workersBundle } from '../../scripts/workers-bundle.mjs'
import { assembleWorkersSite } from '../../scripts/workers-site.mjs'
import { root } from './server.js'

/** Within what the installed workerd supports (its version is its date). */
export const COMPATIBILITY_DATE = '2026-04-01'

export interface Worker {
  /** `http://127.0.0.1:PORT/`, the Worker's own address. */
  url: string
  /** What the Worker wrote with console.log / console.error. */
  output(): string
  /** Fires the Worker's Cron Trigger once; resolves with the handler's outcome ("ok"). */
  scheduled(): Promise<string>
  close(): Promise<void>
}

/** The Workers assets (scripts/workers-site.mjs) in a temporary directory, built first if need be. */
export async function workersSite(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const built = ['dist/widget/widget.js', 'dist/docs/scalar.js', 'dist/vendor/uplot.js']
  if (!built.every((file) => existsSync(join(root, file))))
    execFileSync('npm', ['run', '--silent', 'build:app'], { cwd: root, stdio: 'inherit' })
  const dir = await mkdtemp(join(tmpdir(), 'sms-auth-workers-site-'))
  assembleWorkersSite(dir)
  return { dir, remove: () => rm(dir, { recursive: true }) }
}

/** Builds dist/workers.js's twin; returns its path and a function removing it. */
export async function bundleWorker(): Promise<{ script: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sms-auth-workers-'))
  await build({ ...workersBundle, absWorkingDir: root, outdir: dir, sourcemap: false })
  return { script: join(dir, 'workers.js'), remove: () => rm(dir, { recursive: true }) }
}

/**
 * One Worker instance (a workerd process) running `script` with `bindings` as its env, and the
 * static assets in `assets` (scripts/workers-site.mjs) as ASSETS, configured as docs/wrangler.toml.
 */
export async function startWorker(
  script: string,
  bindings: Record<string, string>,
  assets?: string,
): Promise<Worker> {
  let output = ''
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    // Module names are paths under this root; the bundle lives in a temporary directory.
    modulesRoot: dirname(script),
    compatibilityDate: COMPATIBILITY_DATE,
    bindings,
    ...(assets && {
      assets: {
        directory: assets,
        binding: 'ASSETS',
        // run_worker_first and html_handling = "none" of docs/wrangler.toml.
        routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
        assetConfig: { html_handling: 'none', not_found_handling: 'none' },
      },
    }),
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
  const scheduled = async () => {
    // Fetcher's type comes from @cloudflare/workers-types, not installed: the part used here.
    const worker = (await mf.getWorker()) as unknown as {
      scheduled(event: { cron: string; scheduledTime: Date }): Promise<{ outcome: string }>
    }
    return (await worker.scheduled({ cron: '* * * * *', scheduledTime: new Date() })).outcome
  }
  return { url, output: () => output, scheduled, close: () => mf.dispose() }
}
