/**
 * The maintenance job: data retention done by the server itself, off the request path. Every
 * instance tries it on a timer (schedule.ts) and one claims each period (claim.ts); the run then
 * goes through the tasks (tasks.ts) in bounded batches, round after round, while some task still
 * fills whole batches and the time budget lasts. Every task gets its first batch in every run, so
 * a backlog in one table never starves the others; the event loop gets a turn after each batch that
 * changed rows, so requests are served in between (on the embedded driver a statement holds the
 * thread).
 */
import type { Ctx } from '../context.js'
import { newId } from '../crypto/random.js'
import { claimJob, finishJob } from './claim.js'
import { retentionTasks, type Retention } from './tasks.js'
import { DEFAULT_MAINTENANCE, type MaintenanceLimits } from './limits.js'

export { DEFAULT_MAINTENANCE, type MaintenanceLimits }

export interface MaintenanceReport {
  /** False when another instance holds this period's run: this one did nothing. */
  claimed: boolean
  /** Rows each task deleted (or, for `verifications.sealed`, cleared). */
  changed: Record<string, number>
  /** A task still had rows left when the budget ran out: the next run goes on with them. */
  more: boolean
}

const JOB = 'retention'
const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/**
 * The job of one instance. A call while a run of this instance is under way gets that run.
 * `elapsed` measures the budget (injectable for tests; the app clock is for data, not for time
 * spent).
 */
export function maintenanceJob(
  ctx: Ctx,
  retention: Retention,
  limits: MaintenanceLimits,
  elapsed: () => number = () => performance.now(),
): () => Promise<MaintenanceReport> {
  const instance = newId('ins')
  let running: Promise<MaintenanceReport> | null = null
  const run = async (): Promise<MaintenanceReport> => {
    const now = ctx.clock()
    if (!(await claimJob(ctx.db, JOB, instance, now, limits.intervalMs)))
      return { claimed: false, changed: {}, more: false }
    const began = elapsed()
    const tasks = retentionTasks(retention, now)
    const changed: Record<string, number> = Object.fromEntries(tasks.map((t) => [t.name, 0]))
    let open = tasks
    for (let round = 0; open.length > 0; round++) {
      if (round > 0 && elapsed() - began >= limits.budgetMs) break
      const full = []
      for (const task of open) {
        const n = await task.run(ctx.db, limits.batchSize)
        changed[task.name] += n
        if (n >= limits.batchSize) full.push(task)
        if (n > 0) await turn()
      }
      open = full
    }
    const report = { claimed: true, changed, more: open.length > 0 }
    await finishJob(ctx.db, JOB, instance, ctx.clock(), changed)
    const total = Object.values(changed).reduce((a, b) => a + b, 0)
    if (total > 0 || report.more)
      ctx.log('maintenance.run', {
        ...changed,
        more: report.more,
        ms: Math.round(elapsed() - began),
      })
    return report
  }
  return () => {
    running ??= run().finally(() => (running = null))
    return running
  }
}
