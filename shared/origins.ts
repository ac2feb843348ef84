/**
 * Entries of `allowedOrigins`: a bare origin (`https://shop.example.com`, `http://localhost:5173`)
 * or a subdomain wildcard (`https://*.example.com`: one or more labels in front of example.com,
 * same scheme and port; example.com itself only when listed too). The settings schema accepts
 * only what `originEntryProblem` passes, and the Origin check matches with `originMatches`, so an
 * entry that is stored is one that can match.
 */

const WILDCARD = '*.'

/** Why `entry` is not an allowedOrigins entry (a phrase to follow it), or null when it is one. */
export function originEntryProblem(entry: string): string | null {
  const scheme = /^https?:\/\//i.exec(entry)
  if (!scheme) return 'must start with https:// or http://'
  const rest = entry.slice(scheme[0].length)
  const wildcard = rest.startsWith(WILDCARD)
  // The wildcard stands for one label: what remains must itself be an origin.
  const concrete = wildcard ? `${scheme[0]}x.${rest.slice(WILDCARD.length)}` : entry
  if (wildcard ? rest.slice(WILDCARD.length).includes('*') : rest.includes('*'))
    return 'may have a wildcard only as its first label, as in https://*.example.com'
  let url: URL
  try {
    url = new URL(concrete)
  } catch {
    return 'is not an origin such as https://shop.example.com'
  }
  if (url.origin !== concrete) {
    return url.origin === 'null'
      ? 'is not an origin such as https://shop.example.com'
      : `must be a bare origin (scheme, host and port only, lowercase, no default port): ${
          wildcard ? url.origin.replace('://x.', '://*.') : url.origin
        }`
  }
  const labels = url.hostname.split('.')
  if (labels.includes(''))
    return 'must not have an empty label in its host name (.. or a trailing dot)'
  // `https://*.com` would be every site under a top-level domain. (An IP address after `*.` is
  // no origin: the URL parser refuses a name whose last label is a number.)
  if (wildcard && labels.length < 3)
    return 'must put its wildcard over a domain of two or more labels, as in https://*.example.com'
  return null
}

/** Whether the request's `origin` matches the allowedOrigins entry `entry`. */
export function originMatches(origin: string, entry: string): boolean {
  if (!entry.includes('*')) return origin === entry
  if (originEntryProblem(entry) !== null) return false
  const scheme = entry.slice(0, entry.indexOf('://') + 3)
  const suffix = entry.slice(scheme.length + 1) // `.example.com[:port]`
  if (!origin.startsWith(scheme) || !origin.endsWith(suffix)) return false
  const labels = origin.slice(scheme.length, origin.length - suffix.length)
  // One or more non-empty labels of a host name (no port, path or userinfo sneaks in).
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(labels)) return false
  try {
    return new URL(origin).origin === origin
  } catch {
    return false
  }
}
