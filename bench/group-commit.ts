/**
 * `npx tsx bench/group-commit.ts`: what group commit (edge/node/group-commit.ts) saves a start, in
 * one process with no HTTP in between: GC_STARTS (3 000) registration starts through the real app
 * on a fresh file database, GC_CONCURRENCY (10) at a time, alternately without and with it, GC_ROUNDS
 * (3) rounds each; prints the process's CPU and wall time per start and the batches per commit.
 */
import { createClient } from '@libsql/client'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../edge/app.js'
import { loadConfig } from '../edge/config.js'
import { tuneEmbeddedDatabase } from '../edge/db/pragmas.js'
import { nodeCrypto } from '../edge/node/crypto.js'
import { groupCommits } from '../edge/node/group-commit.js'
import { cachePreparedStatements } from '../edge/node/statement-cache.js'
import { clientAddress, phoneNumber } from './fixtures.js'

const STARTS = Number(process.env.GC_STARTS ?? 3000)
const CONCURRENCY = Number(process.env.GC_CONCURRENCY ?? 10)
const ROUNDS = Number(process.env.GC_ROUNDS ?? 3)
const WARMUP = 300

async function round(grouped: boolean): Promise<{ cpu: number; wall: number; perCommit: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'sms-auth-group-bench-'))
  const url = `file:${join(dir, 'db')}`
  const config = loadConfig({
    SMS_AUTH_MODE: 'development',
    SMS_AUTH_TRUST_PROXY: '1',
    SMS_AUTH_SECRET: randomBytes(32).toString('hex'),
    SMS_AUTH_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    DATABASE_URL: url,
  })
  const client = createClient({ url })
  await tuneEmbeddedDatabase(client, url)
  const group = grouped ? groupCommits(client) : undefined
  const db = group ?? client
  // As the Node entry makes it: node:crypto's engine (edge/node.ts).
  const app = await createApp({
    db,
    config,
    socketAddress: () => '127.0.0.1',
    log: () => {},
    crypto: nodeCrypto,
  })
  let next = 0
  const start = async () => {
    const i = next++
    const res = await app.fetch(
      new Request(`${config.publicUrl}/v1/verifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress(i) },
        body: JSON.stringify({
          purpose: 'register',
          phone: phoneNumber(i).national,
          country: 'IN',
        }),
      }),
    )
    if (res.status !== 201) throw new Error(`start answered ${res.status}: ${await res.text()}`)
    await res.arrayBuffer()
  }
  const wave = () => Promise.all(Array.from({ length: CONCURRENCY }, start))
  for (let i = 0; i < WARMUP; i += CONCURRENCY) await wave()
  const before = group && { ...group.groupStats }
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (let i = 0; i < STARTS; i += CONCURRENCY) await wave()
  const cpu = process.cpuUsage(cpu0)
  const wall = performance.now() - t0
  const after = group?.groupStats
  client.close()
  await rm(dir, { recursive: true, force: true })
  const perCommit =
    before && after
      ? (after.batches - before.batches) / (after.transactions - before.transactions)
      : 1
  return { cpu: (cpu.user + cpu.system) / 1000 / STARTS, wall: wall / STARTS, perCommit }
}

cachePreparedStatements()
console.log(`group commit: ${STARTS} starts, ${CONCURRENCY} at a time, ${ROUNDS} rounds each`)
for (let r = 0; r < ROUNDS; r++) {
  for (const grouped of [false, true]) {
    const m = await round(grouped)
    console.log(
      `  ${grouped ? 'grouped ' : 'one each'}  cpu ${m.cpu.toFixed(3)} ms/start  wall ${m.wall.toFixed(3)} ms/start  ${m.perCommit.toFixed(1)} batches/commit`,
    )
  }
}
