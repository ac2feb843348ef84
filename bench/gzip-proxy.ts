/**
 * A gzip-compressing reverse proxy in front of the edge, for the benchmark only: what the slow
 * figures become once the widget's files are served compressed (the production issue's job).
 */
import { createServer } from 'node:http'
import { gzipSync } from 'node:zlib'

const HOP = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection'])

export async function gzipProxy(target: string): Promise<{ url: string; close(): void }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers = new Headers()
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && k !== 'host' && k !== 'accept-encoding' && !HOP.has(k))
        headers.set(k, v)
    const r = await fetch(target + req.url, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
      redirect: 'manual',
    })
    const body = Buffer.from(await r.arrayBuffer())
    r.headers.forEach((v, k) => HOP.has(k) || res.setHeader(k, v))
    const text = /javascript|json|html|css/.test(r.headers.get('content-type') ?? '')
    const gzip = text && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
    const out = gzip ? gzipSync(body, { level: 9 }) : body
    if (gzip) res.setHeader('content-encoding', 'gzip')
    res.setHeader('vary', 'accept-encoding')
    res.setHeader('content-length', out.length)
    res.writeHead(r.status)
    res.end(out)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() }
}
