/**
 * GET /docs: an interactive reference of the OpenAPI document (Scalar, @scalar/hono-api-reference),
 * whose script we serve ourselves from dist/docs/scalar.js (copied there by
 * scripts/build-server.mjs): the page loads nothing from a CDN, and its Content-Security-Policy
 * lets it load and call only this origin. URLs are relative, so the page works under a base path.
 */
import { Scalar } from '@scalar/hono-api-reference'
import { Hono } from 'hono'
import { encodedFile, type ReadFile } from '../http/encoded-file.js'
import { OPENAPI_PATH } from '../http/shedding.js'

export const DOCS_PATH = '/docs'
export const DOCS_SCRIPT_PATH = '/docs/scalar.js'

export const isReferencePath = (p: string) => p === DOCS_PATH || p === DOCS_SCRIPT_PATH

const page = new Hono().get(
  DOCS_PATH,
  Scalar({
    pageTitle: 'sms-auth API reference',
    // Relative to /docs: /docs/scalar.js and /v1/openapi.json.
    cdn: DOCS_SCRIPT_PATH.slice(1),
    url: OPENAPI_PATH.slice(1),
    withDefaultFonts: false,
    telemetry: false,
    showDeveloperTools: 'never',
    // Scalar's agent looks documents up in its registry (api.scalar.com): off.
    agent: { disabled: true },
  }),
)

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
}

/**
 * The policy of the page: scripts from this origin plus the one inline start-up script (by its
 * hash), styles inline (Scalar sets them at run time), data: images and fonts, and requests to
 * this origin only (the document, and "try it" calls to the server it names).
 */
async function policyFor(html: string): Promise<string> {
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  const hashes = await Promise.all(inline.map(async (m) => `'sha256-${await sha256(m[1]!)}'`))
  return [
    "default-src 'none'",
    `script-src 'self' ${hashes.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

let built: Promise<{ html: string; policy: string }> | undefined
function build() {
  built ??= (async () => {
    const html = await (await page.request(DOCS_PATH)).text()
    return { html, policy: await policyFor(html) }
  })()
  return built
}

/** GET /docs (the page) and GET /docs/scalar.js (its script); null when the build has none. */
export async function apiReference(req: Request, read: ReadFile): Promise<Response | null> {
  const head = req.method === 'HEAD'
  if (new URL(req.url).pathname === DOCS_PATH) {
    const { html, policy } = await build()
    return new Response(head ? null : html, {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': policy,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      },
    })
  }
  const found = await encodedFile(read, 'scalar.js', req)
  if (!found) return null
  const headers: Record<string, string> = {
    'content-type': 'text/javascript; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'cache-control': 'public, max-age=3600',
    vary: 'accept-encoding',
  }
  if (found.encoding) headers['content-encoding'] = found.encoding
  return new Response(head ? null : (found.bytes as BodyInit), { headers })
}
