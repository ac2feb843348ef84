/**
 * The two crypto engines (edge/crypto/engine.ts): the portable Web Crypto one and the Node entry's
 * node:crypto one give the same bytes for the same key and input, a value sealed by either opens
 * with the other, a damaged or foreign value opens with neither, and an access token signed
 * through either verifies with jose under the same public key, with SignJWT's header and claims.
 */
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose'
import { describe, expect, it } from 'vitest'
import { webCrypto, type CryptoEngine } from '../../../edge/crypto/engine.js'
import { deriveKeys, deriveKeySet, hmacHex, type HmacKey } from '../../../edge/crypto/keys.js'
import { open, openOrNull, seal } from '../../../edge/crypto/seal.js'
import { nodeCrypto } from '../../../edge/node/crypto.js'
import { AUDIENCE, signAccessToken } from '../../../edge/sessions/claims.js'
import type { SigningKey } from '../../../edge/sessions/signing-key.js'

const engines: [string, CryptoEngine][] = [
  ['web', webCrypto],
  ['node', nodeCrypto],
]
const secret = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1)
const other = Uint8Array.from({ length: 32 }, (_, i) => 255 - i)
const enc = new TextEncoder()
const plaintexts = ['', 'x', '{"phone":"+919000001000","code":"123456"}', 'é✓ '.repeat(700)]

describe('crypto engines', () => {
  it('AES-256-GCM: the same key, nonce and plaintext give the same bytes, and each opens the other', async () => {
    const raw = crypto.getRandomValues(new Uint8Array(32))
    const [web, node] = await Promise.all([webCrypto.aesGcm(raw), nodeCrypto.aesGcm(raw)])
    for (const text of plaintexts) {
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const a = await web.encrypt(iv, enc.encode(text))
      const b = await node.encrypt(iv, enc.encode(text))
      expect(Buffer.from(b).toString('hex')).toBe(Buffer.from(a).toString('hex'))
      expect(a.byteLength).toBe(enc.encode(text).byteLength + 16)
      expect(new TextDecoder().decode((await node.decrypt(iv, a))!)).toBe(text)
      expect(new TextDecoder().decode((await web.decrypt(iv, b))!)).toBe(text)
    }
  })

  it('AES-256-GCM: a changed byte, a short value, another nonce or another key opens with neither', async () => {
    const raw = crypto.getRandomValues(new Uint8Array(32))
    const iv = crypto.getRandomValues(new Uint8Array(12))
    for (const [, engine] of engines) {
      const key = await engine.aesGcm(raw)
      const wrong = await engine.aesGcm(crypto.getRandomValues(new Uint8Array(32)))
      const sealed = await key.encrypt(iv, enc.encode('secret'))
      const flipped = Uint8Array.from(sealed)
      flipped[3]! ^= 1
      const tagFlipped = Uint8Array.from(sealed)
      tagFlipped[tagFlipped.length - 1]! ^= 0x80
      expect(await key.decrypt(iv, flipped)).toBeNull()
      expect(await key.decrypt(iv, tagFlipped)).toBeNull()
      expect(await key.decrypt(iv, sealed.subarray(0, 10))).toBeNull()
      expect(await key.decrypt(crypto.getRandomValues(new Uint8Array(12)), sealed)).toBeNull()
      expect(await wrong.decrypt(iv, sealed)).toBeNull()
      expect(new TextDecoder().decode((await key.decrypt(iv, sealed))!)).toBe('secret')
    }
  })

  it('HMAC-SHA-256: both engines give the digests of @noble/hashes, and RFC 4231’s test vector', async () => {
    const key = Uint8Array.from({ length: 20 }, () => 0x0b)
    const rfc4231 = 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'
    expect(webCrypto.hmacSha256(key)('Hi There')).toBe(rfc4231)
    expect(nodeCrypto.hmacSha256(key)('Hi There')).toBe(rfc4231)
    const web = await deriveKeySet(secret, webCrypto)
    const node = await deriveKeySet(secret, nodeCrypto)
    const names: HmacKey[] = ['codeHmac', 'lookupHmac', 'webhookHmac']
    for (const name of names)
      for (const text of plaintexts) {
        expect(node.digest(name, text)).toBe(hmacHex(web[name], text))
        expect(web.digest(name, text)).toBe(hmacHex(web[name], text))
      }
    expect(node.digest('codeHmac', 'x')).not.toBe(node.digest('lookupHmac', 'x'))
  })

  it('seal.ts: a value sealed under either engine opens with the other, and not under another secret', async () => {
    const web = await deriveKeys(secret, {}, webCrypto)
    const node = await deriveKeys(secret, {}, nodeCrypto)
    const stranger = await deriveKeySet(other, nodeCrypto)
    expect(node.id).toBe(web.id)
    expect(node.codeHmac).toEqual(web.codeHmac)
    for (const text of plaintexts) {
      const byWeb = await seal(web, text)
      const byNode = await seal(node, text)
      expect(byNode.startsWith(`v2.${web.id}.`)).toBe(true)
      expect(await open(node, byWeb)).toBe(text)
      expect(await open(web, byNode)).toBe(text)
      expect(await openOrNull({ ...stranger }, byNode)).toBeNull()
      expect(await openOrNull({ ...stranger }, byWeb)).toBeNull()
    }
    // A damaged value (not base64url, a cut ciphertext) is unreadable to both, never a throw.
    const good = await seal(node, 'hello')
    for (const bad of [good.slice(0, -4), good.replace(/\.[^.]+$/, '.!!!'), 'v2.x.y.z'])
      for (const keys of [web, node]) expect(await openOrNull(keys, bad)).toBeNull()
  })

  it('ES256: a token signed through either engine verifies under the public key, with SignJWT’s header and claims', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true })
    const privateJwk = (await exportJWK(pair.privateKey)) as JWK
    const now = 1_780_000_000_123
    const subject = {
      userId: 'usr_a',
      sessionId: 'ses_b',
      authAt: now - 5_000,
      amr: ['sms', 'password'] as const,
      phoneVerified: true,
    }
    const byJose = await new SignJWT({
      sid: subject.sessionId,
      auth_time: Math.floor(subject.authAt / 1000),
      amr: ['sms', 'pwd', 'mfa'],
      phone_verified: true,
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'key_1', typ: 'JWT' })
      .setIssuer('https://auth.example')
      .setAudience(AUDIENCE)
      .setSubject(subject.userId)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(now / 1000) + 900)
      .sign(pair.privateKey)
    for (const [name, engine] of engines) {
      const key: SigningKey = {
        kid: 'key_1',
        privateKey: pair.privateKey,
        publicKey: pair.publicKey,
        publicJwk: await exportJWK(pair.publicKey),
        sign: await engine.es256(privateJwk),
      }
      const token = await signAccessToken(key, 'https://auth.example', now, subject)
      const [header, payload, signature] = token.split('.')
      expect(`${header}.${payload}`, name).toBe(byJose.split('.').slice(0, 2).join('.'))
      expect(Buffer.from(signature!, 'base64url').byteLength).toBe(64)
      const { payload: claims, protectedHeader } = await jwtVerify(token, pair.publicKey, {
        algorithms: ['ES256'],
        issuer: 'https://auth.example',
        audience: AUDIENCE,
        currentDate: new Date(now),
      })
      expect(protectedHeader).toEqual({ alg: 'ES256', kid: 'key_1', typ: 'JWT' })
      expect(claims.sub).toBe('usr_a')
      // A signature of another key does not verify under this one.
      const stranger = await generateKeyPair('ES256', { extractable: true })
      const forged = await signAccessToken(
        { ...key, sign: await engine.es256((await exportJWK(stranger.privateKey)) as JWK) },
        'https://auth.example',
        now,
        subject,
      )
      await expect(
        jwtVerify(forged, pair.publicKey, { algorithms: ['ES256'], currentDate: new Date(now) }),
      ).rejects.toThrow(/signature verification failed/)
    }
  })

  it('ES256: the node engine refuses a key that is not EC P-256', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true })
    await expect(nodeCrypto.es256((await exportJWK(rsa.privateKey)) as JWK)).rejects.toThrow(
      /P-256/,
    )
  })
})
