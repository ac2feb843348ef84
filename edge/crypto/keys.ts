/**
 * Keys derived from the master secret with HKDF-SHA-256, one per purpose, so that a leak of one
 * derived key says nothing about the others. During a rotation (README: Rotating the master
 * secret) the keys of SMS_AUTH_SECRET_PREVIOUS and SMS_AUTH_SECRET_NEXT ride along: they open
 * sealed values and pass digest checks, and only the current keys ever seal or make a digest.
 */
import { hmac as nobleHmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex, webCrypto, type AesGcm, type CryptoEngine } from './engine.js'

export { toHex } from './engine.js'

const enc = new TextEncoder()

/** The keys of one master secret. */
export interface KeySet {
  /**
   * Names the secret in every value sealed under it (12 hex digits of an HKDF output: it tells
   * two secrets apart and says nothing about either).
   */
  id: string
  /** HMAC-SHA-256 key for one-time codes (verification id ‖ purpose ‖ code). */
  codeHmac: Uint8Array
  /** HMAC-SHA-256 key for backup codes and other look-up secrets. */
  lookupHmac: Uint8Array
  /** HMAC-SHA-256 key for the secret in unsigned providers' receipt URLs (messages/webhook-token.ts). */
  webhookHmac: Uint8Array
  /** AES-256-GCM key for data at rest (provider credentials, TOTP seeds, the signing key). */
  aes: AesGcm
  /** The HMAC of `message` under one of the keys above, in hex (the engine's; hmacHex alike). */
  digest(key: HmacKey, message: string): string
}

/** The current keys (they seal and digest), and the others a rotation still accepts. */
export interface Keys extends KeySet {
  /** SMS_AUTH_SECRET_PREVIOUS: accepted, and what is sealed under it is re-sealed (rotation.ts). */
  previous?: KeySet
  /** SMS_AUTH_SECRET_NEXT: accepted only, while other instances already seal under it. */
  next?: KeySet
}

export type HmacKey = 'codeHmac' | 'lookupHmac' | 'webhookHmac'

async function hkdfBits(secret: Uint8Array, info: string, bits = 256): Promise<Uint8Array> {
  const base = await crypto.subtle.importKey('raw', secret as BufferSource, 'HKDF', false, [
    'deriveBits',
  ])
  const params = {
    name: 'HKDF',
    hash: 'SHA-256',
    salt: enc.encode('sms-auth v1'),
    info: enc.encode(info),
  }
  return new Uint8Array(await crypto.subtle.deriveBits(params, base, bits))
}

/** The keys of `secret`; `engine` does their AES and HMAC (the runtime's; portable by default). */
export async function deriveKeySet(
  secret: Uint8Array,
  engine: CryptoEngine = webCrypto,
): Promise<KeySet> {
  const [id, codeHmac, lookupHmac, webhookHmac, aesBits] = await Promise.all([
    hkdfBits(secret, 'key-id', 48),
    hkdfBits(secret, 'code-hmac'),
    hkdfBits(secret, 'lookup-hmac'),
    hkdfBits(secret, 'webhook-url'),
    hkdfBits(secret, 'data-at-rest'),
  ])
  const aes = await engine.aesGcm(aesBits)
  const macs: Record<HmacKey, (message: string) => string> = {
    codeHmac: engine.hmacSha256(codeHmac),
    lookupHmac: engine.hmacSha256(lookupHmac),
    webhookHmac: engine.hmacSha256(webhookHmac),
  }
  const digest = (key: HmacKey, message: string) => macs[key](message)
  return { id: toHex(id), codeHmac, lookupHmac, webhookHmac, aes, digest }
}

export async function deriveKeys(
  secret: Uint8Array,
  others: { previous?: Uint8Array; next?: Uint8Array } = {},
  engine: CryptoEngine = webCrypto,
): Promise<Keys> {
  const keys: Keys = await deriveKeySet(secret, engine)
  if (others.previous) keys.previous = await deriveKeySet(others.previous, engine)
  if (others.next) keys.next = await deriveKeySet(others.next, engine)
  return keys
}

/** Every key set a sealed value or a digest may be under, the current one first. */
export function acceptedKeys(keys: Keys): KeySet[] {
  return [keys, ...(keys.previous ? [keys.previous] : []), ...(keys.next ? [keys.next] : [])]
}

/** The digests of `message` a check accepts: the current key's first, then a rotation's others. */
export function acceptedDigests(keys: Keys, key: HmacKey, message: string): string[] {
  return acceptedKeys(keys).map((k) => k.digest(key, message))
}

/** Whether `stored` equals one of `candidates`, each compared in constant time, none skipped. */
export function equalsAny(stored: string, candidates: readonly string[]): boolean {
  let hit = false
  for (const c of candidates) hit = constantTimeEqual(stored, c) || hit
  return hit
}

// HMAC and SHA-256 run synchronously with @noble/hashes (audited, pure JS, on every runtime):
// Web Crypto's promise round trip cost about 0.16 ms a call on Node, several times the hash
// itself. The hot digests go through KeySet.digest, which the runtime's engine may do natively.
export function hmac(key: Uint8Array, message: string): Uint8Array {
  return nobleHmac(sha256, key, enc.encode(message))
}

export function hmacHex(key: Uint8Array, message: string): string {
  return toHex(hmac(key, message))
}

export function sha256Hex(text: string): string {
  return toHex(sha256(enc.encode(text)))
}

/**
 * Compares two equal-length strings without an early exit (OWASP: compare secrets in constant
 * time). Callers pass fixed-length digests, so the length test leaks nothing.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
