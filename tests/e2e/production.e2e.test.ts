/**
 * The built server as an operator runs it: `node dist/node.js` (what `npm start` runs after
 * building), and a packed package installed without dev tools, served by `npx sms-auth`.
 */
import { createClient } from '@libsql/client'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { root, startServer, type Server } from '../helpers/server.js'
import { groupMembers, spawnGuarded } from '../helpers/spawn.js'

const PRODUCTION = {
  SMS_AUTH_MODE: 'production',
  SMS_AUTH_SECRET: 'e'.repeat(64),
  SMS_AUTH_ADMIN_TOKEN: 'production-admin-token-0123',
  SMS_AUTH_PUBLIC_URL: 'http://auth.test',
}
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** Polls `probe` until it gives a value (no fixed sleeps). */
async function until<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function status(server: Server, path: string): Promise<number> {
  const res = await fetch(server.url + path)
  await res.body?.cancel()
  return res.status
}

describe('the built server', () => {
  it('finishes every accepted request on SIGTERM under 50 connections, then exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-auth-sigterm-'))
    dirs.push(dir)
    const url = `file:${join(dir, 'db.sqlite')}`
    const server = await startServer({
      runtime: 'node',
      entry: 'dist/node.js',
      env: {
        DATABASE_URL: url,
        SMS_AUTH_TRUST_PROXY: '1',
        SMS_AUTH_SECRET: PRODUCTION.SMS_AUTH_SECRET,
        SMS_AUTH_ADMIN_TOKEN: PRODUCTION.SMS_AUTH_ADMIN_TOKEN,
        // Room at the door for all 50, all running (the embedded default lets 2 run and the others
        // wait in line at most 1 s, tested in tests/edge/db/door.test.ts): what is measured is
        // the shutdown.
        SMS_AUTH_DB_MAX_REQUESTS: '64',
        SMS_AUTH_DB_MAX_RUNNING: '64',
      },
    })
    let n = 0
    let created = 0
    let signalled = false
    const worker = async () => {
      // Each request its own number and address: what is measured is the shutdown, not a limit.
      for (;;) {
        const i = n++
        if (i === 400 && !signalled) {
          signalled = true
          server.signal('SIGTERM')
        }
        let answer: { status: number; text: string }
        try {
          const res = await fetch(`${server.url}/v1/verifications`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-forwarded-for': `10.7.${i >> 8}.${i & 255}`,
            },
            body: JSON.stringify({
              purpose: 'register',
              phone: `+9190${String(10_000 + i).padStart(5, '0')}123`,
            }),
          })
          answer = { status: res.status, text: await res.text() }
        } catch {
          // Refused or reset before the request was taken: the server has stopped accepting.
          if (signalled) return
          throw new Error('a request failed before the shutdown began')
        }
        // Every request that got an answer got a whole, successful one.
        expect(answer.status, answer.text).toBe(201)
        expect(JSON.parse(answer.text).id).toMatch(/^ver_/)
        created++
      }
    }
    await Promise.all(Array.from({ length: 50 }, worker))
    expect(await server.exited).toBe(0)
    expect(server.output()).toContain('"event":"shutdown.done"')
    // Every verification the server wrote was answered to its client: none was lost mid-way.
    const db = createClient({ url })
    const rows = await db.execute('SELECT count(*) AS n FROM verifications')
    db.close()
    expect(created).toBeGreaterThanOrEqual(400)
    expect(Number(rows.rows[0]!.n)).toBe(created)
    await server.close()
  }, 60_000)
})

describe('kill -9', () => {
  it('during a burst of registrations leaves no account without its session and audit row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-auth-kill-'))
    dirs.push(dir)
    const url = `file:${join(dir, 'db.sqlite')}`
    const server = await startServer({
      runtime: 'node',
      entry: 'dist/node.js',
      env: {
        DATABASE_URL: url,
        SMS_AUTH_TRUST_PROXY: '1',
        SMS_AUTH_SECRET: PRODUCTION.SMS_AUTH_SECRET,
        SMS_AUTH_ADMIN_TOKEN: PRODUCTION.SMS_AUTH_ADMIN_TOKEN,
      },
    })
    let answered = 0
    const register = async (i: number) => {
      const res = await fetch(`${server.url}/v1/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.6.0.${i}` },
        body: JSON.stringify({
          email: `k${i}@example.com`,
          password: 'a long enough one',
          name: 'K',
        }),
      }).catch(() => null)
      if (res?.status === 201) answered++
      if (answered === 5) server.signal('SIGKILL')
    }
    await Promise.all(Array.from({ length: 40 }, (_, i) => register(i)))
    await server.exited
    const db = createClient({ url })
    const orphans = await db.execute(`
      SELECT count(*) AS n FROM users u
      WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id)
         OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.user_id = u.id AND a.action = 'account.register')`)
    const users = await db.execute('SELECT count(*) AS n FROM users')
    db.close()
    await server.close()
    expect(Number(users.rows[0]!.n)).toBeGreaterThanOrEqual(answered)
    expect(Number(orphans.rows[0]!.n)).toBe(0)
  }, 60_000)
})

describe('npm start', () => {
  it('builds if needed, serves, and stops cleanly when npm gets SIGTERM (the server is not left behind)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-auth-npm-start-'))
    dirs.push(dir)
    const proc = spawnGuarded('npm', ['start'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        DATABASE_URL: `file:${join(dir, 'db.sqlite')}`,
        SMS_AUTH_SECRET: PRODUCTION.SMS_AUTH_SECRET,
        SMS_AUTH_ADMIN_TOKEN: PRODUCTION.SMS_AUTH_ADMIN_TOKEN,
      },
    })
    try {
      const url = await until(() => /listening on (http:\/\/\S+)/.exec(proc.output())?.[1], 60_000)
      expect((await fetch(`${url}/healthz`)).status).toBe(200)
      const [npm] = groupMembers(proc.pid, 'npm start')
      expect(npm).toBeDefined()
      process.kill(npm!, 'SIGTERM')
      expect(await proc.exited).toBe(0)
      expect(proc.output()).toContain('"event":"shutdown.done"')
      await expect(fetch(`${url}/healthz`)).rejects.toThrow()
    } finally {
      await proc.close()
    }
  }, 90_000)
})

describe('a packed production install', () => {
  it('serves the API, the widget and the admin page from its sms-auth bin (npx sms-auth), without dev tools', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-auth-pack-'))
    dirs.push(dir)
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
    }).trim()
    writeFileSync(join(dir, 'package.json'), '{"name":"operator","version":"1.0.0","private":true}')
    execFileSync(
      'npm',
      ['install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error', `./${packed}`],
      { cwd: dir, stdio: 'pipe' },
    )
    const installed = join(dir, 'node_modules/sms-auth')
    // No dev tool came along: nothing to build with, nothing that runs TypeScript.
    for (const tool of ['vite', 'tsx', 'typescript', 'vitest'])
      expect(() =>
        execFileSync('node', ['-e', `require.resolve('${tool}')`], { cwd: dir, stdio: 'pipe' }),
      ).toThrow()
    const server = await startServer({
      runtime: 'node',
      entry: join(installed, 'bin/sms-auth.mjs'),
      cwd: dir,
      env: { ...PRODUCTION, SMS_AUTH_MODE: undefined },
    })
    try {
      expect(await status(server, '/healthz')).toBe(200)
      expect(await status(server, '/widget.js')).toBe(200)
      expect(await status(server, '/admin/')).toBe(200)
      // Production: no demo shop and no development outbox.
      expect(await status(server, '/')).toBe(404)
      expect(await status(server, '/v1/dev/outbox')).toBe(404)
      const config = await fetch(`${server.url}/v1/config`).then((r) => r.json())
      expect(config.allowedCountries).toEqual([config.defaultCountry])
    } finally {
      await server.close()
    }
  }, 180_000)
})
