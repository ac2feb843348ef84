/**
 * Starting while the database is down: the runtime entries keep trying with a growing wait
 * (0.5 s, doubling, at most 10 s between tries) instead of exiting, so a restart policy never
 * turns an outage into a crash loop; the instance serves once the database answers.
 */
import { createApp, type App } from './app.js'
import { isDatabaseUnavailable } from './db/errors.js'
import type { AppOptions } from './deps.js'

const FIRST_WAIT_MS = 500
const LONGEST_WAIT_MS = 10_000

export async function createAppWhenReady(
  opts: AppOptions,
  sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
): Promise<App> {
  for (let attempt = 1, wait = FIRST_WAIT_MS; ; attempt++) {
    try {
      return await createApp(opts)
    } catch (err) {
      // Anything but an unreachable database (a bad migration, a wrong secret) is fatal.
      if (!isDatabaseUnavailable(err)) throw err
      opts.log?.('startup.database_unavailable', { attempt, retryInMs: wait })
      await sleep(wait)
      wait = Math.min(wait * 2, LONGEST_WAIT_MS)
    }
  }
}
