/**
 * What a live verification keeps to send its code again: the number and the code, sealed together
 * with AES-256-GCM under the data-at-rest key, so a copy of the database alone reveals neither.
 * The blob is dropped when the verification is approved or has expired (store.ts).
 */
import type { Keys } from '../crypto/keys.js'
import { decrypt, encrypt } from '../crypto/keys.js'

export interface Secret {
  phone: string
  code: string
}

export const seal = (keys: Keys, s: Secret) => encrypt(keys.aes, JSON.stringify(s))

export async function unseal(keys: Keys, sealed: string | null): Promise<Secret | null> {
  if (!sealed) return null
  return JSON.parse(await decrypt(keys.aes, sealed)) as Secret
}
