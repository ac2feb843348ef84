/**
 * Keys derived from the master secret with HKDF-SHA-256, one per purpose, so that a leak of one
 * derived key says nothing about the others.
 */
import { base64url, fromBase64url, randomBytes } from './random.js'

const enc = new TextEncoder()

export interface Keys {
  /** HMAC-SHA-256 key for one-time codes (verification id ‖ purpose ‖ code). */
  codeHmac: CryptoKey
  /** HMAC-SHA-256 key for backup codes and other look-up secrets. */
  lookupHmac: CryptoKey
  /** AES-256-GCM key for data at rest (provider credentials, TOTP seeds, the signing key). */
  aes: CryptoKey
}

async function hkdf(secret: Uint8Array, info: string, usage: 'hmac' | 'aes'): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', secret as BufferSource, 'HKDF', false, [
    'deriveKey',
  ])
  const params = { name: 'HKDF', hash: 'SHA-256', salt: enc.encode('sms-auth v1'), info: enc.encode(info) }
  if (usage === 'hmac') {
    return crypto.subtle.deriveKey(params, base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, [
      'sign',
      'verify',
    ])
  }
  return crypto.subtle.deriveKey(params, base, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ])
}

export async function deriveKeys(secret: Uint8Array): Promise<Keys> {
  const [codeHmac, lookupHmac, aes] = await Promise.all([
    hkdf(secret, 'code-hmac', 'hmac'),
    hkdf(secret, 'lookup-hmac', 'hmac'),
    hkdf(secret, 'data-at-rest', 'aes'),
  ])
  return { codeHmac, lookupHmac, aes }
}

export async function hmac(key: CryptoKey, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(message)))
}

export async function hmacHex(key: CryptoKey, message: string): Promise<string> {
  return toHex(await hmac(key, message))
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(text))))
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
