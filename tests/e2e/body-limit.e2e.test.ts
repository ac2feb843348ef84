/**
 * The body limit on the Node server (edge/http/body-limit.ts), as clients send bodies: with a
 * Content-Length (judged by the header), chunked (counted as it is read) and neither. Over 16 KiB
 * is a 413 `payload_too_large` that changes nothing; under it, the request is served.
 */
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type Server } from '../helpers/server.js'

let s: Server
beforeAll(async () => {
  s = await startServer({ runtime: 'node' })
}, 60_000)
afterAll(async () => {
  await s?.close()
})

/** A POST whose body goes in `chunks` (chunked), or in one piece with its Content-Length. */
function post(path: string, body: string, chunked: boolean) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' }
    if (!chunked) headers['content-length'] = Buffer.byteLength(body)
    const req = httpRequest(`${s.url}${path}`, { method: 'POST', headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () =>
        resolve({ status: res.statusCode!, type: res.headers['content-type'] ?? '', body: text }),
      )
    })
    req.on('error', reject)
    if (chunked) {
      // Several writes: Node sends them with Transfer-Encoding: chunked.
      for (let i = 0; i < body.length; i += 4096) req.write(body.slice(i, i + 4096))
      req.end()
    } else req.end(body)
  })
}

const start = (phone: string, pad = '') =>
  JSON.stringify({ purpose: 'register', phone, ...(pad ? { locale: pad } : {}) })

const outbox = async (phone: string) =>
  (await (await fetch(`${s.url}/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).json())
    .messages as unknown[]

describe('request bodies on the Node server', () => {
  for (const chunked of [false, true]) {
    const how = chunked ? 'chunked' : 'with a Content-Length'
    it(`serves a body ${how} under 16 KiB`, async () => {
      const phone = chunked ? '+14155552671' : '+14155552672'
      const r = await post('/v1/verifications', start(phone), chunked)
      expect(r.status, r.body).toBe(201)
      expect(await outbox(phone)).toHaveLength(1)
    })

    it(`refuses a body ${how} over 16 KiB with 413, sending nothing`, async () => {
      const phone = chunked ? '+14155552673' : '+14155552674'
      const r = await post('/v1/verifications', start(phone, 'x'.repeat(17 * 1024)), chunked)
      expect(r.status).toBe(413)
      expect(r.type).toMatch(/^application\/problem\+json/)
      expect(JSON.parse(r.body).code).toBe('payload_too_large')
      expect(await outbox(phone)).toEqual([])
    })
  }
})
