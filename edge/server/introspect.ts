/**
 * Ask the edge whether a token is still good (POST <publicUrl>/v1/sessions/introspect, RFC 7662,
 * admin token): for a backend that must see a logout or revocation before the token's 15 minutes
 * are up. Server-to-server only: the admin token never goes to a browser.
 */
import { Introspection as IntrospectionSchema, type Introspection } from '../../shared/schemas.js'
import { INTROSPECT_PATH } from '../http/origin.js'

export type { Introspection } from '../../shared/schemas.js'

export interface IntrospectOptions {
  /** The edge's public URL, e.g. `https://shop.example/auth`. */
  url: string | URL
  /** The edge's admin token. */
  token: string
  fetch?: typeof fetch
}

export async function introspect(token: string, opts: IntrospectOptions): Promise<Introspection> {
  const base = new URL(opts.url)
  const endpoint = new URL(base.pathname.replace(/\/$/, '') + INTROSPECT_PATH, base)
  const res = await (opts.fetch ?? fetch)(endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  })
  if (!res.ok) throw new Error(`sms-auth introspection failed: HTTP ${res.status}`)
  return IntrospectionSchema.parse(await res.json())
}
