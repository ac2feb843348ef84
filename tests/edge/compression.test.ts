/** Compressed answers: the widget's precompressed files, and API answers over 1 KiB. */
import { gunzipSync, brotliDecompressSync } from 'node:zlib'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { site } from '../../edge/site.js'
import { root } from '../helpers/server.js'
import { testApp, type TestApp } from '../helpers/app.js'

let t: TestApp
let handler: (req: Request) => Promise<Response>
const dist = join(root, 'dist/widget')
beforeAll(async () => {
  t = await testApp()
  handler = site(t.api, {
    widget: async (p) => {
      try {
        return new Uint8Array(await readFile(join(dist, p)))
      } catch {
        return null
      }
    },
    demo: null,
  })
})
afterAll(() => t.close())

const get = (path: string, encoding?: string) =>
  handler(
    new Request(`http://127.0.0.1${path}`, {
      headers: encoding ? { 'accept-encoding': encoding } : {},
    }),
  )

describe('the widget files', () => {
  it('are sent in brotli or gzip when accepted, and as they are otherwise, with the same content', async () => {
    const plain = await get('/widget.js')
    expect(plain.headers.get('content-encoding')).toBeNull()
    const original = Buffer.from(await plain.arrayBuffer())
    const br = await get('/widget.js', 'gzip, deflate, br')
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toBe('accept-encoding')
    const brBytes = Buffer.from(await br.arrayBuffer())
    expect(brBytes.length).toBeLessThan(original.length / 2)
    expect(brotliDecompressSync(brBytes).equals(original)).toBe(true)
    const gz = await get('/widget.js', 'gzip')
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).equals(original)).toBe(true)
  })
})

describe('API answers', () => {
  it('compress the OpenAPI document for a client that accepts gzip', async () => {
    const res = await t.api.app.request('/v1/openapi.json', {
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    const doc = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8'))
    expect(doc.openapi).toBe('3.1.0')
  })
})
