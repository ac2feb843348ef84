/**
 * Start and check latency of our server on a big database (bench/big-db.ts) against the same
 * server on a fresh one, in one run: two servers side by side, measured in alternating rounds
 * (fresh, big, big, fresh, …) so that whatever else the machine does weighs on both alike, the
 * latencies of all rounds pooled per server. Target: p50 and p99 within 1.2× of fresh.
 *
 * Environment: BENCH_BIG_CHECKS (1 000 checks per server), besides bench/big-db.ts's sizes.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, type Runtime, type Server } from '../tests/helpers/server.js'
import { BIG_SCALE, FULL_SCALE, isFullScale, makeBigDatabase, type BigDatabase } from './big-db.js'
import { Api, clientAddress, Counter, phoneNumber, pool, type PendingCheck } from './fixtures.js'
import { load, percentile, type LoadResult } from './load.js'

const CHECKS = Number(process.env.BENCH_BIG_CHECKS ?? 1_000)
const ROUNDS = 5
const WARMUP_CHECKS = 100
/** The target: at most 1.2× the fresh database's latency. */
export const BIG_TARGET = 1.2

interface Side {
  server: Server
  phones: Counter
  addresses: Counter
  pending: PendingCheck[]
  next: number
  start: number[]
  check: number[]
  failed: number
}

export interface Pooled {
  requests: number
  p50: number
  p99: number
}

export interface BigResult {
  db: BigDatabase
  fresh: { start: Pooled; check: Pooled }
  big: { start: Pooled; check: Pooled }
  /** Requests answered otherwise than expected, on both servers. */
  failed: number
}

const body = JSON.stringify

function starts(side: Side, connections: number, seconds: number): Promise<LoadResult> {
  return load({
    url: side.server.url,
    connections,
    seconds,
    status: 201,
    next: () => ({
      path: '/v1/verifications',
      body: body({
        purpose: 'register',
        phone: phoneNumber(side.phones.next()).national,
        country: 'IN',
      }),
      headers: { 'x-forwarded-for': clientAddress(side.addresses.next()) },
    }),
  })
}

function checks(side: Side, connections: number, amount: number): Promise<LoadResult> {
  return load({
    url: side.server.url,
    connections,
    amount,
    status: 200,
    next: () => {
      const item = side.pending[side.next++]
      if (item === undefined) throw new Error('ran out of pending verifications')
      return {
        path: `/v1/verifications/${item.id}/check`,
        body: body({ code: item.code }),
        headers: { 'x-forwarded-for': clientAddress(side.addresses.next()) },
      }
    },
    verifyBody: (text) => text.includes('"accessToken"'),
  })
}

async function prepare(server: Server, connections: number): Promise<Side> {
  const side: Side = {
    server,
    phones: new Counter(),
    addresses: new Counter(),
    pending: [],
    next: 0,
    start: [],
    check: [],
    failed: 0,
  }
  // Each autocannon connection builds one request ahead per run that it never sends.
  const needed = WARMUP_CHECKS + CHECKS + 2 * connections * (ROUNDS + 1)
  const api = new Api(server.url, side.addresses)
  side.pending = await pool(needed, connections, () => api.pendingLogin(side.phones))
  return side
}

const pooled = (latencies: number[]): Pooled => {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { requests: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }
}

const devServer = (runtime: Runtime, databaseUrl?: string) =>
  startServer({
    runtime,
    timeoutMs: 120_000,
    env: {
      SMS_AUTH_MODE: 'development',
      SMS_AUTH_TRUST_PROXY: '1',
      SMS_AUTH_SECRET: randomBytes(32).toString('hex'),
      SMS_AUTH_ADMIN_TOKEN: randomBytes(24).toString('hex'),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
  })

export async function benchBig(
  runtime: Runtime,
  seconds: number,
  connections: number,
): Promise<BigResult | undefined> {
  if (BIG_SCALE.verifications <= 0) return undefined
  const dir = await mkdtemp(join(tmpdir(), 'sms-auth-big-'))
  const servers: Server[] = []
  try {
    process.stdout.write(
      `  big database: ${BIG_SCALE.users} users and ${BIG_SCALE.verifications} old verifications … `,
    )
    const db = await makeBigDatabase(dir, BIG_SCALE)
    console.log(`made in ${db.seconds.toFixed(1)} s`)
    servers.push(await devServer(runtime), await devServer(runtime, db.url))
    process.stdout.write(`  (a pending login on each server for ${CHECKS} checks … `)
    const began = Date.now()
    const fresh = await prepare(servers[0]!, connections)
    const big = await prepare(servers[1]!, connections)
    console.log(`${((Date.now() - began) / 1000).toFixed(1)} s)`)

    const round = async (side: Side, what: 'start' | 'check', keep: boolean) => {
      const r =
        what === 'start'
          ? await starts(side, connections, keep ? seconds / ROUNDS : 1)
          : await checks(side, connections, keep ? CHECKS / ROUNDS : WARMUP_CHECKS / 2)
      if (!keep) return
      side[what].push(...r.latencies)
      side.failed += r.failed
    }
    for (const what of ['start', 'check'] as const) {
      process.stdout.write(`  fresh and big ${what}, ${ROUNDS} alternating rounds … `)
      await round(fresh, what, false)
      await round(big, what, false)
      for (let i = 0; i < ROUNDS; i++) {
        const order = i % 2 === 0 ? [fresh, big] : [big, fresh]
        for (const side of order) await round(side, what, true)
      }
      console.log('done')
    }
    const of = (s: Side) => ({ start: pooled(s.start), check: pooled(s.check) })
    return { db, fresh: of(fresh), big: of(big), failed: fresh.failed + big.failed }
  } finally {
    await Promise.all(servers.map((s) => s.close()))
    await rm(dir, { recursive: true, force: true })
  }
}

const fmt = (n: number) => n.toLocaleString('en-US').replace(/,/g, ' ')
const ms = (n: number, width = 9) => n.toFixed(2).padStart(width)

export function printBig(r: BigResult): void {
  const { db } = r
  console.log(
    `\nour server on ${fmt(db.scale.users)} users and ${fmt(db.scale.verifications)} old ` +
      `verifications (${(db.bytes / 1e6).toFixed(0)} MB) against a fresh database, same run:`,
  )
  console.log(
    `         ${'fresh p50'.padStart(9)}  ${'big p50'.padStart(9)}  ratio  ` +
      `${'fresh p99'.padStart(9)}  ${'big p99'.padStart(9)}  ratio  requests`,
  )
  for (const name of ['start', 'check'] as const) {
    const [f, b] = [r.fresh[name], r.big[name]]
    const [r50, r99] = [b.p50 / f.p50, b.p99 / f.p99]
    const ok = r50 <= BIG_TARGET && r99 <= BIG_TARGET
    console.log(
      `  ${name}  ${ms(f.p50)}  ${ms(b.p50)}  ${r50.toFixed(2).padStart(5)}  ${ms(f.p99)}  ` +
        `${ms(b.p99)}  ${r99.toFixed(2).padStart(5)}  ${f.requests}/${b.requests}` +
        `  (target ≤ ${BIG_TARGET}×)  ${ok ? 'ok' : 'MISSED'}`,
    )
  }
  if (r.failed > 0) console.log(`  ${r.failed} requests failed: the figures above are not valid`)
  if (!isFullScale(db.scale)) console.log(`  (the issue's scale: ${FULL_SCALE} npm run bench)`)
}
