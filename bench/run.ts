import { existsSync } from 'node:fs'
import { widgetTimings } from './widget-timing.js'
/**
 * `npm run bench`: start-verification and check-with-session throughput and latency of our real
 * server, next to the floor (bench/floor.ts) measured in the same run, printed as ratios.
 *
 * Both servers run in their own process (tsx), on a fresh file database each, while autocannon
 * runs here: 10 connections, a bounded time per target, after a short warm-up.
 *
 * Then the latency of start and check on a big database against a fresh one (bench/big-bench.ts),
 * and the database's bytes per verification at a steady state with the maintenance job running
 * (bench/retention.ts, in-process).
 *
 * Environment: BENCH_SECONDS (5), BENCH_CONNECTIONS (10), BENCH_RUNTIME (`node` or `deno`, for
 * our server), BENCH_BIG_USERS / BENCH_BIG_VERIFICATIONS / BENCH_BIG_CHECKS (bench/big-db.ts),
 * BENCH_RETENTION_VERIFICATIONS / BENCH_RETENTION_DAYS (bench/retention.ts); a size of 0 leaves
 * that part out. `--floor-only` measures the floor alone.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { root, startServer } from '../tests/helpers/server.js'
import type { Server } from '../tests/helpers/server.js'
import { spawnGuarded } from '../tests/helpers/spawn.js'
import { benchBig, printBig } from './big-bench.js'
import { openFloorDatabase, seedFloorChecks } from './floor.js'
import { Api, Counter, clientAddress, phoneNumber, pool } from './fixtures.js'
import type { PendingCheck } from './fixtures.js'
import { load } from './load.js'
import type { LoadResult } from './load.js'
import { measureRetention, printRetention, RETENTION_COUNT } from './retention.js'
import { printWidgetSizes } from './widget-sizes.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const RUNTIME = process.env.BENCH_RUNTIME === 'deno' ? 'deno' : 'node'
const FLOOR_ONLY = process.argv.includes('--floor-only')
const WARMUP_SECONDS = 1
/** Floor checks seeded up front: more than the floor can consume in the warm-up and the run. */
const FLOOR_CHECKS = 300_000
/** Our checks need a registered account each: enough for about SECONDS, within bounds. */
const MIN_CHECKS = 300
const MAX_CHECKS = 8_000
const WARMUP_CHECKS = 200

const TARGETS = { startRatio: 0.6, checkRatio: 0.5, p99Ms: 20 }

interface Floor {
  url: string
  close(): Promise<void>
}

async function startFloor(): Promise<Floor> {
  const dir = await mkdtemp(join(tmpdir(), 'sms-auth-floor-'))
  const url = `file:${join(dir, 'floor.db')}`
  const db = await openFloorDatabase(url)
  await seedFloorChecks(db, FLOOR_CHECKS)
  db.close()
  const proc = spawnGuarded(join(root, 'node_modules/.bin/tsx'), [join(root, 'bench/floor.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', FLOOR_DATABASE_URL: url },
    cleanup: dir,
  })
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const match = /floor listening on (http:\/\/\S+)/.exec(proc.output())
    if (match?.[1] !== undefined) return { url: match[1], close: () => proc.close() }
    await sleep(50)
  }
  await proc.close()
  throw new Error(`the floor did not start:\n${proc.output()}`)
}

/** Warm-up (discarded), then the measured run. */
async function measure(
  name: string,
  run: (phase: { seconds: number; amount?: number }) => Promise<LoadResult>,
  amount?: number,
): Promise<LoadResult> {
  process.stdout.write(`  ${name} … `)
  await run({ seconds: WARMUP_SECONDS, amount: amount === undefined ? undefined : WARMUP_CHECKS })
  await sleep(300)
  const result = await run({ seconds: SECONDS, amount })
  console.log(`${Math.round(result.rps)} req/s`)
  return result
}

function json(value: unknown): string {
  return JSON.stringify(value)
}

async function benchFloor(floor: Floor): Promise<{ start: LoadResult; check: LoadResult }> {
  let phones = 0
  const start = await measure('floor POST /start', ({ seconds }) =>
    load({
      url: floor.url,
      connections: CONNECTIONS,
      seconds,
      status: 201,
      next: () => ({ path: '/start', body: json({ phone: phoneNumber(phones++).e164 }) }),
    }),
  )
  let checks = 0
  const check = await measure('floor POST /check', ({ seconds }) =>
    load({
      url: floor.url,
      connections: CONNECTIONS,
      seconds,
      status: 200,
      next: () => ({ path: '/check', body: json({ id: `chk_${checks++}`, code: '123456' }) }),
    }),
  )
  return { start, check }
}

async function benchOurs(server: Server): Promise<{ start: LoadResult; check: LoadResult }> {
  const phones = new Counter()
  const addresses = new Counter()
  const start = await measure('ours  POST /v1/verifications', ({ seconds }) =>
    load({
      url: server.url,
      connections: CONNECTIONS,
      seconds,
      status: 201,
      next: () => ({
        path: '/v1/verifications',
        body: json({
          purpose: 'register',
          phone: phoneNumber(phones.next()).national,
          country: 'IN',
        }),
        headers: { 'x-forwarded-for': clientAddress(addresses.next()) },
      }),
    }),
  )

  const count = Math.round(Math.min(MAX_CHECKS, Math.max(MIN_CHECKS, start.rps * SECONDS)))
  // Each autocannon connection builds one request ahead that it never sends.
  const needed = WARMUP_CHECKS + count + 4 * CONNECTIONS
  const api = new Api(server.url, addresses)
  const began = Date.now()
  process.stdout.write(`  (registering ${needed} accounts with a pending login verification … `)
  const pending: PendingCheck[] = await pool(needed, CONNECTIONS, () => api.pendingLogin(phones))
  console.log(`${((Date.now() - began) / 1000).toFixed(1)} s)`)

  let next = 0
  const check = await measure(
    'ours  POST /v1/verifications/:id/check',
    ({ amount }) =>
      load({
        url: server.url,
        connections: CONNECTIONS,
        amount,
        status: 200,
        next: () => {
          const item = pending[next++]
          if (item === undefined) throw new Error('ran out of pending verifications')
          return {
            path: `/v1/verifications/${item.id}/check`,
            body: json({ code: item.code }),
            headers: { 'x-forwarded-for': clientAddress(addresses.next()) },
          }
        },
        verifyBody: (body) => body.includes('"session"') && body.includes('"accessToken"'),
      }),
    count,
  )
  return { start, check }
}

const ms = (value: number): string => value.toFixed(2)

function printTable(rows: [string, LoadResult | undefined][]): void {
  const width = Math.max(...rows.map(([name]) => name.length))
  console.log(
    `\n${''.padEnd(width)}  ${'req/s'.padStart(8)}  ${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ${'max ms'.padStart(7)}  ${'requests'.padStart(8)}  ${'failed'.padStart(6)}`,
  )
  for (const [name, r] of rows) {
    if (r === undefined) continue
    console.log(
      `${name.padEnd(width)}  ${Math.round(r.rps).toString().padStart(8)}  ${ms(r.p50).padStart(7)}  ${ms(r.p99).padStart(7)}  ${ms(r.max).padStart(7)}  ${String(r.requests).padStart(8)}  ${String(r.failed).padStart(6)}`,
    )
    if (r.failed > 0) console.log(`${''.padEnd(width)}  statuses: ${json(r.statuses)}`)
  }
}

function verdict(ok: boolean): string {
  return ok ? 'ok' : 'MISSED'
}

function printRatios(
  floor: { start: LoadResult; check: LoadResult },
  ours: { start: LoadResult; check: LoadResult },
): void {
  const startRatio = ours.start.rps / floor.start.rps
  const checkRatio = ours.check.rps / floor.check.rps
  console.log('')
  console.log(
    `start / floor start  ${startRatio.toFixed(2)}  (target ≥ ${TARGETS.startRatio})  ${verdict(startRatio >= TARGETS.startRatio)}`,
  )
  console.log(
    `check / floor check  ${checkRatio.toFixed(2)}  (target ≥ ${TARGETS.checkRatio})  ${verdict(checkRatio >= TARGETS.checkRatio)}`,
  )
  for (const [name, r] of [
    ['start', ours.start],
    ['check', ours.check],
  ] as const) {
    console.log(
      `p99 ${name} ${ms(r.p99)} ms at ${CONNECTIONS} connections  (target ≤ ${TARGETS.p99Ms} ms)  ${verdict(r.p99 <= TARGETS.p99Ms)}`,
    )
  }
  const failed = ours.start.failed + ours.check.failed + floor.start.failed + floor.check.failed
  if (failed > 0) console.log(`\n${failed} requests failed: the figures above are not valid`)
}

async function main(): Promise<void> {
  console.log(
    `sms-auth bench: Node ${process.version}, ${cpus().length} CPUs, ${CONNECTIONS} connections, ` +
      `${SECONDS} s per target after ${WARMUP_SECONDS} s of warm-up; our server on ${RUNTIME}\n`,
  )
  const closers: Array<() => Promise<void>> = []
  try {
    const floorServer = await startFloor()
    closers.push(() => floorServer.close())
    let ourServer: Server | undefined
    if (!FLOOR_ONLY) {
      ourServer = await startServer({
        runtime: RUNTIME,
        env: {
          SMS_AUTH_MODE: 'development',
          SMS_AUTH_TRUST_PROXY: '1',
          SMS_AUTH_SECRET: randomBytes(32).toString('hex'),
          SMS_AUTH_ADMIN_TOKEN: randomBytes(24).toString('hex'),
        },
      })
      const server = ourServer
      closers.push(() => server.close())
    }

    const floor = await benchFloor(floorServer)
    const ours = ourServer === undefined ? undefined : await benchOurs(ourServer)

    printTable([
      ['floor  POST /start (1 INSERT)', floor.start],
      ['ours   POST /v1/verifications', ours?.start],
      ['floor  POST /check (1 SELECT + 1 guarded UPDATE)', floor.check],
      ['ours   POST /v1/verifications/:id/check (login → session)', ours?.check],
    ])
    if (ours !== undefined) printRatios(floor, ours)
  } finally {
    await Promise.all(closers.map((close) => close()))
  }
  if (FLOOR_ONLY) return printWidgetSizes(join(root, 'dist/widget'))
  console.log('')
  const big = await benchBig(RUNTIME, SECONDS, CONNECTIONS)
  if (big !== undefined) printBig(big)
  if (RETENTION_COUNT > 0) {
    process.stdout.write('\n  steady state with the maintenance job … ')
    printRetention(await measureRetention())
  }
  printWidgetSizes(join(root, 'dist/widget'))
  if (!FLOOR_ONLY && existsSync(join(root, 'dist/widget/widget.js'))) await widgetTimings()
}

try {
  await main()
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
