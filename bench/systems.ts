/**
 * The three systems `npm run bench` measures side by side, each in its own process on the same
 * libSQL build and a fresh file database: our server, the floor (bench/floor.ts) and Better Auth's
 * phone-number plugin (bench/better-auth.ts). Each says how to make a start and how to set up a
 * pending check that signs in, so that one driver (bench/compare.ts) measures all three alike.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { root, startServer } from '../tests/helpers/server.js'
import type { Runtime } from '../tests/helpers/server.js'
import { spawnGuarded } from '../tests/helpers/spawn.js'
import { Api, BenchSetupError, clientAddress, Counter, phoneNumber } from './fixtures.js'
import { openFloorDatabase, seedFloorChecks } from './floor.js'
import type { LoadRequest } from './load.js'

export interface System {
  name: string
  url: string
  /** Process group of the server, for its CPU time (bench/cpu.ts). */
  pgid: number
  /** The next start request (a fresh phone and address each), and its status. */
  start(): LoadRequest
  startStatus: number
  /** Sets up one pending check (not measured) and answers the request that signs in with it. */
  pendingCheck(): Promise<LoadRequest>
  /**
   * For a system whose checks were seeded up front (the floor): the next one, at once. Its check
   * run then lasts the run's seconds like a start run; the others' last as many checks as their
   * start rate would make in that time (each is set up through the API first).
   */
  seededCheck?(): LoadRequest
  /** True when a check's 200 answer shows a signed-in session. */
  signedIn(body: string): boolean
  close(): Promise<void>
}

const json = JSON.stringify

async function spawnListening(
  name: string,
  script: string,
  env: Record<string, string>,
  dir: string,
) {
  const proc = spawnGuarded(join(root, 'node_modules/.bin/tsx'), [join(root, script)], {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    cleanup: dir,
  })
  const pattern = new RegExp(`${name} listening on (http://\\S+)`)
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const url = pattern.exec(proc.output())?.[1]
    if (url !== undefined) return { proc, url }
    await sleep(50)
  }
  await proc.close()
  throw new Error(`${name} did not start:\n${proc.output()}`)
}

/** Floor checks seeded up front: more than the floor can consume in all its runs. */
const FLOOR_CHECKS = 1_000_000

export async function startFloorSystem(): Promise<System> {
  const dir = await mkdtemp(join(tmpdir(), 'sms-auth-floor-'))
  const url = `file:${join(dir, 'floor.db')}`
  const db = await openFloorDatabase(url)
  await seedFloorChecks(db, FLOOR_CHECKS)
  db.close()
  const { proc, url: base } = await spawnListening(
    'floor',
    'bench/floor.ts',
    { FLOOR_DATABASE_URL: url },
    dir,
  )
  let phones = 0
  let checks = 0
  const seededCheck = (): LoadRequest => {
    if (checks >= FLOOR_CHECKS) throw new BenchSetupError('out of seeded floor checks')
    return { path: '/check', body: json({ id: `chk_${checks++}`, code: '123456' }) }
  }
  return {
    name: 'floor',
    url: base,
    pgid: proc.pid,
    startStatus: 201,
    start: () => ({ path: '/start', body: json({ phone: phoneNumber(phones++).e164 }) }),
    pendingCheck: () => Promise.resolve(seededCheck()),
    seededCheck,
    signedIn: (body) => body.includes('approved'),
    close: () => proc.close(),
  }
}

export async function startOurSystem(
  runtime: Runtime,
  env: Record<string, string> = {},
): Promise<System> {
  const server = await startServer({
    runtime,
    // The built entry on Node, as in production (`npm run bench` builds first).
    entry: runtime === 'node' ? 'dist/node.js' : undefined,
    env: {
      SMS_AUTH_MODE: 'development',
      SMS_AUTH_TRUST_PROXY: '1',
      SMS_AUTH_SECRET: randomBytes(32).toString('hex'),
      SMS_AUTH_ADMIN_TOKEN: randomBytes(24).toString('hex'),
      ...env,
    },
  })
  return ourSystem(server.url, server.pid, () => server.close())
}

/** Our API at `url` (one instance, or any of several sharing one database). */
export function ourSystem(
  url: string,
  pgid: number,
  close: () => Promise<void>,
  phones = new Counter(),
  addresses = new Counter(),
): System {
  const api = new Api(url, addresses)
  return {
    name: 'ours',
    url,
    pgid,
    startStatus: 201,
    start: () => ({
      path: '/v1/verifications',
      body: json({
        purpose: 'register',
        phone: phoneNumber(phones.next()).national,
        country: 'IN',
      }),
      headers: { 'x-forwarded-for': clientAddress(addresses.next()) },
    }),
    pendingCheck: async () => {
      const item = await api.pendingLogin(phones)
      return {
        path: `/v1/verifications/${item.id}/check`,
        body: json({ code: item.code }),
        headers: { 'x-forwarded-for': clientAddress(addresses.next()) },
      }
    },
    signedIn: (body) => body.includes('"session"') && body.includes('"accessToken"'),
    close,
  }
}

export async function startBetterAuthSystem(): Promise<System> {
  const dir = await mkdtemp(join(tmpdir(), 'sms-auth-better-auth-'))
  const { proc, url } = await spawnListening(
    'better-auth',
    'bench/better-auth.ts',
    { BA_DATABASE_URL: `file:${join(dir, 'better-auth.db')}` },
    dir,
  )
  let phones = 0
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json(body),
    })
    const text = await response.text()
    if (response.status !== 200)
      throw new BenchSetupError(`POST ${path}: ${response.status}: ${text}`)
  }
  const codeOf = async (phone: string) => {
    const response = await fetch(`${url}/bench/code?phone=${encodeURIComponent(phone)}`)
    if (response.status !== 200) throw new BenchSetupError(`no Better Auth code for ${phone}`)
    return ((await response.json()) as { code: string }).code
  }
  return {
    name: 'better-auth',
    url,
    pgid: proc.pid,
    startStatus: 200,
    start: () => ({
      path: '/api/auth/phone-number/send-otp',
      body: json({ phoneNumber: phoneNumber(phones++).e164 }),
    }),
    // A registered user signing in, as ours: the first verify signs up, the second is measured.
    pendingCheck: async () => {
      const phone = phoneNumber(phones++).e164
      await post('/api/auth/phone-number/send-otp', { phoneNumber: phone })
      await post('/api/auth/phone-number/verify', { phoneNumber: phone, code: await codeOf(phone) })
      await post('/api/auth/phone-number/send-otp', { phoneNumber: phone })
      return {
        path: '/api/auth/phone-number/verify',
        body: json({ phoneNumber: phone, code: await codeOf(phone) }),
      }
    },
    signedIn: (body) => body.includes('"token"') && body.includes('"user"'),
    close: () => proc.close(),
  }
}
