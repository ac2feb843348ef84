/**
 * A clean stop on SIGTERM/SIGINT (Node): stop accepting connections, let the requests in flight
 * finish (at most `graceMs`), close keep-alive connections as soon as they fall idle (so no client
 * gets a reset for a request it already sent), wait for work deferred past the answers (login code
 * sends), close the database, and let the process end with code 0.
 */
import type { Server } from 'node:http'

export interface Closable {
  idle(): Promise<void>
}

export function gracefulStop(
  server: Server,
  api: Closable,
  closeDatabase: () => void,
  log: (event: string, fields?: Record<string, unknown>) => void,
  graceMs = 10_000,
): () => void {
  let stopping = false
  return () => {
    if (stopping) return
    stopping = true
    log('shutdown.start', { graceMs })
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    // A connection between requests is closed at once; one busy answering is closed when its
    // answer is out (Node marks answers sent while closing with `Connection: close`).
    server.closeIdleConnections()
    const sweep = setInterval(() => server.closeIdleConnections(), 50)
    const force = setTimeout(() => {
      log('shutdown.forced', { graceMs })
      server.closeAllConnections()
    }, graceMs)
    void closed
      .then(() => api.idle())
      .finally(() => {
        clearInterval(sweep)
        clearTimeout(force)
        closeDatabase()
        log('shutdown.done')
      })
  }
}
