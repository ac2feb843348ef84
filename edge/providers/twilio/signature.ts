/** Twilio's request signature (`X-Twilio-Signature`), with which it signs every status callback. */
import { constantTimeEqual } from '../../crypto/keys.js'
import { base64 } from '../http.js'

/**
 * `X-Twilio-Signature`: HMAC-SHA1 keyed with the auth token over the full URL followed by each
 * POST parameter, sorted by name, as name + value (repeated names: each value, sorted), base64.
 */
export async function twilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
): Promise<string> {
  const byName = new Map<string, string[]>()
  for (const [name, value] of params) byName.set(name, [...(byName.get(name) ?? []), value])
  let data = url
  for (const name of [...byName.keys()].sort()) {
    for (const value of (byName.get(name) ?? []).sort()) data += name + value
  }
  const enc = new TextEncoder()
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(authToken),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  )
  return base64(new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(data))))
}

/**
 * Checks the header in constant time. Like Twilio's own libraries, the URL is tried as given and
 * with the default port added or removed, since proxies disagree on whether it is part of it.
 */
export async function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
  signature: string | null | undefined,
): Promise<boolean> {
  if (!authToken || !signature) return false
  const list = [...params]
  let ok = false
  for (const candidate of urlVariants(url)) {
    const expected = await twilioSignature(authToken, candidate, list)
    if (constantTimeEqual(expected, signature)) ok = true
  }
  return ok
}

function urlVariants(url: string): string[] {
  try {
    const u = new URL(url)
    // `URL` drops a default port, so a non-empty `port` is a custom one: nothing to vary.
    if (u.port) return [url]
    const auth = u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''
    const port = u.protocol === 'https:' ? '443' : '80'
    const rest = `${u.pathname}${u.search}`
    const bare = `${u.protocol}//${auth}${u.hostname}${rest}`
    const withPort = `${u.protocol}//${auth}${u.hostname}:${port}${rest}`
    return [...new Set([url, bare, withPort])]
  } catch {
    return [url]
  }
}
