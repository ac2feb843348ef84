/**
 * What a live verification keeps to send its code again: the number and the code, sealed together
 * with AES-256-GCM under the data-at-rest key, so a copy of the database alone reveals neither.
 * The blob is dropped when the verification is approved or has expired (store.ts).
 */
import type { Deps } from '../deps.js'
import type { Keys } from '../crypto/keys.js'
import { openOrNull, seal as sealValue } from '../crypto/seal.js'

export interface Secret {
  phone: string
  code: string
}

export const seal = (keys: Keys, s: Secret) => sealValue(keys, JSON.stringify(s))

/**
 * The blob, opened; null once the verification has ended, or when no accepted secret opens it
 * (logged without the value): the caller answers as for an ended verification.
 */
export async function unseal(
  deps: Pick<Deps, 'keys' | 'log'>,
  sealed: string | null,
): Promise<Secret | null> {
  if (!sealed) return null
  const opened = await openOrNull(deps.keys, sealed)
  if (opened === null) deps.log('sealed.unreadable', { what: 'verification' })
  return opened === null ? null : (JSON.parse(opened) as Secret)
}
