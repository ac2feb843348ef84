/** The settings every runtime gives an embedded database (edge/db/pragmas.ts), read back. */
import { createClient } from '@libsql/client'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { tuneEmbeddedDatabase, WAL_CHECKPOINT_PAGES } from '../../../edge/db/pragmas.js'

it('puts a file database in WAL mode, NORMAL sync, a short busy wait and a larger WAL checkpoint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sms-auth-pragmas-'))
  const url = `file:${join(dir, 'db')}`
  const db = createClient({ url })
  try {
    await tuneEmbeddedDatabase(db, url)
    const one = async (pragma: string) =>
      Object.values((await db.execute(`PRAGMA ${pragma}`)).rows[0]!)[0]
    expect(await one('journal_mode')).toBe('wal')
    expect(await one('synchronous')).toBe(1)
    expect(await one('busy_timeout')).toBe(200)
    expect(await one('wal_autocheckpoint')).toBe(WAL_CHECKPOINT_PAGES)
    expect(WAL_CHECKPOINT_PAGES).toBeGreaterThan(1000)
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
