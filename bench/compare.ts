/**
 * The comparison of `npm run bench`: start and check of each system (bench/systems.ts) at each
 * number of connections, one system at a time on the same pinned core, with throughput, p50/p99
 * and the server's CPU per request, then the ratios ours/floor and ours/Better Auth.
 */
import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { groupMembers } from '../tests/helpers/spawn.js'
import { cpuMs } from './cpu.js'
import { pool } from './fixtures.js'
import { inOrder, load, type LoadRequest, type LoadResult } from './load.js'
import type { System } from './systems.js'

export interface Measured extends LoadResult {
  /** Server CPU milliseconds per expected answer (a shed request's cost is counted in). */
  cpuPerRequest: number
}

export interface Row {
  system: string
  connections: number
  start: Measured
  check: Measured
}

export const TARGETS = { startFloor: 0.6, checkFloor: 0.5, startPeer: 3, checkPeer: 5, p99Ms: 20 }

const WARMUP_SECONDS = 1
const WARMUP_CHECKS = 200
const MIN_CHECKS = 300
const MAX_CHECKS = 8_000

/**
 * Every system's server on the last core when there are two or more: the same for each, so none
 * gets a core to itself. The load generator (this process) is not pinned: what it starts
 * (sqld, the scale-out's instances) inherits its affinity and must keep every core. BENCH_PIN=0:
 * no pinning.
 */
export function pinning(): { server(pgid: number): void } {
  const enabled = process.env.BENCH_PIN !== '0' && cpus().length >= 2
  const last = String(cpus().length - 1)
  return {
    server(pgid) {
      if (!enabled) return
      for (const pid of groupMembers(pgid))
        execFileSync('taskset', ['-a', '-cp', last, String(pid)], { stdio: 'ignore' })
    },
  }
}

async function measured(system: System, run: () => Promise<LoadResult>): Promise<Measured> {
  const before = cpuMs([system.pgid])
  const result = await run()
  const cpu = cpuMs([system.pgid]) - before
  return { ...result, cpuPerRequest: result.ok > 0 ? cpu / result.ok : 0 }
}

export async function benchSystem(
  system: System,
  connections: number,
  seconds: number,
): Promise<Row> {
  const starts = (secs: number) =>
    load({
      url: system.url,
      connections,
      seconds: secs,
      status: system.startStatus,
      next: () => system.start(),
    })
  process.stdout.write(
    `  ${system.name.padEnd(12)} ${String(connections).padStart(3)} conn  start … `,
  )
  await starts(WARMUP_SECONDS)
  await sleep(200)
  const start = await measured(system, () => starts(seconds))
  process.stdout.write(`${Math.round(start.rps)} req/s; `)

  const check = system.seededCheck
    ? await seededChecks(system, system.seededCheck, connections, seconds)
    : await preparedChecks(system, connections, start.rps * seconds)
  console.log(`${Math.round(check.rps)} req/s`)
  return { system: system.name, connections, start, check }
}

/** Checks of a system that seeded them up front: warm-up, then `seconds` of them. */
async function seededChecks(
  system: System,
  next: () => LoadRequest,
  connections: number,
  seconds: number,
): Promise<Measured> {
  process.stdout.write('check … ')
  const checks = (options: { seconds?: number; amount?: number }) =>
    load({
      url: system.url,
      connections,
      ...options,
      status: 200,
      next,
      verifyBody: (body) => system.signedIn(body),
    })
  await checks({ amount: WARMUP_CHECKS })
  await sleep(200)
  return measured(system, () => checks({ seconds }))
}

/**
 * Checks of a system whose every check is set up through its API first: as many as its starts
 * made in the run's seconds, so that the run lasts about as long (within MIN/MAX_CHECKS).
 */
async function preparedChecks(
  system: System,
  connections: number,
  wanted: number,
): Promise<Measured> {
  const count = Math.round(Math.min(MAX_CHECKS, Math.max(MIN_CHECKS, wanted)))
  // Each autocannon connection builds a request or two ahead that it never sends.
  const needed = WARMUP_CHECKS + count + 4 * connections
  const began = Date.now()
  const pending: LoadRequest[] = await pool(needed, Math.min(connections, 20), () =>
    system.pendingCheck(),
  )
  process.stdout.write(
    `(${needed} pending checks in ${((Date.now() - began) / 1000).toFixed(1)} s) check … `,
  )
  const next = inOrder(pending)
  const checks = (amount: number) =>
    load({
      url: system.url,
      connections,
      amount,
      status: 200,
      next,
      verifyBody: (body) => system.signedIn(body),
    })
  await checks(WARMUP_CHECKS)
  await sleep(200)
  return measured(system, () => checks(count))
}

const f = (value: number, digits = 2) => value.toFixed(digits)

export function printRows(rows: Row[]): void {
  console.log(
    `\n${'system'.padEnd(12)} ${'conn'.padStart(4)}  ${'op'.padEnd(5)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'cpu ms/req'.padStart(10)} ${'failed'.padStart(6)}`,
  )
  for (const row of rows) {
    for (const [op, r] of [
      ['start', row.start],
      ['check', row.check],
    ] as const) {
      console.log(
        `${row.system.padEnd(12)} ${String(row.connections).padStart(4)}  ${op.padEnd(5)} ${String(Math.round(r.rps)).padStart(7)} ${f(r.p50).padStart(8)} ${f(r.p99).padStart(8)} ${f(r.max).padStart(8)} ${f(r.cpuPerRequest).padStart(10)} ${String(r.failed).padStart(6)}`,
      )
      if (r.failed > 0)
        console.log(
          `${''.padEnd(24)}statuses: ${JSON.stringify(r.statuses)}, timeouts: ${r.timeouts}`,
        )
    }
  }
}

function verdict(ok: boolean): string {
  return ok ? 'ok' : 'MISSED'
}

export function printRatios(rows: Row[]): void {
  const at = (system: string, connections: number) =>
    rows.find((r) => r.system === system && r.connections === connections)
  console.log('')
  for (const connections of [...new Set(rows.map((r) => r.connections))]) {
    const ours = at('ours', connections)
    if (!ours) continue
    for (const [peer, startTarget, checkTarget] of [
      ['floor', TARGETS.startFloor, TARGETS.checkFloor],
      ['better-auth', TARGETS.startPeer, TARGETS.checkPeer],
    ] as const) {
      const other = at(peer, connections)
      if (!other) continue
      const startRatio = ours.start.rps / other.start.rps
      const checkRatio = ours.check.rps / other.check.rps
      const show = (target: number, ratio: number) =>
        `${f(ratio)}${connections === 10 ? ` (≥ ${target} ${verdict(ratio >= target)})` : ''}`
      console.log(
        `${String(connections).padStart(3)} conn  ours/${peer.padEnd(11)} start ${show(startTarget, startRatio)}  check ${show(checkTarget, checkRatio)}  cpu/req start ${f(ours.start.cpuPerRequest / (other.start.cpuPerRequest || NaN))}× check ${f(ours.check.cpuPerRequest / (other.check.cpuPerRequest || NaN))}×`,
      )
    }
    for (const [op, r] of [
      ['start', ours.start],
      ['check', ours.check],
    ] as const) {
      const target = connections === 10 ? TARGETS.p99Ms : connections >= 200 ? 1_000 : undefined
      if (target !== undefined)
        console.log(
          `${String(connections).padStart(3)} conn  ours p99 ${op} ${f(r.p99)} ms (≤ ${target} ms${connections >= 200 ? ', no timeouts' : ''}) ${verdict(r.p99 <= target && (connections < 200 || r.timeouts === 0))}`,
        )
    }
  }
  const failed = rows.reduce((sum, r) => sum + r.start.failed + r.check.failed, 0)
  if (failed > 0) console.log(`\n${failed} requests failed: those figures are not valid`)
}
