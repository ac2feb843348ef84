import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import type { Client } from '@libsql/client'
import { groupAlive } from './spawn.js'
import { startSqld } from './sqld.js'
import type { Sqld } from './sqld.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

async function gone(pid: number, dir: string): Promise<boolean> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (!groupAlive(pid) && !existsSync(dir)) return true
    await sleep(50)
  }
  return false
}

describe('startSqld', () => {
  let sqld: Sqld
  let a: Client
  let b: Client

  beforeAll(async () => {
    sqld = await startSqld()
    a = createClient({ url: sqld.url })
    b = createClient({ url: sqld.url })
  })

  afterAll(async () => {
    a?.close()
    b?.close()
    await sqld?.close()
  })

  it('lets two clients see each other’s writes', async () => {
    await a.execute('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
    await a.execute({ sql: 'INSERT INTO notes (body) VALUES (?)', args: ['from a'] })
    await b.execute({ sql: 'INSERT INTO notes (body) VALUES (?)', args: ['from b'] })
    const fromB = await b.execute('SELECT body FROM notes ORDER BY id')
    const fromA = await a.execute('SELECT body FROM notes ORDER BY id')
    expect(fromB.rows.map((row) => row.body)).toEqual(['from a', 'from b'])
    expect(fromA.rows.map((row) => row.body)).toEqual(['from a', 'from b'])
  })

  it('runs interactive transactions, committed and rolled back', async () => {
    await a.execute('CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)')
    await a.execute("INSERT INTO counters VALUES ('hits', 0)")

    const tx = await a.transaction('write')
    const before = await tx.execute("SELECT value FROM counters WHERE name = 'hits'")
    await tx.execute({
      sql: "UPDATE counters SET value = ? WHERE name = 'hits'",
      args: [Number(before.rows[0]?.value) + 1],
    })
    await tx.commit()

    const rolledBack = await b.transaction('write')
    await rolledBack.execute("UPDATE counters SET value = 100 WHERE name = 'hits'")
    await rolledBack.rollback()

    const after = await b.execute("SELECT value FROM counters WHERE name = 'hits'")
    expect(after.rows[0]?.value).toBe(1)
  })

  it('stops sqld and removes its directory on close', async () => {
    const other = await startSqld()
    expect(other.url).not.toBe(sqld.url)
    await other.close()
    expect(groupAlive(other.pid)).toBe(false)
    expect(existsSync(other.dir)).toBe(false)
    await expect(fetch(`${other.url}/health`)).rejects.toThrow()
  })

  it('leaves nothing behind when the process that started it is killed', async () => {
    const script = [
      "const { startSqld } = await import('./tests/helpers/sqld.ts')",
      'const s = await startSqld()',
      'console.log(JSON.stringify({ pid: s.pid, dir: s.dir }))',
      'setInterval(() => {}, 1000)',
    ].join('\n')
    const child = execFile('node', ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
    })
    const line = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout?.on('data', (chunk: string) => {
        out += chunk
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '')
      })
      child.on('exit', (code) => reject(new Error(`starter exited with ${code}`)))
    })
    const started = JSON.parse(line) as { pid: number; dir: string }
    expect(groupAlive(started.pid)).toBe(true)
    child.kill('SIGKILL')
    expect(await gone(started.pid, started.dir)).toBe(true)
  })
})
