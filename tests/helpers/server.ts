import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { bunBinary } from '../../scripts/bun-path.mjs'
import { groupMembers, spawnGuarded } from './spawn.js'
import type { GuardedProcess } from './spawn.js'

export type Runtime = 'node' | 'deno' | 'bun'

export interface ServerOptions {
  runtime: Runtime
  /**
   * Environment of API.md, over the defaults `PORT=0`, `HOST=127.0.0.1` and a fresh
   * `DATABASE_URL=file:<temp dir>/sms-auth.db`. A key set to `undefined` removes the default.
   * Nothing else leaks in from this process: `SMS_AUTH_*`, `DATABASE_*`, `PORT` and `HOST` are
   * dropped from the inherited environment.
   */
  env?: Record<string, string | undefined>
  /** Working directory of the server (where development mode keeps `./data/`); the repo root. */
  cwd?: string
  /**
   * Entry module instead of `edge/node.ts` / `edge/deno.ts` (absolute, or relative to the repo);
   * Bun runs the Node entry (`npm run start:bun`).
   */
  entry?: string
  /** How long to wait for the listening line and a 200 from /healthz. */
  timeoutMs?: number
}

export interface Server {
  /** `http://127.0.0.1:PORT`, from the server's own listening line. */
  url: string
  /** The process group of the server (its guard's pid). */
  pid: number
  /** A temporary directory for this server (its default database); removed on close. */
  dir: string
  /** Everything the server wrote to stdout and stderr so far (to assert that no secret leaks). */
  output(): string
  /** Ends the whole process tree and removes `dir`. */
  close(): Promise<void>
  /** Sends `signal` to the server itself (not its guard), as a process manager would. */
  signal(signal: NodeJS.Signals): void
  /** The server's exit code once it has ended by itself (null when killed by a signal). */
  exited: Promise<number | null>
}

export const root = fileURLToPath(new URL('../../', import.meta.url))

const LISTENING = /sms-auth listening on (http:\/\/[^\s]+)/
const DEFAULT_TIMEOUT_MS = 30_000

/**
 * The command lines of `npm start`, `npm run start:deno` and `npm run start:bun`, with absolute
 * paths so that the server may run from any directory. Deno reads `deno.json` (sloppy imports, the
 * existing node_modules) and never downloads anything (`--cached-only`); Bun runs TypeScript as is.
 */
export function serverCommand(
  runtime: Runtime,
  entry = runtime === 'deno' ? 'edge/deno.ts' : 'edge/node.ts',
): { command: string; args: string[] } {
  const entryPath = resolve(root, entry)
  // A built entry (dist/node.js) runs on plain Node, as in production.
  if (runtime === 'node' && entryPath.endsWith('.js'))
    return { command: process.execPath, args: ['--enable-source-maps', entryPath] }
  if (runtime === 'bun') return { command: bunBinary(), args: [entryPath] }
  if (runtime === 'deno') {
    return {
      command: join(root, 'node_modules/.bin/deno'),
      args: ['run', '-A', '--cached-only', '--config', join(root, 'deno.json'), entryPath],
    }
  }
  return {
    command: join(root, 'node_modules/.bin/tsx'),
    args: ['--tsconfig', join(root, 'tsconfig.json'), entryPath],
  }
}

function serverEnv(dir: string, env: ServerOptions['env']): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(SMS_AUTH_|DATABASE_)|^(PORT|HOST|NODE_OPTIONS)$/.test(key)) continue
    inherited[key] = value
  }
  const merged: NodeJS.ProcessEnv = {
    ...inherited,
    NO_COLOR: '1',
    DENO_NO_UPDATE_CHECK: '1',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(dir, 'sms-auth.db')}`,
  }
  for (const [key, value] of Object.entries(env ?? {})) {
    if (value === undefined) delete merged[key]
    else merged[key] = value
  }
  return merged
}

/** Starts the runtime's entry on an ephemeral port and waits until it is healthy. */
export async function startServer(options: ServerOptions): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), `sms-auth-${options.runtime}-`))
  const { command, args } = serverCommand(options.runtime, options.entry)
  const proc = spawnGuarded(command, args, {
    cwd: options.cwd ?? root,
    env: serverEnv(dir, options.env),
    cleanup: dir,
  })
  try {
    const url = await waitHealthy(proc, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    // Only the runtime's own process: the guard's shell and its watcher must stay.
    const comm = options.runtime
    const signal = (sig: NodeJS.Signals) => {
      for (const pid of groupMembers(proc.pid, comm)) process.kill(pid, sig)
    }
    return {
      url,
      pid: proc.pid,
      dir,
      output: proc.output,
      close: () => proc.close(),
      signal,
      exited: proc.exited,
    }
  } catch (error) {
    await proc.close()
    throw error
  }
}

async function waitHealthy(proc: GuardedProcess, timeoutMs: number): Promise<string> {
  let exitCode: number | null | undefined
  void proc.exited.then((code) => (exitCode = code))
  const deadline = Date.now() + timeoutMs
  let url: string | undefined
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`the server exited with ${exitCode} before it was healthy:\n${proc.output()}`)
    }
    url ??= LISTENING.exec(proc.output())?.[1]
    if (url !== undefined && (await healthy(url))) return url
    await sleep(50)
  }
  throw new Error(
    `the server was not healthy within ${timeoutMs} ms (url: ${url ?? 'none'}):\n${proc.output()}`,
  )
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })
    await response.body?.cancel()
    return response.status === 200
  } catch {
    return false
  }
}

/**
 * JSON calls to a started server (its URL read when called, so it can be made before the server
 * starts): the status and the parsed body (undefined when empty), with an optional Bearer token.
 */
export function jsonCaller(base: () => string) {
  return async (method: string, path: string, body?: unknown, token?: string) => {
    const r = await fetch(`${base()}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await r.text()
    return { status: r.status, body: text ? JSON.parse(text) : undefined }
  }
}

export interface Reply {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
}

/** One JSON request to a spawned server; the body is parsed when there is one. */
export async function request(
  s: Server,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(s.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}
