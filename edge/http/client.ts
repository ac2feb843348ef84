/** The client address: the socket's, or behind a trusted proxy the first X-Forwarded-For entry. */
import type { Context } from 'hono'

export type AddressOf = (c: Context) => string

export function clientAddress(c: Context, trustProxy: boolean, socketAddress: AddressOf): string {
  if (trustProxy) {
    const first = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (first && first.length <= 64 && /^[0-9a-fA-F:.]+$/.test(first)) return first
  }
  return socketAddress(c) || 'unknown'
}
