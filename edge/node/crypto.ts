/**
 * The Node entry's crypto engine (edge/crypto/engine.ts): AES-256-GCM, ES256 and HMAC-SHA-256
 * through node:crypto's synchronous calls. Web Crypto's async job (a promise, a thread-pool hop
 * and a transferable result per call) cost more than the cipher itself: a check unseals once,
 * seals once and signs once; HMAC in native code, not JS. Same bytes as the portable engine
 * (tests/edge/crypto/engine.test.ts).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createSecretKey,
  sign,
  type JsonWebKey,
} from 'node:crypto'
import type { CryptoEngine } from '../crypto/engine.js'

const TAG = 16

const bytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

export const nodeCrypto: CryptoEngine = {
  hmacSha256(raw) {
    const key = createSecretKey(raw)
    return (message) => createHmac('sha256', key).update(message, 'utf8').digest('hex')
  },
  aesGcm(raw) {
    if (raw.byteLength !== 32) throw new RangeError('an AES-256 key is 32 bytes')
    const key = createSecretKey(raw)
    return Promise.resolve({
      encrypt(iv, plaintext) {
        const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG })
        return bytes(Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]))
      },
      decrypt(iv, sealed) {
        if (sealed.byteLength < TAG) return null
        try {
          const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG })
          decipher.setAuthTag(sealed.subarray(sealed.byteLength - TAG))
          const body = sealed.subarray(0, sealed.byteLength - TAG)
          return bytes(Buffer.concat([decipher.update(body), decipher.final()]))
        } catch {
          return null
        }
      },
    })
  },
  es256(jwk) {
    const key = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' })
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
      return Promise.reject(new TypeError('an ES256 key is EC P-256'))
    return Promise.resolve((input) =>
      bytes(sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' })),
    )
  },
}
