/**
 * The timers of the runtime entries: every instance tries the maintenance job once per interval
 * (one of them claims each period), and the event delivery every `deliverEveryMs` (each delivery
 * is claimed by one instance: events/delivery.ts). The timers must not keep the process alive, so
 * the entry hands over its runtime's way to unref them (Node: `timer.unref()`, Deno:
 * `Deno.unrefTimer(id)`); the returned function stops them at shutdown, and a run under way is
 * awaited through `App.idle()`. Workers have no timers between requests: a Cron Trigger calls
 * `App.maintain()` and `App.deliverEvents()` instead.
 */
import type { App } from '../app.js'

export type Timer = ReturnType<typeof setInterval>

type Scheduled = Pick<App, 'maintain' | 'maintainEveryMs' | 'deliverEvents' | 'deliverEveryMs'>

export function scheduleMaintenance(
  app: Scheduled,
  log: (event: string, fields?: Record<string, unknown>) => void,
  unref: (timer: Timer) => void,
): () => void {
  const failed = (event: string) => (err: unknown) =>
    log(event, {
      name: err instanceof Error ? err.name : 'unknown',
      message: err instanceof Error ? err.message.slice(0, 200) : '',
    })
  const timers = [
    setInterval(() => {
      app.maintain().catch(failed('maintenance.failed'))
    }, app.maintainEveryMs),
    setInterval(() => {
      app.deliverEvents().catch(failed('events.failed'))
    }, app.deliverEveryMs),
  ]
  for (const t of timers) unref(t)
  return () => timers.forEach((t) => clearInterval(t))
}
