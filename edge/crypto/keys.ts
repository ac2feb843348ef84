/**
 * Keys derived from the master secret with HKDF-SHA-256, one per purpose, so that a leak of one
 * derived key says nothing about the others.
 */
import { hmac as nobleHmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { base64url, fromBase64url, randomBytes } from './random.js'

const enc = new TextEncoder()

export interface Keys {
  /** HMAC-SHA-256 key for one-time codes (verification id ‖ purpose ‖ code). */
  codeHmac: Uint8Array
  /** HMAC-SHA-256 key for backup codes and other look-up secrets. */
  lookupHmac: Uint8Array
  /** HMAC-SHA-256 key for the secret in unsigned providers' receipt URLs (messages/webhook-token.ts). */
  webhookHmac: Uint8Array
  /** AES-256-GCM key for data at rest (provider credentials, TOTP seeds, the signing key). */
  aes: CryptoKey
}

async function hkdfBits(secret: Uint8Array, info: string): Promise<Uint8Array> {
  const base = await crypto.subtle.importKey('raw', secret as BufferSource, 'HKDF', false, [
    'deriveBits',
  ])
  const params = {
    name: 'HKDF',
    hash: 'SHA-256',
    salt: enc.encode('sms-auth v1'),
    info: enc.encode(info),
  }
  return new Uint8Array(await crypto.subtle.deriveBits(params, base, 256))
}

export async function deriveKeys(secret: Uint8Array): Promise<Keys> {
  const [codeHmac, lookupHmac, webhookHmac, aesBits] = await Promise.all([
    hkdfBits(secret, 'code-hmac'),
    hkdfBits(secret, 'lookup-hmac'),
    hkdfBits(secret, 'webhook-url'),
    hkdfBits(secret, 'data-at-rest'),
  ])
  const aes = await crypto.subtle.importKey('raw', aesBits as BufferSource, 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ])
  return { codeHmac, lookupHmac, webhookHmac, aes }
}

// HMAC and SHA-256 on the hot paths run synchronously with @noble/hashes (audited, pure JS, on
// every runtime): Web Crypto's promise round trip cost about 0.16 ms a call on Node, several
// times the hash itself, and every start and check hashes at least once.
export function hmac(key: Uint8Array, message: string): Uint8Array {
  return nobleHmac(sha256, key, enc.encode(message))
}

export function hmacHex(key: Uint8Array, message: string): string {
  return toHex(hmac(key, message))
}

export function sha256Hex(text: string): string {
  return toHex(sha256(enc.encode(text)))
}

export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
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

/** AES-256-GCM with a random 96-bit nonce; output `v1.<nonce>.<ciphertext>` in base64url. */
export async function encrypt(key: CryptoKey, plaintext: string): Promise<string> {
  const iv = randomBytes(12)
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: iv as BufferSource },
    key,
    enc.encode(plaintext),
  )
  return `v1.${base64url(iv)}.${base64url(new Uint8Array(ct))}`
}

export async function decrypt(key: CryptoKey, sealed: string): Promise<string> {
  const [v, iv, ct] = sealed.split('.')
  if (v !== 'v1' || !iv || !ct) throw new Error('unknown ciphertext format')
  const pt = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64url(iv) as BufferSource },
    key,
    fromBase64url(ct) as BufferSource,
  )
  return new TextDecoder().decode(pt)
}
