/**
 * What a session remembers of the client it was signed in or last refreshed from, for the user's
 * own sessions list (GET /v1/me/sessions): a short device label parsed from the User-Agent ("Chrome
 * on Android"), never the header itself, and the client address masked to its network (IPv4 /24,
 * IPv6 /48), never the address itself. Both are data minimisation: enough for a person to
 * recognise a device, too little to track one.
 */
import ipaddr from 'ipaddr.js'
import { parseIp } from '../http/ip.js'

/** What a session signed in or refreshed by a request is stamped with (remember-client.ts). */
export interface ClientStamp {
  device: string
  address: string | null
  /** Set by prepareSession once a new session's row carries the stamp itself. */
  inSession: boolean
}

/** The longest User-Agent we read at all (browsers send ~150–300 characters). */
const MAX_UA = 512

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bcurl\//, 'curl'],
]

const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, 'Android'],
  [/\b(?:iPhone|iPod)\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
]

/** "Chrome on Android", "Safari on iPhone", "Firefox", or "Unknown device". */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').slice(0, MAX_UA)
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1]
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1]
  if (browser && system) return `${browser} on ${system}`
  return browser ?? system ?? 'Unknown device'
}

/**
 * A client address key (http/client.ts: a dotted quad, or an IPv6 /64 as `prefix::/64`) masked to
 * its /24 or /48; null for an address we could not read.
 */
export function maskAddress(key: string): string | null {
  const ip = parseIp(key.replace(/\/\d+$/, ''))
  if (!ip) return null
  if (ip instanceof ipaddr.IPv4) return `${ip.octets.slice(0, 3).join('.')}.0/24`
  const groups = ip.parts.slice(0, 3)
  return `${ipaddr.IPv6.parse(`${groups.map((g) => g.toString(16)).join(':')}::`).toString()}/48`
}
