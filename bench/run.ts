import { existsSync } from 'node:fs'
import { widgetTimings } from './widget-timing.js'
/**
 * `npm run bench`: start and check (a login that signs in) of our real server, of the floor
 * (bench/floor.ts: the least Hono + libSQL can do) and of Better Auth's phone-number plugin
 * (bench/better-auth.ts), in one run, each in its own process on the same libSQL build and a fresh
 * file database, pinned to the same core (bench/compare.ts), at 10, 50 and 200 connections:
 * throughput, p50/p99, server CPU per request, and the ratios ours/floor and ours/Better Auth.
 *
 * Then our starts on one instance against two sharing one sqld (bench/scale.ts), the latency of
 * start and check on a big database against a fresh one (bench/big-bench.ts), and the database's
 * bytes per verification at a steady state with the maintenance job running (bench/retention.ts).
 *
 * Environment: BENCH_SECONDS (5), BENCH_LEVELS (`10,50,200`: connections), BENCH_SYSTEMS
 * (`floor,ours,better-auth`), BENCH_OURS_ENV (more environment for our server), BENCH_PIN (`0`:
 * no pinning), BENCH_RUNTIME (`node` or `deno`, for
 * our server), BENCH_SCALE_CONNECTIONS (bench/scale.ts, 0 leaves it out), BENCH_BIG_USERS /
 * BENCH_BIG_VERIFICATIONS / BENCH_BIG_CHECKS (bench/big-db.ts), BENCH_RETENTION_VERIFICATIONS /
 * BENCH_RETENTION_DAYS (bench/retention.ts); a size of 0 leaves that part out; BENCH_WIDGET=0
 * leaves out the widget's timings. `--floor-only`
 * measures the floor alone.
 */
import { cpus } from 'node:os'
import { join } from 'node:path'
import { root } from '../tests/helpers/server.js'
import { benchBig, printBig } from './big-bench.js'
import { benchSystem, pinning, printRatios, printRows, type Row } from './compare.js'
import { measureRetention, printRetention, RETENTION_COUNT } from './retention.js'
import { benchScale, printScale, SCALE_CONNECTIONS } from './scale.js'
import { startBetterAuthSystem, startFloorSystem, startOurSystem, type System } from './systems.js'
import { printWidgetSizes } from './widget-sizes.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const LEVELS = (process.env.BENCH_LEVELS ?? '10,50,200').split(',').map(Number)
const RUNTIME = process.env.BENCH_RUNTIME === 'deno' ? 'deno' : 'node'
const FLOOR_ONLY = process.argv.includes('--floor-only')
const SYSTEMS = FLOOR_ONLY
  ? ['floor']
  : (process.env.BENCH_SYSTEMS ?? 'floor,ours,better-auth').split(',').filter(Boolean)

/** BENCH_OURS_ENV: `KEY=VALUE,KEY=VALUE` more for our server (e.g. SMS_AUTH_DB_MAX_REQUESTS=32). */
const OURS_ENV = Object.fromEntries(
  (process.env.BENCH_OURS_ENV ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
)

const starters: Record<string, () => Promise<System>> = {
  floor: startFloorSystem,
  ours: () => startOurSystem(RUNTIME, OURS_ENV),
  'better-auth': startBetterAuthSystem,
}

async function main(): Promise<void> {
  console.log(
    `sms-auth bench: Node ${process.version}, ${cpus().length} CPUs, ${LEVELS.join('/')} connections, ` +
      `${SECONDS} s per target after 1 s of warm-up; our server on ${RUNTIME}\n`,
  )
  const pin = pinning()
  const rows: Row[] = []
  for (const name of SYSTEMS) {
    const start = starters[name]
    if (!start) throw new Error(`unknown system ${name} in BENCH_SYSTEMS`)
    // One system at a time, on a fresh database: none competes with another for the core.
    const system = await start()
    try {
      pin.server(system.pgid)
      for (const connections of LEVELS) rows.push(await benchSystem(system, connections, SECONDS))
    } finally {
      await system.close()
    }
  }
  printRows(rows)
  printRatios(rows)
  if (FLOOR_ONLY) return printWidgetSizes(join(root, 'dist/widget'))
  if (SCALE_CONNECTIONS > 0) printScale(await benchScale(RUNTIME, SECONDS))
  console.log('')
  const big = await benchBig(RUNTIME, SECONDS, LEVELS[0] ?? 10)
  if (big !== undefined) printBig(big)
  if (RETENTION_COUNT > 0) {
    process.stdout.write('\n  steady state with the maintenance job … ')
    printRetention(await measureRetention())
  }
  printWidgetSizes(join(root, 'dist/widget'))
  if (process.env.BENCH_WIDGET !== '0' && existsSync(join(root, 'dist/widget/widget.js')))
    await widgetTimings()
}

try {
  await main()
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
