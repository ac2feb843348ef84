/**
 * The ES256 signing key lives in the database, sealed with AES-256-GCM under a key derived from
 * SMS_AUTH_SECRET, so every instance signs and verifies alike. The first instance to start creates
 * it in one guarded INSERT; the others read the same row.
 */
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import type { Client } from '@libsql/client'
import { decrypt, encrypt } from '../crypto/keys.js'
import { newId } from '../crypto/random.js'

export interface SigningKey {
  kid: string
  privateKey: CryptoKey
  publicKey: CryptoKey
  publicJwk: JWK
}

export async function loadSigningKey(db: Client, aes: CryptoKey, now: number): Promise<SigningKey> {
  let row = (
    await db.execute(
      'SELECT kid, public_jwk, private_jwk_sealed FROM signing_keys ORDER BY created_at LIMIT 1',
    )
  ).rows[0]
  if (!row) {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
    const kid = newId('key')
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }
    const sealed = await encrypt(aes, JSON.stringify(await exportJWK(privateKey)))
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
  let privateJwk: JWK
  try {
    privateJwk = JSON.parse(await decrypt(aes, String(row.private_jwk_sealed))) as JWK
  } catch {
    throw new Error('the signing key in the database was sealed with another SMS_AUTH_SECRET')
  }
  return {
    kid: String(row.kid),
    privateKey: (await importJWK(privateJwk, 'ES256')) as CryptoKey,
    publicKey: (await importJWK(publicJwk, 'ES256')) as CryptoKey,
    publicJwk,
  }
}
