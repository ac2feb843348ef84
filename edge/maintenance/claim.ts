/**
 * The claim of a periodic job: one guarded upsert on its `jobs` row. It lands only when the
 * previous claim has lapsed (`claimed_until <= now`), so of any number of instances trying in one
 * period exactly one gets it; a run that dies keeps the job only until its claim lapses.
 */
import type { Client } from '@libsql/client'

/** True when `by` now holds `job` until `now + periodMs`. */
export async function claimJob(
  db: Client,
  job: string,
  by: string,
  now: number,
  periodMs: number,
): Promise<boolean> {
  const r = await db.execute({
    sql: `INSERT INTO jobs (name, claimed_by, claimed_until, started_at) VALUES (:job, :by, :until, :now)
          ON CONFLICT (name) DO UPDATE SET claimed_by = excluded.claimed_by,
            claimed_until = excluded.claimed_until, started_at = excluded.started_at
          WHERE jobs.claimed_until <= :now
          RETURNING claimed_by`,
    args: { job, by, until: now + periodMs, now },
  })
  return r.rows.length === 1
}

/** Records the end of the run `by` claimed (for operators: when it last ran, what it did). */
export async function finishJob(
  db: Client,
  job: string,
  by: string,
  now: number,
  result: Record<string, number>,
): Promise<void> {
  await db.execute({
    sql: `UPDATE jobs SET finished_at = ?, result = ? WHERE name = ? AND claimed_by = ?`,
    args: [now, JSON.stringify(result), job, by],
  })
}
