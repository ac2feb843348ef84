/**
 * The served whole: static files (the widget bundle and the demo site) in front of the API. File
 * reading is injected by the runtime entry, so this stays on web standards.
 */
import type { App } from './app.js'
import { apiReference, isReferencePath } from './docs/reference.js'
import { encodedFile, type ReadFile } from './http/encoded-file.js'

export type { ReadFile }

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  webp: 'image/webp',
}

export interface SiteOptions {
  /** reads files of the built widget (dist/widget) */
  widget: ReadFile
  /** reads files of the demo site (demo/), or null for none (production) */
  demo: ReadFile | null
  /** reads files of the admin page (demo/admin/), served at /admin/ in every mode; null for none */
  admin?: ReadFile | null
  /** reads the API reference's script (dist/docs) for GET /docs; null or absent for no /docs */
  docs?: ReadFile | null
  /**
   * reads the admin page's libraries (dist/vendor: uPlot, copied there by the build, so the page
   * needs no CDN and production no dev dependency), served at /admin/vendor/; null for none
   */
  vendor?: ReadFile | null
}

/**
 * The admin page holds the admin token: only same-origin frames (its own preview) may show it, and
 * its URLs (with any query) stay on this origin.
 */
const ADMIN_HEADERS = {
  'content-security-policy': "frame-ancestors 'self'",
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'same-origin',
}

function typeOf(path: string): string {
  return TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream'
}

function safe(path: string): string | null {
  let clean: string
  try {
    clean = decodeURIComponent(path).replace(/^\/+/, '')
  } catch {
    return null // malformed percent-encoding: no such file
  }
  if (clean.split('/').some((seg) => seg === '..' || seg.startsWith('.'))) return null
  return clean
}

export function site(
  api: App,
  opts: SiteOptions,
): (req: Request, env?: object) => Promise<Response> {
  return async (req, env) => {
    const url = new URL(req.url)
    const p = url.pathname
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (p === '/widget.js' || p.startsWith('/chunks/')) {
        const file = safe(p)
        const found = file ? await encodedFile(opts.widget, file, req) : null
        if (found) {
          const headers: Record<string, string> = {
            'content-type': typeOf(p),
            // Any page may load the widget; its API calls are checked against allowedOrigins.
            'access-control-allow-origin': '*',
            'cache-control':
              p === '/widget.js' ? 'public, max-age=300' : 'public, max-age=31536000, immutable',
            vary: 'accept-encoding',
          }
          if (found.encoding) headers['content-encoding'] = found.encoding
          return new Response(req.method === 'HEAD' ? null : (found.bytes as BodyInit), { headers })
        }
      }
      if (opts.docs && isReferencePath(p)) {
        const res = await apiReference(req, opts.docs)
        if (res) return res
      }
      if (opts.admin && (p === '/admin' || p.startsWith('/admin/'))) {
        if (p === '/admin') return Response.redirect(new URL('/admin/', url), 308)
        const vendor = p.startsWith('/admin/vendor/')
        const from = vendor ? opts.vendor : opts.admin
        const res =
          from &&
          (await staticFile(req, from, p.slice((vendor ? '/admin/vendor' : '/admin').length)))
        if (res) {
          for (const [k, v] of Object.entries(ADMIN_HEADERS)) res.headers.set(k, v)
          return res
        }
      }
      if (
        opts.demo &&
        !p.startsWith('/v1/') &&
        !p.startsWith('/.well-known/') &&
        p !== '/healthz'
      ) {
        const res = await staticFile(req, opts.demo, p)
        if (res) return res
      }
    }
    return api.app.fetch(req, env)
  }
}

/** `/x` → x or x.html, `/dir/` → dir/index.html; null when there is no such file. */
async function staticFile(req: Request, read: ReadFile, p: string): Promise<Response | null> {
  const file = safe(p.endsWith('/') ? `${p}index.html` : p)
  if (!file) return null
  const bytes = (await read(file)) ?? (await read(`${file}.html`))
  if (!bytes) return null
  return new Response(req.method === 'HEAD' ? null : (bytes as BodyInit), {
    headers: {
      'content-type': typeOf(file.includes('.') ? file : 'x.html'),
      'cache-control': 'no-cache',
    },
  })
}
