import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * A child process tree that cannot outlive the process that started it.
 *
 * The command runs under a small `sh` guard in a process group of its own. The guard holds the
 * read end of a pipe whose write end only this process holds: when this process dies for any
 * reason (even SIGKILL), the pipe reaches EOF and the guard ends the whole group and removes
 * `cleanup`. A normal exit also kills the group synchronously (`process.on('exit')`).
 */
export interface GuardedProcess {
  readonly pid: number
  /** Everything the tree wrote to stdout and stderr so far. */
  output(): string
  /** Resolves with the exit code (or null when killed by a signal) once the command ends. */
  readonly exited: Promise<number | null>
  /** Calls `listener` with each chunk of stdout as it arrives. */
  onStdout(listener: (chunk: string) => void): void
  /** TERM to the group, KILL after `graceMs`; resolves once no process of the group is left. */
  close(graceMs?: number): Promise<void>
}

export interface GuardedOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** A directory the guard removes when this process dies without calling `close()`. */
  cleanup?: string
}

// `$child` is the command; the subshell is the guard. Background jobs of a non-interactive shell
// read /dev/null, so the pipe is kept on fd 3 for the guard alone.
const GUARD = `
exec 3<&0 0</dev/null
"$@" 3<&- &
child=$!
(
  cat <&3 >/dev/null 2>&1
  trap '' TERM
  kill -TERM 0 2>/dev/null
  sleep 1
  kill -KILL "$child" 2>/dev/null
  if [ -n "$GUARD_CLEANUP" ]; then rm -rf "$GUARD_CLEANUP"; fi
  kill -KILL 0 2>/dev/null
) >/dev/null 2>&1 &
exec 3<&-
wait "$child"
`

const OUTPUT_LIMIT = 16 * 1024 * 1024

/** Process groups still running, with the directory to remove when this process exits. */
const live = new Map<number, string | undefined>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const [pgid, cleanup] of live) {
      killGroup(pgid, 'SIGKILL')
      if (cleanup) rmSync(cleanup, { recursive: true, force: true })
    }
  })
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** True while a process of group `pgid` exists that is not a zombie (Linux /proc). */
export function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0
}

/** The live (not zombie) processes of group `pgid`, optionally only those named `comm`. */
export function groupMembers(pgid: number, comm?: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue
    }
    // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses.
    const close = stat.lastIndexOf(')')
    const fields = stat.slice(close + 2).split(' ')
    if (Number(fields[2]) !== pgid || fields[0] === 'Z' || fields[0] === 'X') continue
    if (comm !== undefined && stat.slice(stat.indexOf('(') + 1, close) !== comm) continue
    found.push(Number(entry))
  }
  return found
}

export function spawnGuarded(
  command: string,
  args: readonly string[],
  options: GuardedOptions = {},
): GuardedProcess {
  installExitHook()
  const child = spawn('/bin/sh', ['-c', GUARD, 'sms-auth-guard', command, ...args], {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), GUARD_CLEANUP: options.cleanup ?? '' },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`could not spawn ${command}`)
  live.set(pid, options.cleanup)

  let output = ''
  const stdoutListeners: Array<(chunk: string) => void> = []
  const collect = (chunk: string): void => {
    if (output.length < OUTPUT_LIMIT) output += chunk
  }
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    collect(chunk)
    for (const listener of stdoutListeners) listener(chunk)
  })
  child.stderr.on('data', collect)
  // The guard never writes to stdin; an EPIPE after it is gone is not an error.
  child.stdin.on('error', () => {})

  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      // The command ended by itself: let the guard sweep the group (orphaned grandchildren).
      child.stdin.destroy()
      resolve(code)
    })
    child.on('error', () => resolve(null))
  })

  let closing: Promise<void> | undefined
  const close = (graceMs = 5_000): Promise<void> => {
    closing ??= (async () => {
      killGroup(pid, 'SIGTERM')
      const deadline = Date.now() + graceMs
      while (groupAlive(pid) && Date.now() < deadline) await sleep(25)
      if (groupAlive(pid)) {
        killGroup(pid, 'SIGKILL')
        while (groupAlive(pid)) await sleep(25)
      }
      child.stdin.destroy()
      await exited
      live.delete(pid)
      if (options.cleanup) rmSync(options.cleanup, { recursive: true, force: true })
    })()
    return closing
  }

  return {
    pid,
    output: () => output,
    exited,
    onStdout: (listener) => void stdoutListeners.push(listener),
    close,
  }
}
