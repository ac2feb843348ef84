/** Serves a fetch handler (or a Node request listener) on 127.0.0.1, an ephemeral port. */
import { getRequestListener } from '@hono/node-server'
import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Listening {
  url: string
  close(): Promise<void>
}

/** A fetch handler; `env` is @hono/node-server's `{ incoming, outgoing }` (the socket's address). */
type FetchHandler = (req: Request, env: unknown) => Response | Promise<Response>

export async function listen(
  handler: FetchHandler | RequestListener,
  asFetch = true,
): Promise<Listening> {
  const listener = asFetch
    ? getRequestListener(handler as FetchHandler)
    : (handler as RequestListener)
  const server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/** A port free on 127.0.0.1 now (for a server that must know its own URL before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
