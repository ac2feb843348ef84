/**
 * A TCP server on 127.0.0.1 that accepts a connection and destroys it at once (a reset, as a
 * crashing load balancer gives): for failover tests. It counts connections, so a test can tell
 * that a client did not retry behind the router's back.
 */
import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface ResetServer {
  baseUrl: string
  connections: number
  close(): Promise<void>
}

export async function startResetServer(): Promise<ResetServer> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    reset.connections++
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
    socket.resetAndDestroy()
  })
  const reset: ResetServer = {
    baseUrl: '',
    connections: 0,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  reset.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return reset
}
