/**
 * Data at rest: AES-256-GCM with a random 96-bit nonce, written `v2.<key id>.<nonce>.<ciphertext>`
 * (base64url), so a value names the secret it was sealed under: it opens with that key alone, and
 * a rotation finds what is left to re-seal with a prefix test in SQL (rotation.ts). Values of the
 * first format, `v1.<nonce>.<ciphertext>`, name no key: each accepted key is tried in turn (GCM's
 * tag refuses a wrong one).
 */
import type { AesGcm } from './engine.js'
import { acceptedKeys, type Keys, type KeySet } from './keys.js'
import { base64url, fromBase64url, randomBytes } from './random.js'

/** A value that none of the accepted keys opens (sealed under another secret, or damaged). */
export class UnreadableError extends Error {
  override name = 'UnreadableError'
  constructor() {
    super('sealed under a secret this instance does not hold')
  }
}

/** What every value sealed under `keys` starts with (16 characters). */
export const sealedPrefix = (keys: Pick<KeySet, 'id'>) => `v2.${keys.id}.`

export const PREFIX_LENGTH = 16

const enc = new TextEncoder()
const dec = new TextDecoder()

export async function seal(keys: KeySet, plaintext: string): Promise<string> {
  const iv = randomBytes(12)
  const ct = await keys.aes.encrypt(iv, enc.encode(plaintext))
  return `${sealedPrefix(keys)}${base64url(iv)}.${base64url(ct)}`
}

async function decryptWith(key: AesGcm, iv: string, ct: string): Promise<string | null> {
  let pt: Uint8Array | null
  try {
    pt = await key.decrypt(fromBase64url(iv), fromBase64url(ct))
  } catch {
    // Not base64url, or a nonce Web Crypto refuses: a damaged value.
    return null
  }
  return pt === null ? null : dec.decode(pt)
}

/** The plaintext, opened with whichever accepted key sealed it; UnreadableError otherwise. */
export async function open(keys: Keys, sealed: string): Promise<string> {
  const parts = sealed.split('.')
  let candidates: KeySet[] = []
  let iv: string | undefined
  let ct: string | undefined
  if (parts.length === 4 && parts[0] === 'v2') {
    candidates = acceptedKeys(keys).filter((k) => k.id === parts[1])
    ;[, , iv, ct] = parts
  } else if (parts.length === 3 && parts[0] === 'v1') {
    candidates = acceptedKeys(keys)
    ;[, iv, ct] = parts
  }
  for (const k of candidates) {
    const pt = iv && ct ? await decryptWith(k.aes, iv, ct) : null
    if (pt !== null) return pt
  }
  throw new UnreadableError()
}

/** `open`, with null for a value no accepted key opens (the caller logs and fails closed). */
export async function openOrNull(keys: Keys, sealed: string): Promise<string | null> {
  try {
    return await open(keys, sealed)
  } catch (err) {
    if (err instanceof UnreadableError) return null
    throw err
  }
}
