/**
 * A provider's `baseUrl`: an origin that replaces the documented one (docs/api.md). In production it
 * must be a public https origin, so that whoever holds the admin token cannot point a provider
 * (and its credentials, codes and numbers) at this host, its cloud metadata endpoint or the private
 * network behind it. SMS_AUTH_ALLOW_PRIVATE_BASE_URLS=1 lifts the rule (on-premise gateways,
 * tests). This is a check of the URL's text: a public name may still resolve to a private address,
 * which only an egress firewall can stop; redirects are never followed (providers/http.ts).
 */
import type { Config } from '../config.js'
import { ApiError } from '../http/errors.js'

/**
 * Suffixes that never name a public host: RFC 6761 §6 (localhost, test, invalid, example),
 * RFC 6762 §3 and Appendix G (local; intranet, internal, private, corp, home, lan), RFC 8375
 * (home.arpa), RFC 7686 (onion); ICANN reserved .internal for private use in 2024.
 */
const PRIVATE_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'home.arpa',
  'intranet',
  'private',
  'corp',
  'home',
  'lan',
  'test',
  'invalid',
  'example',
  'onion',
]

/** An http(s) origin, or `invalid_request`: the documented paths stay ours. */
export function parseBaseUrl(value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  const plain =
    url &&
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    !url.username &&
    !url.password &&
    url.pathname === '/' &&
    !url.search &&
    !url.hash
  if (!url || !plain) {
    throw new ApiError('invalid_request', 'baseUrl must be an http(s) origin.', {
      errors: [{ path: 'baseUrl', message: 'an origin such as https://api.example.com, no path' }],
    })
  }
  return url.origin
}

/** Why `baseUrl` may not be used under `config`, or null when it may. */
export function baseUrlRefusal(
  config: Pick<Config, 'mode' | 'allowPrivateBaseUrls'>,
  baseUrl: string,
): string | null {
  if (config.mode !== 'production' || config.allowPrivateBaseUrls) return null
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    return 'not a URL'
  }
  if (url.protocol !== 'https:') return 'production needs an https origin'
  // The WHATWG parser has already turned every IPv4 spelling (2130706433, 0x7f.1, 127.1, 0177…)
  // into a dotted quad and keeps IPv6 in brackets, so these two tests catch every IP literal.
  const host = url.hostname.replace(/\.$/, '')
  if (host.startsWith('[') || /^[\d.]+$/.test(host)) {
    return 'production needs a public host name, not an IP address'
  }
  const labels = host.split('.')
  if (labels.length < 2 || labels.includes('')) {
    return 'production needs a public host name (a single-label name is local)'
  }
  if (PRIVATE_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) {
    return 'production needs a public host name, not a local or reserved one'
  }
  return null
}

/** The field error for a `baseUrl` that may not be used, or null when it may. */
export function baseUrlProblem(
  config: Pick<Config, 'mode' | 'allowPrivateBaseUrls'>,
  baseUrl: string | null | undefined,
): { path: 'baseUrl'; message: string } | null {
  const why = baseUrl ? baseUrlRefusal(config, baseUrl) : null
  return why
    ? { path: 'baseUrl', message: `${why} (SMS_AUTH_ALLOW_PRIVATE_BASE_URLS=1 allows it)` }
    : null
}
