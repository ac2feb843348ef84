/**
 * Scale-out of `npm run bench`: our starts on one instance over sqld against two instances over
 * the same sqld, the load split evenly between them. Target: two ≥ 1.6× one.
 * BENCH_SCALE_CONNECTIONS (50): connections in all, on one instance or split over two.
 *
 * Each run also prints where the CPU went per start (each instance, sqld, this load generator)
 * and how much of the machine was idle: on a machine the three share, two instances can be no
 * faster than its cores allow at that cost, and that bound is printed beside the ratio.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { startServer, type Runtime, type Server } from '../tests/helpers/server.js'
import { startSqld } from '../tests/helpers/sqld.js'
import { cpuMs } from './cpu.js'
import { Counter } from './fixtures.js'
import { load, percentile, type LoadResult } from './load.js'
import { ourSystem } from './systems.js'

export const SCALE_CONNECTIONS = Number(process.env.BENCH_SCALE_CONNECTIONS ?? 50)
export const SCALE_TARGET = 1.6

export interface ScaleResult {
  one: Pooled
  two: Pooled
}

interface Pooled {
  rps: number
  p50: number
  p99: number
  failed: number
  statuses: Record<string, number>
  /** CPU ms per start answered: each instance, sqld, the load generator. */
  cpu: { instances: number[]; sqld: number; load: number }
  /** Share of the machine's CPU time left idle during the run. */
  idle: number
}

/** The machine's idle and total CPU time so far (/proc/stat, all CPUs). */
function machineTimes(): { idle: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1)
  const ticks = fields.map(Number)
  return { idle: ticks[3]! + ticks[4]!, total: ticks.reduce((a, b) => a + b, 0) }
}

async function instance(
  runtime: Runtime,
  url: string,
  secret: string,
  token: string,
): Promise<Server> {
  return startServer({
    runtime,
    entry: runtime === 'node' ? 'dist/node.js' : undefined,
    env: {
      SMS_AUTH_MODE: 'development',
      SMS_AUTH_TRUST_PROXY: '1',
      SMS_AUTH_SECRET: secret,
      SMS_AUTH_ADMIN_TOKEN: token,
      DATABASE_URL: url,
    },
  })
}

/** Starts on each server at once, `connections` split between them; latencies pooled. */
async function starts(
  servers: Server[],
  sqldPid: number,
  connections: number,
  seconds: number,
  phones: Counter,
  addresses: Counter,
): Promise<Pooled> {
  const systems = servers.map((s) => ourSystem(s.url, s.pid, () => s.close(), phones, addresses))
  const cpu0 = { instances: servers.map((s) => cpuMs([s.pid])), sqld: cpuMs([sqldPid]) }
  const load0 = process.cpuUsage()
  const machine0 = machineTimes()
  const results: LoadResult[] = await Promise.all(
    systems.map((system) =>
      load({
        url: system.url,
        connections: Math.max(1, Math.round(connections / systems.length)),
        seconds,
        status: 201,
        next: () => system.start(),
      }),
    ),
  )
  const loadCpu = process.cpuUsage(load0)
  const machine = machineTimes()
  const answered = results.reduce((sum, r) => sum + (r.statuses['201'] ?? 0), 0) || 1
  const cpu = {
    instances: servers.map((s, i) => (cpuMs([s.pid]) - cpu0.instances[i]!) / answered),
    sqld: (cpuMs([sqldPid]) - cpu0.sqld) / answered,
    load: (loadCpu.user + loadCpu.system) / 1000 / answered,
  }
  const idle = (machine.idle - machine0.idle) / Math.max(1, machine.total - machine0.total)
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b)
  const statuses: Record<string, number> = {}
  for (const r of results)
    for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v
  return {
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    statuses,
    cpu,
    idle,
  }
}

export async function benchScale(runtime: Runtime, seconds: number): Promise<ScaleResult> {
  const secret = randomBytes(32).toString('hex')
  const token = randomBytes(24).toString('hex')
  const phones = new Counter()
  const addresses = new Counter()
  const run = async (count: number): Promise<Pooled> => {
    const sqld = await startSqld()
    const servers: Server[] = []
    try {
      // One after the other: the first one migrates the database.
      for (let i = 0; i < count; i++) servers.push(await instance(runtime, sqld.url, secret, token))
      process.stdout.write(`  ${count} instance${count > 1 ? 's' : ''} on one sqld, starts … `)
      await starts(servers, sqld.pid, SCALE_CONNECTIONS, 1, phones, addresses)
      const result = await starts(servers, sqld.pid, SCALE_CONNECTIONS, seconds, phones, addresses)
      console.log(`${Math.round(result.rps)} req/s`)
      return result
    } finally {
      await Promise.all(servers.map((s) => s.close()))
      await sqld.close()
    }
  }
  console.log('')
  return { one: await run(1), two: await run(2) }
}

export function printScale({ one, two }: ScaleResult): void {
  const line = (name: string, r: Pooled) =>
    console.log(
      `${name.padEnd(26)} ${String(Math.round(r.rps)).padStart(7)} req/s  p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  failed ${r.failed}${r.failed ? ` ${JSON.stringify(r.statuses)}` : ''}`,
    )
  console.log(`\nstarts over one sqld, ${SCALE_CONNECTIONS} connections in all`)
  line('one instance', one)
  line('two instances', two)
  const split = (r: Pooled) =>
    `instance${r.cpu.instances.length > 1 ? 's' : ''} ${r.cpu.instances.map((c) => c.toFixed(2)).join(' + ')}, sqld ${r.cpu.sqld.toFixed(2)}, load ${r.cpu.load.toFixed(2)} ms a start; machine ${Math.round(r.idle * 100)} % idle`
  console.log(`  cpu, one: ${split(one)}`)
  console.log(`  cpu, two: ${split(two)}`)
  const ratio = two.rps / one.rps
  // What the machine's cores allow two instances at the CPU a start cost them, sqld and the load.
  const perStart = two.cpu.instances.reduce((a, b) => a + b, 0) + two.cpu.sqld + two.cpu.load
  const bound = (cpus().length * 1000) / perStart / one.rps
  console.log(
    `two / one ${ratio.toFixed(2)} (target ≥ ${SCALE_TARGET}) ${ratio >= SCALE_TARGET ? 'ok' : 'MISSED'}; ` +
      `${cpus().length} cores at that CPU per start allow at most ${bound.toFixed(2)}`,
  )
}
