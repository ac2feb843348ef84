/**
 * A TCP server on 127.0.0.1 that accepts connections and never answers: a database URL for a
 * server that hangs (stopped, partitioned) without the timing of a real one.
 */
import { createServer, type Socket } from 'node:net'

export interface BlackHole {
  url: string
  /** Connections accepted and still open. */
  connections(): number
  /** Ends every open connection (clients then see a reset) and keeps listening. */
  drop(): void
  close(): Promise<void>
}

export async function blackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const drop = () => {
    for (const s of sockets) s.destroy()
  }
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => sockets.size,
    drop,
    close: () =>
      new Promise<void>((resolve) => {
        drop()
        server.close(() => resolve())
      }),
  }
}
