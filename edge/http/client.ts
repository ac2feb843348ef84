/**
 * The client address: the one input every per-address limit and audit line is keyed on. Only
 * proxies we were told to trust may speak for the client (SMS_AUTH_TRUST_PROXY), and what comes
 * back is canonical (see addressKey: IPv6 counts per /64).
 *
 * A proxy appends the address it received the request from to `X-Forwarded-For`, so the entries
 * to the right were written by proxies and the leftmost ones by whoever sent the request: the
 * client is the rightmost address that is not a trusted proxy (Express `trust proxy`, proxy-addr).
 * A malformed entry is never the client: the walk stops before it, at the trusted hop that
 * forwarded it. The `Forwarded` header (RFC 7239) is not read.
 */
import type { Context } from 'hono'
import type { TrustProxy } from '../config.js'
import { addressKey, inRanges, parseCidr, parseForwardedEntry, parseIp } from './ip.js'
import type { Ip, Range } from './ip.js'

export type AddressOf = (c: Context) => string

/** What every caller without a readable address shares (the socket gave none we can parse). */
export const UNKNOWN = 'unknown'

/** TrustProxy with its ranges parsed. */
export type Trust =
  { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'cidrs'; ranges: Range[] }

export function compileTrust(trust: TrustProxy): Trust {
  if (trust.kind !== 'cidrs') return trust
  const ranges = trust.cidrs.map((text) => {
    const range = parseCidr(text)
    // config.ts refuses these at start; a Config built by hand must not trust less than it says.
    if (!range) throw new Error(`not an address or CIDR range: ${text.slice(0, 64)}`)
    return range
  })
  return { kind: 'cidrs', ranges }
}

/** Builds the address function once, ranges parsed. */
export function clientAddressOf(trust: TrustProxy, socketAddress: AddressOf): AddressOf {
  const compiled = compileTrust(trust)
  return (c) => resolveClientAddress(compiled, socketAddress(c), c.req.header('x-forwarded-for'))
}

export function resolveClientAddress(
  trust: Trust,
  socket: string | undefined,
  forwarded: string | undefined,
): string {
  const peer = socket ? parseIp(socket) : null
  if (trust.kind === 'none') return keyOf(peer)
  // Nearest first: the socket peer, then X-Forwarded-For from the right.
  const hops = forwarded ? forwarded.split(',').reverse() : []
  if (trust.kind === 'hops') {
    // The socket is hop 1; hop n's address is the client, or the leftmost when fewer were given.
    let client = peer
    for (const entry of hops.slice(0, trust.hops)) {
      const next = parseForwardedEntry(entry)
      if (!next) break
      client = next
    }
    return keyOf(client)
  }
  const { ranges } = trust
  // X-Forwarded-For means something only when a trusted proxy handed the request to us.
  if (!peer || !inRanges(peer, ranges)) return keyOf(peer)
  let client: Ip = peer
  for (const entry of hops) {
    const next = parseForwardedEntry(entry)
    if (!next) break
    client = next
    if (!inRanges(next, ranges)) break
  }
  return keyOf(client)
}

function keyOf(ip: Ip | null): string {
  return ip ? addressKey(ip) : UNKNOWN
}
