/**
 * The admin page's charting library (edge/site.ts `vendor`): uPlot as the build copied it into
 * dist/vendor, served at /admin/vendor/ with the admin page's headers, and nothing outside it.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { site } from '../../../edge/site.js'
import { testApp, type TestApp } from '../../helpers/app.js'
import { root } from '../../helpers/server.js'

const reader = (dir: string) => async (p: string) => {
  try {
    return new Uint8Array(await readFile(join(root, dir, p)))
  } catch {
    return null
  }
}

let t: TestApp
let handler: (req: Request) => Promise<Response>
beforeAll(async () => {
  t = await testApp()
  handler = site(t.api, {
    widget: reader('dist/widget'),
    demo: null,
    admin: reader('demo/admin'),
    vendor: reader('dist/vendor'),
  })
})
afterAll(() => t.close())

const get = (path: string) => handler(new Request(`http://127.0.0.1${path}`))

describe('GET /admin/vendor/*', () => {
  it('serves the uPlot module and stylesheet that npm run build copied, as the admin page is served', async () => {
    const js = await get('/admin/vendor/uplot.js')
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(js.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    const text = await js.text()
    expect(text).toBe(await readFile(join(root, 'node_modules/uplot/dist/uPlot.esm.js'), 'utf8'))
    expect(text).toMatch(/export \{ uPlot as default \}|export default/)
    const css = await get('/admin/vendor/uplot.css')
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
  })

  it('serves nothing else from there: not the admin page, not a path out of the folder', async () => {
    expect((await get('/admin/vendor/main.js')).status).toBe(404)
    expect((await get('/admin/vendor/..%2Fmain.js')).status).toBe(404)
    expect((await get('/admin/main.js')).status).toBe(200)
  })
})
