/**
 * Randomness from the platform CSPRNG (crypto.getRandomValues), drawn POOL bytes at a time: a
 * start asks for random bytes about ten times (ids, code digits, the seal's IV), and each call
 * into the platform cost more than the bytes (Node's crypto.randomUUID pools alike). Every byte
 * is handed out once and wiped from the pool as it goes.
 */

const B32 = 'abcdefghijklmnopqrstuvwxyz234567'
const POOL = 4096
const pool = new Uint8Array(POOL)
let used = POOL

export function randomBytes(n: number): Uint8Array {
  if (n > POOL / 16) return crypto.getRandomValues(new Uint8Array(n))
  if (used + n > POOL) {
    crypto.getRandomValues(pool)
    used = 0
  }
  const out = pool.slice(used, used + n)
  pool.fill(0, used, used + n)
  used += n
  return out
}

/** A uniform integer in [0, max) by rejection sampling: no modulo bias. */
export function randomInt(max: number): number {
  if (!Number.isInteger(max) || max <= 0 || max > 2 ** 32) throw new RangeError('max out of range')
  const limit = 2 ** 32 - (2 ** 32 % max)
  for (;;) {
    const b = randomBytes(4)
    const value = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0
    if (value < limit) return value % max
  }
}

/** A numeric one-time code of `length` digits, each digit uniform (leading zeros kept). */
export function randomDigits(length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += String(randomInt(10))
  return out
}

/** An opaque id with a type prefix, e.g. `ver_k3…` (128 random bits, base32). */
export function newId(prefix: string): string {
  return `${prefix}_${base32(randomBytes(16))}`
}

/**
 * An id like newId's (the same 128 random bits) with the time in milliseconds in 48 bits before
 * them: for rows written on every start (verifications, messages), so that their ids, and the
 * columns that refer to them, go into their indexes next to the ones just written instead of onto
 * a random page each, which SQLite then writes to the WAL at the commit. Measured in one process,
 * 4,000 starts, runs alternated: a start's COMMIT 225-332 -> 186-247 µs, commits over 5 ms 25-60
 * -> 0-17 in 1,200. The time they add is the row's `created_at`, which the API answers already.
 */
export function newTimedId(prefix: string, now = Date.now()): string {
  const bytes = new Uint8Array(22)
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(now / 2 ** (8 * (5 - i))) & 255
  bytes.set(randomBytes(16), 6)
  return `${prefix}_${base32(bytes)}`
}

/** An opaque bearer secret (256 bits, base64url). */
export function newToken(prefix: string): string {
  return `${prefix}_${base64url(randomBytes(32))}`
}

export function base32(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31]
  return out
}

export function base64url(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function fromBase64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/')
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
  // A plain loop: Uint8Array.from(string, fn) walks the string's iterator (0.5 % of a check).
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}
