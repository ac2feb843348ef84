/**
 * The crypto a runtime entry may do faster than the portable path: AES-256-GCM for data at rest
 * (seal.ts), ES256 for access tokens (sessions/claims.ts) and the keyed digests (keys.ts). Web
 * Crypto runs each call as an async job (a promise and a thread-pool round trip on Node), which
 * cost more than the cipher itself; the Node entry hands createApp a synchronous node:crypto
 * engine instead (edge/node/crypto.ts). Deno and Workers run this one. Both give the same bytes
 * for the same key and input (ECDSA signatures are randomised: each verifies under the other's key).
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import type { JWK } from 'jose'

/** An AES-256-GCM key: a 96-bit nonce and a 128-bit tag, the tag after the ciphertext. */
export interface AesGcm {
  encrypt(iv: Uint8Array, plaintext: Uint8Array): Uint8Array | Promise<Uint8Array>
  /** The plaintext, or null when the tag does not verify (a wrong key or a damaged value). */
  decrypt(iv: Uint8Array, sealed: Uint8Array): Uint8Array | null | Promise<Uint8Array | null>
}

/** ES256 (ECDSA P-256, SHA-256): the signature of `input` as JWS wants it, r ‖ s (64 bytes). */
export type Es256Sign = (input: Uint8Array) => Uint8Array | Promise<Uint8Array>

export interface CryptoEngine {
  /** HMAC-SHA-256 under `key`: the digest of a message (UTF-8), in lower-case hex. */
  hmacSha256(key: Uint8Array): (message: string) => string
  /** An AES-256-GCM key from its 32 raw bytes. */
  aesGcm(raw: Uint8Array): Promise<AesGcm>
  /** A signer with the private key `jwk` (EC P-256). */
  es256(jwk: JWK): Promise<Es256Sign>
}

const enc = new TextEncoder()

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/**
 * The portable engine, on every runtime: Web Crypto, and HMAC with @noble/hashes (audited, pure
 * JS), synchronous where Web Crypto's promise round trip cost several times the hash itself.
 */
export const webCrypto: CryptoEngine = {
  hmacSha256: (key) => (message) => toHex(hmac(sha256, key, enc.encode(message))),
  async aesGcm(raw) {
    const key = await crypto.subtle.importKey('raw', raw as BufferSource, 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ])
    return {
      async encrypt(iv, plaintext) {
        const params = { name: 'AES-GCM', iv: iv as BufferSource }
        return new Uint8Array(await crypto.subtle.encrypt(params, key, plaintext as BufferSource))
      },
      async decrypt(iv, sealed) {
        try {
          const params = { name: 'AES-GCM', iv: iv as BufferSource }
          return new Uint8Array(await crypto.subtle.decrypt(params, key, sealed as BufferSource))
        } catch {
          return null
        }
      },
    }
  },
  async es256(jwk) {
    const key = await crypto.subtle.importKey(
      'jwk',
      jwk as JsonWebKey,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    )
    const params = { name: 'ECDSA', hash: 'SHA-256' }
    return async (input) =>
      new Uint8Array(await crypto.subtle.sign(params, key, input as BufferSource))
  },
}
