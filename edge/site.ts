/**
 * The served whole: static files (the widget bundle and the demo site) in front of the API. File
 * reading is injected by the runtime entry, so this stays on web standards.
 */
import type { App } from './app.js'

export type ReadFile = (path: string) => Promise<Uint8Array | null>

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
  /** reads files of the demo site (demo/), or null for none */
  demo: ReadFile | null
}

function typeOf(path: string): string {
  return TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream'
}

function safe(path: string): string | null {
  const clean = decodeURIComponent(path).replace(/^\/+/, '')
  if (clean.split('/').some((seg) => seg === '..' || seg.startsWith('.'))) return null
  return clean
}

export function site(api: App, opts: SiteOptions): (req: Request, env?: object) => Promise<Response> {
  return async (req, env) => {
    const url = new URL(req.url)
    const p = url.pathname
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (p === '/widget.js' || p.startsWith('/chunks/')) {
        const file = safe(p)
        const bytes = file ? await opts.widget(file) : null
        if (bytes) {
          return new Response(req.method === 'HEAD' ? null : (bytes as BodyInit), {
            headers: {
              'content-type': typeOf(p),
              // Any page may load the widget; its API calls are checked against allowedOrigins.
              'access-control-allow-origin': '*',
              'cache-control': p === '/widget.js' ? 'public, max-age=300' : 'public, max-age=31536000, immutable',
            },
          })
        }
      }
      if (opts.demo && !p.startsWith('/v1/') && !p.startsWith('/.well-known/') && p !== '/healthz') {
        const file = safe(p.endsWith('/') ? `${p}index.html` : p)
        const bytes = file ? ((await opts.demo(file)) ?? (await opts.demo(`${file}.html`))) : null
        if (bytes) {
          return new Response(req.method === 'HEAD' ? null : (bytes as BodyInit), {
            headers: { 'content-type': typeOf(file!.includes('.') ? file! : 'x.html'), 'cache-control': 'no-cache' },
          })
        }
      }
    }
    return api.app.fetch(req, env)
  }
}
