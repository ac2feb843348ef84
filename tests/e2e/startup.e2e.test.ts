/**
 * An instance that starts while its libSQL server is down waits and tries again (no crash loop),
 * and serves once the database is back.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { root, serverCommand } from '../helpers/server.js'
import { groupMembers, spawnGuarded, type GuardedProcess } from '../helpers/spawn.js'
import { startSqld, type Sqld } from '../helpers/sqld.js'

let sqld: Sqld | undefined
let server: GuardedProcess | undefined
const dir = mkdtempSync(join(tmpdir(), 'sms-auth-startup-'))
afterAll(async () => {
  await server?.close()
  await sqld?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms: number) {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out:\n${server?.output() ?? ''}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

it('keeps trying while the database is down, then serves without a restart', async () => {
  sqld = await startSqld({ restartable: true })
  await sqld.kill()
  const { command, args } = serverCommand('node', 'dist/node.js')
  server = spawnGuarded(command, args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: sqld.url,
      SMS_AUTH_SECRET: 'f'.repeat(64),
      SMS_AUTH_ADMIN_TOKEN: 'startup-admin-token-0123',
    },
  })
  // It says why it waits, at least twice (the wait grows), and does not exit.
  await until(
    () => (server!.output().split('startup.database_unavailable').length > 2 ? true : undefined),
    20_000,
  )
  expect(groupMembers(server.pid, 'node')).toHaveLength(1)
  await sqld.restart()
  const url = await until(() => /listening on (http:\/\/\S+)/.exec(server!.output())?.[1], 30_000)
  const health = await fetch(`${url}/healthz`)
  expect(health.status).toBe(200)
  const start = await fetch(`${url}/v1/verifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ purpose: 'register', phone: '+919833300001' }),
  })
  expect(start.status).toBe(201)
}, 90_000)
