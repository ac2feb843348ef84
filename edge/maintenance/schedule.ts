/**
 * The timer of the runtime entries: every instance tries the maintenance job once per interval
 * (one of them claims each period). The timer must not keep the process alive, so the entry hands
 * over its runtime's way to unref it (Node: `timer.unref()`, Deno: `Deno.unrefTimer(id)`); the
 * returned function stops it at shutdown, and a run under way is awaited through `App.idle()`.
 * Workers have no timers between requests: a Cron Trigger calls `App.maintain()` instead.
 */
import type { App } from '../app.js'

export type Timer = ReturnType<typeof setInterval>

export function scheduleMaintenance(
  app: Pick<App, 'maintain' | 'maintainEveryMs'>,
  log: (event: string, fields?: Record<string, unknown>) => void,
  unref: (timer: Timer) => void,
): () => void {
  const timer = setInterval(() => {
    app.maintain().catch((err: unknown) =>
      log('maintenance.failed', {
        name: err instanceof Error ? err.name : 'unknown',
        message: err instanceof Error ? err.message.slice(0, 200) : '',
      }),
    )
  }, app.maintainEveryMs)
  unref(timer)
  return () => clearInterval(timer)
}
