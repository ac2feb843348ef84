/**
 * `tsx bench/profile.ts`: where a start's server time goes. Runs the built server (dist/node.js)
 * under `node --cpu-prof` on a fresh file database, sends PROFILE_SECONDS (5) of starts at
 * PROFILE_CONNECTIONS (10), stops it, and prints the profile's self time by package and by
 * function (the top PROFILE_TOP, 25). PROFILE_ENV: extra `KEY=VALUE,KEY=VALUE` for the server.
 *
 * PROFILE_OP=check: where a check that signs in goes instead. PROFILE_CHECKS (2,000) pending
 * checks are set up first (as bench/systems.ts does: register, sign up, start a login), then sent
 * at PROFILE_CONNECTIONS; only the samples taken while the checks ran are counted (the profile's
 * clock is the system's monotonic clock, the one process.hrtime reads here).
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { root } from '../tests/helpers/server.js'
import { groupMembers, spawnGuarded } from '../tests/helpers/spawn.js'
import { clientAddress, Counter, phoneNumber, pool } from './fixtures.js'
import { inOrder, load, type LoadRequest, type LoadResult } from './load.js'
import { ourSystem } from './systems.js'

const SECONDS = Number(process.env.PROFILE_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS ?? 10)
const TOP = Number(process.env.PROFILE_TOP ?? 25)
const OP = process.env.PROFILE_OP === 'check' ? 'check' : 'start'
const CHECKS = Number(process.env.PROFILE_CHECKS ?? 2_000)

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  /** Microseconds on the system's monotonic clock. */
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** Microseconds on the monotonic clock V8's profiler stamps its samples with (Linux). */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n)

function packageOf(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (m) return m[1]!
  if (url.includes('/dist/')) return 'sms-auth (dist)'
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0]
  return url === '' ? '(native/gc/idle)' : url
}

/** Self time per node, of the samples taken within [from, to] (µs, monotonic) only. */
function summarize(profile: Profile, answered: number, from = -Infinity, to = Infinity): void {
  if (from > profile.endTime || to < profile.startTime)
    throw new Error('the marked window lies outside the profile: not the same clock')
  const self = new Map<number, number>()
  let at = profile.startTime
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0
    at += delta
    if (at >= from && at <= to) self.set(id, (self.get(id) ?? 0) + delta)
  })
  const byPackage = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let busy = 0
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)') continue
    busy += us
    const pkg = functionName.startsWith('(') ? functionName : packageOf(url)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us)
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`
    byFunction.set(key, (byFunction.get(key) ?? 0) + us)
  }
  const print = (title: string, map: Map<string, number>) => {
    console.log(
      `\n${title} (self time, % of busy ${Math.round(busy / 1000)} ms, ${(busy / 1000 / answered).toFixed(2)} ms per ${OP})`,
    )
    for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP))
      console.log(`${((100 * us) / busy).toFixed(1).padStart(6)} %  ${name}`)
  }
  print('by package', byPackage)
  print('by function', byFunction)
  // Inclusive time of our own functions (dist/): what each step of a start costs with its callees.
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const total = new Map<number, number>()
  const inclusive = (id: number): number => {
    const known = total.get(id)
    if (known !== undefined) return known
    const node = nodes.get(id)!
    const sum =
      (self.get(id) ?? 0) + (node.children ?? []).reduce((acc, c) => acc + inclusive(c), 0)
    total.set(id, sum)
    return sum
  }
  const ours = new Map<string, number>()
  const walk = (id: number, open: Set<string>): void => {
    const node = nodes.get(id)!
    const { functionName, url, lineNumber } = node.callFrame
    let inner = open
    if (url.includes('/dist/') && functionName) {
      const key = `${functionName} dist:${lineNumber + 1}`
      if (!open.has(key)) {
        ours.set(key, (ours.get(key) ?? 0) + inclusive(id))
        inner = new Set(open).add(key)
      }
    }
    for (const child of node.children ?? []) walk(child, inner)
  }
  walk(profile.nodes[0]!.id, new Set())
  print('our functions, inclusive', ours)
}

const dir = await mkdtemp(join(tmpdir(), 'sms-auth-profile-'))
const extra = Object.fromEntries(
  (process.env.PROFILE_ENV ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=') as [string, string]),
)
// --cpu-prof is refused in NODE_OPTIONS: the built entry is started here, as in production.
const proc = spawnGuarded(
  process.execPath,
  ['--cpu-prof', `--cpu-prof-dir=${dir}`, join(root, 'dist/node.js')],
  {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'sms-auth.db')}`,
      SMS_AUTH_MODE: 'development',
      SMS_AUTH_TRUST_PROXY: '1',
      SMS_AUTH_SECRET: randomBytes(32).toString('hex'),
      SMS_AUTH_ADMIN_TOKEN: randomBytes(24).toString('hex'),
      ...extra,
    },
  },
)
let url: string | undefined
for (let waited = 0; url === undefined && waited < 30_000; waited += 50) {
  url = /sms-auth listening on (http:\/\/\S+)/.exec(proc.output())?.[1]
  if (url === undefined) await sleep(50)
}
if (url === undefined) throw new Error(`the server did not start:\n${proc.output()}`)
const phones = new Counter()
const addresses = new Counter()
let window: [number, number] = [-Infinity, Infinity]
let answered = 0
const report = (what: string, r: LoadResult) =>
  console.log(
    `${r.requests} ${what}, ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, failed ${r.failed}`,
  )
try {
  if (OP === 'check') {
    const system = ourSystem(url, proc.pid, async () => {}, phones, addresses)
    const began = Date.now()
    // Each autocannon connection builds a request or two ahead that it never sends.
    const pending: LoadRequest[] = await pool(CHECKS + 4 * CONNECTIONS, CONNECTIONS, () =>
      system.pendingCheck(),
    )
    console.log(`${pending.length} pending checks set up in ${(Date.now() - began) / 1000} s`)
    const next = inOrder(pending)
    const from = monotonicUs()
    const result = await load({
      url,
      connections: CONNECTIONS,
      amount: CHECKS,
      status: 200,
      next,
      verifyBody: (body) => system.signedIn(body),
    })
    window = [from, monotonicUs()]
    report('checks', result)
    answered = result.ok
  } else {
    const result = await load({
      url,
      connections: CONNECTIONS,
      seconds: SECONDS,
      status: 201,
      next: () => ({
        path: '/v1/verifications',
        body: JSON.stringify({
          purpose: 'register',
          phone: phoneNumber(phones.next()).national,
          country: 'IN',
        }),
        headers: { 'x-forwarded-for': clientAddress(addresses.next()) },
      }),
    })
    report('starts', result)
    answered = result.ok
  }
} finally {
  // The node process itself (not the guard): it stops gracefully and writes the profile.
  for (const pid of groupMembers(proc.pid, 'node')) process.kill(pid, 'SIGTERM')
  await proc.exited
  await proc.close()
}
const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'))
if (!file) throw new Error('no profile written')
summarize(JSON.parse(await readFile(join(dir, file), 'utf8')) as Profile, answered, ...window)
