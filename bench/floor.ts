/**
 * The floor of `npm run bench`: the least an HTTP API on Hono and libSQL can do for a start and a
 * check. No validation, no crypto, no limits: `POST /start` is one INSERT; `POST /check` is one
 * SELECT and one guarded UPDATE. Our figures are read as ratios to this one, measured in the same
 * run on the same machine.
 *
 * Run directly (`tsx bench/floor.ts`) it serves `FLOOR_DATABASE_URL` on `PORT` (0: ephemeral) and
 * prints `floor listening on http://127.0.0.1:NNNN`.
 */
import { randomUUID } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { serve } from '@hono/node-server'
import { createClient } from '@libsql/client'
import type { Client } from '@libsql/client'
import { Hono } from 'hono'

/** The same durability trade-off a production SQLite file would make (and our server should). */
export const FLOOR_PRAGMAS = ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = NORMAL']

export const FLOOR_SCHEMA = `CREATE TABLE IF NOT EXISTS verifications (
  id TEXT PRIMARY KEY,
  phone TEXT NOT NULL,
  code TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  approved_at INTEGER
)`

export async function openFloorDatabase(url: string): Promise<Client> {
  const db = createClient({ url })
  for (const pragma of FLOOR_PRAGMAS) await db.execute(pragma)
  await db.execute(FLOOR_SCHEMA)
  return db
}

/** Inserts `count` pending verifications `chk_0 … chk_{count-1}` with code `123456`, at once. */
export async function seedFloorChecks(db: Client, count: number): Promise<string[]> {
  await db.execute({
    sql: `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
      INSERT INTO verifications (id, phone, code, created_at)
      SELECT 'chk_' || i, '+1555' || i, '123456', ? FROM n`,
    args: [count, Date.now()],
  })
  return Array.from({ length: count }, (_, i) => `chk_${i}`)
}

export function createFloorApp(db: Client): Hono {
  const app = new Hono()

  app.post('/start', async (c) => {
    const body = await c.req.json<{ phone?: string }>()
    const id = `ver_${randomUUID()}`
    await db.execute({
      sql: 'INSERT INTO verifications (id, phone, code, created_at) VALUES (?, ?, ?, ?)',
      args: [id, String(body.phone), '123456', Date.now()],
    })
    return c.json({ id }, 201)
  })

  app.post('/check', async (c) => {
    const body = await c.req.json<{ id?: string; code?: string }>()
    const found = await db.execute({
      sql: 'SELECT code, approved_at FROM verifications WHERE id = ?',
      args: [String(body.id)],
    })
    const row = found.rows[0]
    if (row === undefined) return c.json({ status: 'not_found' }, 404)
    if (row.code !== body.code) return c.json({ status: 'invalid_code' }, 400)
    const approved = await db.execute({
      sql: 'UPDATE verifications SET approved_at = ? WHERE id = ? AND approved_at IS NULL',
      args: [Date.now(), String(body.id)],
    })
    if (approved.rowsAffected !== 1) return c.json({ status: 'used' }, 409)
    return c.json({ status: 'approved' })
  })

  return app
}

async function main(): Promise<void> {
  const url = process.env.FLOOR_DATABASE_URL ?? ':memory:'
  const db = await openFloorDatabase(url)
  const app = createFloorApp(db)
  const server = serve(
    { fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' },
    (info) => console.log(`floor listening on http://127.0.0.1:${info.port}`),
  )
  const stop = (): void => {
    server.close()
    db.close()
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main()
}
