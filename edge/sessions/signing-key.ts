/**
 * The ES256 signing key lives in the database, sealed with AES-256-GCM under a key derived from
 * SMS_AUTH_SECRET, so every instance signs and verifies alike. The first instance to start creates
 * it in one guarded INSERT; the others read the same row. A rotation of the secret re-seals it
 * (crypto/rotation.ts) and keeps its kid, so tokens signed before stay valid until they expire.
 */
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import type { Client } from '@libsql/client'
import { ConfigError } from '../config.js'
import { webCrypto, type CryptoEngine, type Es256Sign } from '../crypto/engine.js'
import type { Keys } from '../crypto/keys.js'
import { newId } from '../crypto/random.js'
import { openOrNull, seal } from '../crypto/seal.js'

export interface SigningKey {
  kid: string
  privateKey: CryptoKey
  publicKey: CryptoKey
  publicJwk: JWK
  /** Signs with the private key through the runtime's engine (edge/crypto/engine.ts). */
  sign: Es256Sign
}

export async function loadSigningKey(
  db: Client,
  keys: Keys,
  now: number,
  engine: CryptoEngine = webCrypto,
): Promise<SigningKey> {
  let row = (
    await db.execute(
      'SELECT kid, public_jwk, private_jwk_sealed FROM signing_keys ORDER BY created_at LIMIT 1',
    )
  ).rows[0]
  if (!row) {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
    const kid = newId('key')
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }
    const sealed = await seal(keys, JSON.stringify(await exportJWK(privateKey)))
    await db.execute({
      sql: `INSERT INTO signing_keys (kid, public_jwk, private_jwk_sealed, created_at)
            SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM signing_keys)`,
      args: [kid, JSON.stringify(publicJwk), sealed, now],
    })
    row = (
      await db.execute(
        'SELECT kid, public_jwk, private_jwk_sealed FROM signing_keys ORDER BY created_at LIMIT 1',
      )
    ).rows[0]
  }
  if (!row) throw new Error('signing key could not be stored')
  const publicJwk = JSON.parse(String(row.public_jwk)) as JWK
  const opened = await openOrNull(keys, String(row.private_jwk_sealed))
  // Without it the instance can sign nothing: a configuration error, told in one line at start.
  if (opened === null) {
    throw new ConfigError(
      keys.previous || keys.next
        ? 'the signing key in the database opens with none of SMS_AUTH_SECRET, SMS_AUTH_SECRET_PREVIOUS ' +
            'and SMS_AUTH_SECRET_NEXT: SMS_AUTH_SECRET_PREVIOUS must be the secret it was sealed with'
        : 'the signing key in the database was sealed with another SMS_AUTH_SECRET: set ' +
            'SMS_AUTH_SECRET_PREVIOUS to that secret (README: Rotating the master secret)',
    )
  }
  const privateJwk = JSON.parse(opened) as JWK
  return {
    kid: String(row.kid),
    privateKey: (await importJWK(privateJwk, 'ES256')) as CryptoKey,
    publicKey: (await importJWK(publicJwk, 'ES256')) as CryptoKey,
    publicJwk,
    sign: await engine.es256(privateJwk),
  }
}
