import type { Client } from '@libsql/client'

/**
 * Settings for an embedded (file:) database, applied by each runtime entry once it opens one.
 * WAL lets readers run beside the writer; NORMAL sync stays durable across process crashes; the
 * busy timeout lets a second process on the same file wait instead of failing. It is short because
 * the driver waits synchronously, stalling every request of this process: past it the database
 * guard retries asynchronously (edge/db/guard.ts).
 */
export async function tuneEmbeddedDatabase(db: Client, url: string): Promise<void> {
  if (!url.startsWith('file:')) return
  await db.execute('PRAGMA journal_mode = WAL')
  await db.execute('PRAGMA synchronous = NORMAL')
  await db.execute('PRAGMA busy_timeout = 200')
}
