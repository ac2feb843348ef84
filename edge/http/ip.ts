/**
 * IP address text → ipaddr.js values, and the canonical form every per-address limit is keyed on.
 * Parsing is strict: an address is either four decimal octets or IPv6 text, nothing looser.
 */
import ipaddr from 'ipaddr.js'

export type Ip = ipaddr.IPv4 | ipaddr.IPv6
export interface Range {
  ip: Ip
  bits: number
}

/** Longer than any IPv6 text with a zone id we would take; nothing longer is parsed at all. */
const MAX_TEXT = 64

/**
 * An address as written in configuration or by a proxy: dotted-quad IPv4 (no octal, hex or short
 * forms, which mean different things to different parsers) or IPv6 text. IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`, what a dual-stack socket reports for IPv4 peers) comes back as IPv4.
 */
export function parseIp(text: string): Ip | null {
  const s = text.trim()
  if (!s || s.length > MAX_TEXT) return null
  if (s.includes(':')) {
    if (!ipaddr.IPv6.isValid(s)) return null
    const v6 = ipaddr.IPv6.parse(s)
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6
  }
  return ipaddr.IPv4.isValidFourPartDecimal(s) ? ipaddr.IPv4.parse(s) : null
}

/**
 * One `X-Forwarded-For` entry. Besides a bare address, takes `[v6]`, `[v6]:port` and
 * `a.b.c.d:port`, which some load balancers write (Azure adds ports); anything else is malformed.
 */
export function parseForwardedEntry(entry: string): Ip | null {
  const s = entry.trim()
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s)
  if (bracketed) return bracketed[1]!.includes(':') ? parseIp(bracketed[1]!) : null
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(s)
  return parseIp(withPort ? withPort[1]! : s)
}

/**
 * `10.0.0.0/8`, `2001:db8::/32`, or a single address (a /32 or /128). A range written in
 * IPv4-mapped form (`::ffff:10.0.0.0/104`) becomes its IPv4 range, as mapped addresses do.
 */
export function parseCidr(text: string): Range | null {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text.trim())
  if (!m) return null
  const addressText = m[1]!.trim()
  const raw = addressText.includes(':')
    ? ipaddr.IPv6.isValid(addressText)
      ? ipaddr.IPv6.parse(addressText)
      : null
    : ipaddr.IPv4.isValidFourPartDecimal(addressText)
      ? ipaddr.IPv4.parse(addressText)
      : null
  if (!raw) return null
  const max = raw instanceof ipaddr.IPv4 ? 32 : 128
  const bits = m[2] === undefined ? max : Number(m[2])
  if (bits > max) return null
  if (raw instanceof ipaddr.IPv6 && raw.isIPv4MappedAddress() && bits >= 96) {
    return { ip: raw.toIPv4Address(), bits: bits - 96 }
  }
  return { ip: raw, bits }
}

export function inRanges(ip: Ip, ranges: readonly Range[]): boolean {
  return ranges.some((range) => {
    // ipaddr.js compares only addresses of one family (it throws otherwise).
    if (ip instanceof ipaddr.IPv4 && range.ip instanceof ipaddr.IPv4)
      return ip.match(range.ip, range.bits)
    if (ip instanceof ipaddr.IPv6 && range.ip instanceof ipaddr.IPv6)
      return ip.match(range.ip, range.bits)
    return false
  })
}

/**
 * The key a client address counts under: IPv4 as a dotted quad; IPv6 as its /64 in RFC 5952 text
 * (`2001:db8:1:2::/64`). Unicast interface ids are 64 bits (RFC 4291 §2.5.1), a host picks and
 * rotates its own (RFC 8981 temporary addresses) and one subscriber gets a /64 or more (RFC 6177):
 * counting per address would give every IPv6 client 2^64 fresh limits.
 */
export function addressKey(ip: Ip): string {
  if (ip instanceof ipaddr.IPv4) return ip.octets.join('.')
  // The last four groups are zero, and that run of at least four is the longest one, so RFC 5952
  // §4.2 compresses it together with any zero groups that end the prefix.
  const prefix = ip.parts.slice(0, 4)
  while (prefix.length && prefix[prefix.length - 1] === 0) prefix.pop()
  return `${prefix.map((part) => part.toString(16)).join(':')}::/64`
}
